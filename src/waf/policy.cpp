#include "waf/policy.h"

#include <string>

namespace rampart::waf {

bool Policy::excluded(Part part, std::string_view name, AttackClass attack) const {
  for (const Exclusion& e : exclusions) {
    if (e.part && *e.part != part) continue;
    if (e.attack && *e.attack != attack) continue;
    if (!e.name.empty() && e.name.back() == '*') {
      std::string_view prefix(e.name.data(), e.name.size() - 1);
      if (name.substr(0, prefix.size()) == prefix) return true;
    } else if (e.name == name) {
      return true;
    }
  }
  return false;
}

Status Policy::validate() const {
  for (size_t i = 0; i < sensitivity.size(); ++i) {
    if (sensitivity[i] < kSensitivityOff || sensitivity[i] > kSensitivityMax) {
      return Status::error("waf: sensitivity of " + std::string(attack_class_name(AttackClass(i))) +
                           " is " + std::to_string(sensitivity[i]) + ", expected 0 (off) to 3");
    }
  }
  if (threshold < 1 || threshold > 100) {
    return Status::error("waf: threshold is " + std::to_string(threshold) + ", expected 1 to 100");
  }
  if (body_limit == 0) return Status::error("waf: body limit must be at least 1 byte");
  if (max_argument_length == 0) return Status::error("waf: max argument length must be positive");
  return Status();
}

}  // namespace rampart::waf
