#pragma once
// A self-contained HTML page (no script, no external resource; inline style only) listing the
// findings with their excerpts and the rules' documentation. Everything from the scanned files
// is escaped.

#include <string>

#include "audit/report/finding.h"

namespace rampart::audit {

std::string render_html(const Report& report);
std::string html_escape(std::string_view s);

}  // namespace rampart::audit
