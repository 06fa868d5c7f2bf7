#include "audit/report/finding.h"

namespace rampart::audit {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "medium";
}

std::string_view confidence_name(Confidence c) {
  switch (c) {
    case Confidence::kLow:
      return "low";
    case Confidence::kMedium:
      return "medium";
    case Confidence::kHigh:
      return "high";
  }
  return "medium";
}

std::optional<Severity> parse_severity(std::string_view s) {
  for (Severity v : {Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    if (s == severity_name(v)) return v;
  }
  return std::nullopt;
}

std::string_view suppression_name(Suppression s) {
  switch (s) {
    case Suppression::kNone:
      return "";
    case Suppression::kNosec:
      return "nosec";
    case Suppression::kIgnoreComment:
      return "ignore-comment";
    case Suppression::kBaseline:
      return "baseline";
  }
  return "";
}

const RuleInfo* Report::rule(std::string_view code) const {
  for (const auto& r : rules) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

size_t Report::active_count(Severity threshold) const {
  size_t n = 0;
  for (const auto& f : findings) {
    if (f.suppression == Suppression::kNone && f.severity >= threshold) ++n;
  }
  return n;
}

}  // namespace rampart::audit
