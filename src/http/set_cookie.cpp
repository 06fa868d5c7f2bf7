#include "http/set_cookie.h"

#include "common/strings.h"

namespace rampart::http {
namespace {

bool is_token_char(char c) {
  if (c <= 0x20 || c >= 0x7f) return false;
  switch (c) {
    case '(':
    case ')':
    case '<':
    case '>':
    case '@':
    case ',':
    case ';':
    case ':':
    case '\\':
    case '"':
    case '/':
    case '[':
    case ']':
    case '?':
    case '=':
    case '{':
    case '}':
      return false;
    default:
      return true;
  }
}

}  // namespace

std::optional<SetCookieView> parse_set_cookie(std::string_view value) {
  auto parts = split(value, ';');
  std::string_view first = trim(parts[0]);
  size_t eq = first.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  std::string_view name = trim(first.substr(0, eq));
  if (name.empty()) return std::nullopt;
  for (char c : name) {
    if (!is_token_char(c)) return std::nullopt;
  }
  SetCookieView view;
  view.name = name;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view attr = trim(parts[i]);
    size_t aeq = attr.find('=');
    std::string_view key = trim(attr.substr(0, aeq));
    if (iequals(key, "secure")) {
      view.secure = true;
    } else if (iequals(key, "httponly")) {
      view.http_only = true;
    } else if (iequals(key, "samesite")) {
      view.has_same_site = true;
      if (aeq != std::string_view::npos) view.same_site = trim(attr.substr(aeq + 1));
    }
  }
  return view;
}

}  // namespace rampart::http
