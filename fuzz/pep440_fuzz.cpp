// PEP 440 versions and specifiers from arbitrary bytes: parsing, normalization, ordering and
// matching must never crash, and the normalized form must parse back to an equal version.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "audit/deps/specifier.h"
#include "audit/deps/version.h"

using rampart::audit::deps::SpecifierSet;
using rampart::audit::deps::Version;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t split = in.find('\n');
  std::string_view a = in.substr(0, split);
  std::string_view b = split == std::string_view::npos ? std::string_view() : in.substr(split + 1);
  if (auto v = Version::parse(a)) {
    auto again = Version::parse(v->to_string());
    if (!again || !(*again == *v)) std::abort();  // normalization must round-trip
  }
  Version x = Version::parse_lenient(a), y = Version::parse_lenient(b);
  auto c1 = x <=> y, c2 = y <=> x;
  if ((c1 < 0) != (c2 > 0)) std::abort();  // the order must be antisymmetric
  if (auto set = SpecifierSet::parse(b); set.ok()) {
    (void)set->contains(x);
    (void)set->pinned_version();
    (void)set->to_string();
  }
  return 0;
}
