#pragma once
// Where the shared public corpora live: $RAMPART_SOURCE_DIR/../shared/corpora, then
// /work/shared/corpora. Empty when neither exists (tests then skip).
#include <cstdlib>
#include <filesystem>
#include <string>

namespace rampart::audit::deps::testing {

inline std::string corpus_dir(const std::string& sub) {
  std::vector<std::filesystem::path> roots;
  if (const char* env = std::getenv("RAMPART_SOURCE_DIR"))
    roots.emplace_back(std::filesystem::path(env) / "../shared/corpora");
  roots.emplace_back(std::filesystem::path(RAMPART_SOURCE_DIR) / "../shared/corpora");
  roots.emplace_back("/work/shared/corpora");
  for (const auto& r : roots) {
    std::error_code ec;
    if (std::filesystem::exists(r / sub, ec)) return (r / sub).lexically_normal().string();
  }
  return "";
}

inline std::string fixture(const std::string& rel) {
  return std::string(RAMPART_FIXTURES_DIR) + "/audit/deps/" + rel;
}

}  // namespace rampart::audit::deps::testing
