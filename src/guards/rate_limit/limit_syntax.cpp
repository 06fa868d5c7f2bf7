#include "guards/rate_limit/limit_syntax.h"

#include "common/strings.h"

namespace rampart::guards {
namespace {

constexpr int64_t kMaxCount = 1'000'000'000;
constexpr int64_t kSecond = 1'000'000;

struct Unit {
  std::string_view name;
  int64_t micros;
};
constexpr Unit kUnits[] = {
    {"ms", 1000},
    {"s", kSecond},
    {"sec", kSecond},
    {"second", kSecond},
    {"m", 60 * kSecond},
    {"min", 60 * kSecond},
    {"minute", 60 * kSecond},
    {"h", 3600 * kSecond},
    {"hour", 3600 * kSecond},
    {"d", 86400 * kSecond},
    {"day", 86400 * kSecond},
};

std::optional<int64_t> unit_micros(std::string_view u) {
  std::string lower = to_lower(u);
  std::string_view name = lower;
  // "minutes", "seconds", "hours", "days"
  if (name.size() > 3 && name.back() == 's') name.remove_suffix(1);
  for (const auto& unit : kUnits) {
    if (unit.name == name) return unit.micros;
  }
  return std::nullopt;
}

}  // namespace

std::optional<RateSpec> parse_rate(std::string_view text, std::string& error) {
  const std::string expected =
      "expected a rate such as 100/minute, 5/second or 20/10s, got " + quote_for_message(text);
  std::string_view t = trim(text);
  size_t slash = t.find('/');
  if (slash == std::string_view::npos) {
    error = expected;
    return std::nullopt;
  }
  auto count = parse_u64(trim(t.substr(0, slash)));
  if (!count || *count == 0 || *count > uint64_t(kMaxCount)) {
    error = count
                ? "the count of a rate must be from 1 to 1000000000, got " + quote_for_message(text)
                : expected;
    return std::nullopt;
  }
  std::string_view per = trim(t.substr(slash + 1));
  size_t digits = 0;
  while (digits < per.size() && per[digits] >= '0' && per[digits] <= '9') ++digits;
  uint64_t multiple = 1;
  if (digits > 0) {
    auto m = parse_u64(per.substr(0, digits));
    if (!m || *m == 0 || *m > 1'000'000) {
      error = expected;
      return std::nullopt;
    }
    multiple = *m;
  }
  std::string_view unit_text = trim(per.substr(digits));
  auto unit = unit_micros(unit_text);
  if (unit_text.empty() || !unit) {
    error = expected;
    return std::nullopt;
  }
  const int64_t max_period = 366 * 86400 * kSecond;
  if (multiple > uint64_t(max_period / *unit)) {
    error = "the period of a rate must be at most 366 days, got " + quote_for_message(text);
    return std::nullopt;
  }
  RateSpec spec;
  spec.count = int64_t(*count);
  spec.period = state::Micros(int64_t(multiple) * *unit);
  if (spec.period.count() / spec.count < 1) {
    error = "a rate of more than one request per microsecond cannot be limited: " +
            quote_for_message(text);
    return std::nullopt;
  }
  spec.text = std::to_string(spec.count) + "/" +
              (digits > 0 ? std::string(per.substr(0, digits)) : std::string()) +
              to_lower(unit_text);
  return spec;
}

}  // namespace rampart::guards
