#pragma once
// Baselines: accept today's findings and report only new ones. A finding's fingerprint hashes the
// rule, the path, the text of its line without surrounding spaces and its rank among findings
// with the same three, so that it survives lines moving up or down. The baseline file is JSON:
// {"version": 1, "fingerprints": ["<hex>", ...]}.

#include <set>
#include <string>

#include "audit/report/finding.h"
#include "common/status.h"

namespace rampart::audit {

// Sets every finding's fingerprint (findings must already be in report order).
void assign_fingerprints(Report& report);
std::string render_baseline(const Report& report);  // the unsuppressed findings' fingerprints
StatusOr<std::set<std::string>> parse_baseline(std::string_view text, std::string_view path);
// Marks findings whose fingerprint is in `baseline` as Suppression::kBaseline.
void apply_baseline(Report& report, const std::set<std::string>& baseline);

}  // namespace rampart::audit
