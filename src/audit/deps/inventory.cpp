#include "audit/deps/inventory.h"

#include <map>

#include "audit/deps/specifier.h"

namespace rampart::audit::deps {

size_t apply_constraints(Inventory* inv) {
  std::map<std::string, std::string> pinned;  // key -> version, from constraints files
  for (const auto& d : inv->deps) {
    if (d.source == "constraints" && !d.version.empty()) pinned[d.key] = d.version;
  }
  size_t dropped = 0;
  std::vector<Dependency> kept;
  for (auto& d : inv->deps) {
    auto it = pinned.find(d.key);
    if (d.source == "requirements" && d.version.empty() && it != pinned.end()) {
      auto set = SpecifierSet::parse(d.specifier);
      if (set.ok() && set->contains(Version::parse_lenient(it->second))) {
        ++dropped;
        continue;
      }
    }
    kept.push_back(std::move(d));
  }
  inv->deps = std::move(kept);
  return dropped;
}

}  // namespace rampart::audit::deps
