#pragma once
// CVSS v3.0 / v3.1 base scores computed from a vector string ("CVSS:3.1/AV:N/AC:L/..."), as
// the FIRST specification defines them, and the qualitative rating of a score.

#include <optional>
#include <string_view>

namespace rampart::audit::deps {

enum class Severity { kUnknown = 0, kLow = 1, kMedium = 2, kHigh = 3, kCritical = 4 };

// The base score (0.0 - 10.0), or nullopt when the vector is not a complete CVSS v3 vector.
std::optional<double> cvss3_base_score(std::string_view vector);
// 0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical (0.0 "none" is low here).
Severity severity_of_score(double score);
// "low", "MODERATE", "high", "critical" (GitHub's words included); kUnknown otherwise.
Severity severity_from_label(std::string_view label);
const char* severity_name(Severity s);

}  // namespace rampart::audit::deps
