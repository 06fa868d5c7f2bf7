#pragma once
// SARIF 2.1.0 (OASIS), as GitHub code scanning and most editors read it: one run, the rules that
// ran with their help text, one result per finding with a physical location relative to the
// scanned root (%SRCROOT%), a partial fingerprint for deduplication, in-source and baseline
// suppressions, and the warnings as tool execution notifications.

#include <string>

#include "audit/report/finding.h"

namespace rampart::audit {

std::string render_sarif(const Report& report);

// Percent-encodes a relative path for a SARIF/URI reference (RFC 3986 path characters kept).
std::string uri_path(std::string_view path);

}  // namespace rampart::audit
