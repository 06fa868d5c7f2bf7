#include "waf/parse/cookies.h"

namespace rampart::waf {
namespace {

std::string_view trim_ws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

void parse_cookies(std::string_view header_value, FieldSink& sink) {
  size_t start = 0;
  while (start <= header_value.size()) {
    size_t semi = header_value.find(';', start);
    if (semi == std::string_view::npos) semi = header_value.size();
    std::string_view pair = trim_ws(header_value.substr(start, semi - start));
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) {
        sink.add(Part::kCookie, std::string(), std::string(pair));
      } else {
        std::string_view value = trim_ws(pair.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
          value = value.substr(1, value.size() - 2);
        }
        sink.add(Part::kCookie, std::string(trim_ws(pair.substr(0, eq))), std::string(value));
      }
    }
    start = semi + 1;
  }
}

}  // namespace rampart::waf
