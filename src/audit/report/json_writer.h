#pragma once
// The machine-readable report: rampart's own JSON shape (documented by the fields below), stable
// for scripts. Every finding is listed, suppressed ones with the reason.
//
// { "tool": {"name","version"}, "kind", "summary": {"files_scanned","files_skipped","findings",
//   "by_severity":{...},"suppressed"}, "findings": [{"rule","name","title","severity",
//   "confidence","message","path","line","column","end_line","end_column","notes",
//   "suppressed","fingerprint"}], "warnings": [{"path","line","message"}] }

#include <string>

#include "audit/report/finding.h"

namespace rampart::audit {

std::string render_json(const Report& report);

}  // namespace rampart::audit
