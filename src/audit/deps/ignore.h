#pragma once
// Exceptions to the audit: advisories the team has looked at and accepted for a while. An ignore
// file (YAML) lists entries with an advisory id (or alias), a reason and an expiry date, and
// optionally the package:
//
//   ignore:
//     - id: GHSA-xxxx-xxxx-xxxx
//       reason: the vulnerable feature is not used
//       expires: 2026-12-31
//       package: django
//
// An entry stops applying after its expiry date, and the audit says so. `--ignore ID` on the
// command line ignores without an expiry.

#include <string>
#include <string_view>
#include <vector>

#include "audit/deps/matcher.h"
#include "common/status.h"

namespace rampart::audit::deps {

struct IgnoreRule {
  std::string id;
  std::string reason;
  std::string expires;  // YYYY-MM-DD; "" for none
  std::string package;  // PEP 503 name; "" for any
  std::string where;    // "file:line" or "--ignore"
};

// Every entry needs id, reason and a valid expires date; errors name file and line.
StatusOr<std::vector<IgnoreRule>> load_ignore_file(const std::string& path);

// Marks the findings that an unexpired rule matches (by id or alias, and package) and returns
// the warnings for rules that have expired on `today` (YYYY-MM-DD).
std::vector<std::string> apply_ignores(const std::vector<IgnoreRule>& rules, std::string_view today,
                                       std::vector<Finding>* findings);

// Today's date in UTC, YYYY-MM-DD.
std::string today_utc();

}  // namespace rampart::audit::deps
