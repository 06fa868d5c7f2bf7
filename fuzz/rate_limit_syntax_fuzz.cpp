// Rates as written in rampart.yaml ("100/minute", "20/10s"): parse_rate never crashes, and what
// it accepts is a usable GCRA limit (a period of at least one microsecond per request) whose
// normalised text parses back to the same rate.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "guards/rate_limit/limit_syntax.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto r = rampart::guards::parse_rate(in, error);
  if (!r) {
    if (error.empty()) std::abort();  // a refusal always says why
    return 0;
  }
  if (r->count < 1 || r->period.count() / r->count < 1) std::abort();
  std::string again_error;
  auto again = rampart::guards::parse_rate(r->text, again_error);
  if (!again || again->count != r->count || again->period != r->period) std::abort();
  return 0;
}
