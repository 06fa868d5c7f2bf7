#include "audit/deps/inventory.h"

#include <map>
#include <set>
#include <tuple>

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

void remove_duplicates(Inventory* inv) {
  std::set<std::tuple<std::string, int, std::string>> seen;
  std::vector<Dependency> deps;
  for (auto& d : inv->deps) {
    if (seen.emplace(d.where.file, d.where.line, d.key).second) deps.push_back(std::move(d));
  }
  inv->deps = std::move(deps);
  std::set<std::tuple<std::string, int, std::string>> seen_na;
  std::vector<NotAuditable> na;
  for (auto& n : inv->not_auditable) {
    if (seen_na.emplace(n.where.file, n.where.line, n.text).second) na.push_back(std::move(n));
  }
  inv->not_auditable = std::move(na);
  std::set<std::string> seen_files;
  std::vector<std::string> files;
  for (auto& f : inv->files) {
    if (seen_files.insert(f).second) files.push_back(std::move(f));
  }
  inv->files = std::move(files);
}

}  // namespace rampart::audit::deps
