#include "http/cookie_header.h"

namespace rampart::http {
namespace {

std::string_view trim_sp(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<CookiePair> parse_cookie_header(std::string_view header, size_t max_pairs,
                                            bool* truncated) {
  std::vector<CookiePair> out;
  if (truncated != nullptr) *truncated = false;
  size_t start = 0;
  while (start < header.size()) {
    size_t semi = header.find(';', start);
    if (semi == std::string_view::npos) semi = header.size();
    std::string_view pair = trim_sp(header.substr(start, semi - start));
    start = semi + 1;
    if (pair.empty()) continue;
    if (out.size() >= max_pairs) {
      if (truncated != nullptr) *truncated = true;
      break;
    }
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      out.push_back({std::string_view(), pair});
    } else {
      out.push_back({trim_sp(pair.substr(0, eq)), trim_sp(pair.substr(eq + 1))});
    }
  }
  return out;
}

std::vector<std::string_view> cookie_values(const Headers& headers, std::string_view name) {
  std::vector<std::string_view> out;
  for (FieldView f : headers) {
    if (!iequals(f.name, "cookie")) continue;
    for (const auto& p : parse_cookie_header(f.value)) {
      if (p.name == name) out.push_back(p.value);
    }
  }
  return out;
}

std::string serialize_cookie_header(const std::vector<CookiePair>& pairs) {
  std::string out;
  for (const auto& p : pairs) {
    if (!out.empty()) out += "; ";
    // A nameless cookie whose value holds '=' (or is empty) keeps its leading '=' so that it
    // reads back the same.
    if (!p.name.empty() || p.value.empty() || p.value.find('=') != std::string_view::npos) {
      out += p.name;
      out += '=';
    }
    out += p.value;
  }
  return out;
}

}  // namespace rampart::http
