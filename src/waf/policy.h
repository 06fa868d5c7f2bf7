#pragma once
// What the inspector reports: sensitivity per detector, the score threshold, exclusions and the
// body limit. Built once from configuration and shared read-only.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "waf/types.h"

namespace rampart::waf {

// Sensitivity of one detector: 0 turns it off; 1 reports only unambiguous attacks; 2 (default)
// adds likely ones; 3 adds suspicious patterns that can be benign (more false positives).
inline constexpr int kSensitivityOff = 0;
inline constexpr int kSensitivityDefault = 2;
inline constexpr int kSensitivityMax = 3;

// Skips a detector (or all) for one argument: a rich-text field that legitimately carries HTML.
struct Exclusion {
  std::optional<Part> part;           // any part when empty
  std::string name;                   // exact name, or a prefix when it ends in '*'
  std::optional<AttackClass> attack;  // every detector when empty
};

struct Policy {
  std::array<int, kAttackClassCount> sensitivity;
  int threshold = 5;                       // findings scoring below are not reported
  size_t body_limit = size_t(1) << 20;     // bytes of body inspected; the rest is counted
  size_t max_argument_length = 64 * 1024;  // longer values are a protocol finding
  size_t max_arguments = 1024;             // values beyond are counted, not inspected
  std::vector<Exclusion> exclusions;

  Policy() { sensitivity.fill(kSensitivityDefault); }

  int level(AttackClass c) const { return sensitivity[size_t(c)]; }
  void set_level(AttackClass c, int level) { sensitivity[size_t(c)] = level; }
  bool excluded(Part part, std::string_view name, AttackClass attack) const;
  // Checks ranges: levels 0..3, threshold 1..100, a non-zero body limit.
  Status validate() const;
};

}  // namespace rampart::waf
