#pragma once
// Rates as people write them: "100/minute", "5/second", "1000/hour", "10000/day", or a count per
// a duration, "20/10s", "3/5m". The count is a whole number from 1 to 1e9; the period from 1 ms
// to 366 days. A mistake gives nullopt and a message that says what was expected.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "state/clock.h"

namespace rampart::guards {

struct RateSpec {
  int64_t count = 0;
  state::Micros period{0};
  std::string text;  // normalised, for messages: "100/minute"
};

std::optional<RateSpec> parse_rate(std::string_view text, std::string& error);

}  // namespace rampart::guards
