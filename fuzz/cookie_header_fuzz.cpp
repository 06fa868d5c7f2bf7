// Request Cookie headers, as the csrf and session guards read them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/cookie_header.h"

using rampart::http::CookiePair;

static bool same(const std::vector<CookiePair>& a, const std::vector<CookiePair>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].value != b[i].value) return false;
  }
  return true;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto pairs = rampart::http::parse_cookie_header(input);
  for (const auto& p : pairs) {
    if (p.name.find(';') != std::string_view::npos || p.value.find(';') != std::string_view::npos)
      __builtin_trap();
  }
  // What the parser reads, written back, reads the same.
  std::string again = rampart::http::serialize_cookie_header(pairs);
  if (!same(rampart::http::parse_cookie_header(again), pairs)) __builtin_trap();

  // Removing the first cookie's name removes exactly its occurrences.
  rampart::http::Headers h;
  h.add("Cookie", input);
  h.add("Cookie", "tail=1");
  std::string_view victim = pairs.empty() ? std::string_view("x") : pairs[0].name;
  std::string name(victim);
  size_t expected = rampart::http::cookie_values(h, name).size();
  size_t removed = rampart::http::remove_cookies(
      h, [&](std::string_view n, std::string_view) { return n == name; });
  if (removed != expected || !rampart::http::cookie_values(h, name).empty()) __builtin_trap();
  return 0;
}
