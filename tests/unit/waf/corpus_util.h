#pragma once
// Helpers for the corpus tests: locating ../shared/corpora and reading its files.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "waf/request.h"

namespace rampart::waf::testing {

// $RAMPART_SOURCE_DIR/../shared/corpora, then /work/shared/corpora; empty when neither exists.
inline std::filesystem::path corpora_dir() {
  namespace fs = std::filesystem;
  std::string src;
  if (const char* env = std::getenv("RAMPART_SOURCE_DIR")) src = env;
#ifdef RAMPART_SOURCE_DIR
  if (src.empty()) src = RAMPART_SOURCE_DIR;
#endif
  std::error_code ec;
  if (!src.empty()) {
    fs::path p = fs::path(src) / ".." / "shared" / "corpora";
    if (fs::is_directory(p, ec)) return fs::canonical(p, ec);
  }
  fs::path fallback = "/work/shared/corpora";
  if (fs::is_directory(fallback, ec)) return fallback;
  return {};
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// RAMPART_WAF_SHOW=1 prints every miss and false positive (for tuning the detectors).
inline bool show_details() {
  const char* v = std::getenv("RAMPART_WAF_SHOW");
  return v && *v == '1';
}

// A request owned by the test (waf::Request only views it).
struct OwnedRequest {
  std::string method, target, body;
  std::vector<std::pair<std::string, std::string>> headers;

  Request view() const {
    Request r;
    r.method = method;
    r.set_target(target);
    for (const auto& [k, v] : headers) r.headers.emplace_back(k, v);
    r.body = body;
    return r;
  }
};

}  // namespace rampart::waf::testing
