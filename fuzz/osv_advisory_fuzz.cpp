// An OSV advisory from arbitrary bytes: parsed, indexed, read back from the index and matched.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "audit/deps/advisory.h"
#include "audit/deps/matcher.h"

using namespace rampart::audit::deps;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return 0;
  auto a = advisory_from_osv(doc, "fuzz");
  if (!a.ok()) return 0;
  auto back = advisory_from_index(advisory_to_index(*a));
  if (!back.ok()) __builtin_trap();  // the index form must read back
  for (const auto& p : a->affected) {
    Dependency d;
    d.key = p.key;
    d.version = "1.0";
    (void)match_dependency(d, {*a});
    d.version = "";
    d.specifier = ">=0.5,<2";
    (void)match_dependency(d, {*a});
  }
  return 0;
}
