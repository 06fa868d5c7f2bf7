#pragma once
// Shared pieces of the waf unit tests: one Inspector for all (it is immutable and thread-safe),
// and a helper that inspects one value and describes the strongest finding as "class: reason".

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "waf/inspector.h"

namespace rampart::waf::testing {

inline const Inspector& shared_inspector() {
  static const std::unique_ptr<Inspector> inspector = [] {
    auto created = Inspector::create();
    if (!created.ok()) std::abort();
    return std::move(created).value();
  }();
  return *inspector;
}

// Every detector at its most sensitive level (3).
inline Policy paranoid_policy() {
  Policy p;
  p.sensitivity.fill(kSensitivityMax);
  return p;
}

// "sqli: union select", or "" when the value passes.
inline std::string verdict(std::string_view value, Part part = Part::kQuery,
                           std::string_view name = "q", const Policy& policy = Policy()) {
  auto findings = shared_inspector().inspect_value(part, name, value, policy);
  if (findings.empty()) return "";
  return std::string(attack_class_name(findings[0].attack)) + ": " + findings[0].reason;
}

struct Case {
  std::string_view input;
  std::string_view expected;  // verdict(); "" for benign
};

}  // namespace rampart::waf::testing
