#include "guards/session/session_cookie.h"

#include <ctime>

#include "common/strings.h"

namespace rampart::guards {
namespace {

// An RFC 1123 date ("Thu, 01 Jan 1970 00:00:00 GMT", also with dashes as Werkzeug and Django
// write it) as Unix time; nullopt when unreadable.
std::optional<int64_t> parse_http_date(std::string_view text) {
  std::string s(trim(text));
  for (char& c : s) {
    if (c == '-') c = ' ';
  }
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
  if (end == nullptr) return std::nullopt;
  return int64_t(timegm(&tm));
}

}  // namespace

std::optional<AppSessionCookie> read_app_set_cookie(std::string_view set_cookie, int64_t now_unix) {
  auto parts = split(set_cookie, ';');
  std::string_view first = trim(parts[0]);
  size_t eq = first.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  AppSessionCookie c;
  c.name = std::string(trim(first.substr(0, eq)));
  if (c.name.empty()) return std::nullopt;
  c.value = std::string(trim(first.substr(eq + 1)));
  if (c.value.empty() || c.value == "\"\"") c.deletes = true;
  // Max-Age wins over Expires (RFC 6265 section 5.3, step 3).
  std::optional<bool> max_age_deletes;
  std::optional<bool> expires_deletes;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view attr = trim(parts[i]);
    size_t aeq = attr.find('=');
    std::string_view key = trim(attr.substr(0, aeq));
    std::string_view val = aeq == std::string_view::npos ? "" : trim(attr.substr(aeq + 1));
    if (iequals(key, "max-age")) {
      bool negative = !val.empty() && val.front() == '-';
      auto n = parse_u64(negative ? val.substr(1) : val);
      if (negative || n) max_age_deletes = negative || *n == 0;
    } else if (iequals(key, "expires")) {
      if (auto t = parse_http_date(val)) expires_deletes = *t <= now_unix;
    } else if (iequals(key, "path") && !val.empty() && val.front() == '/') {
      c.path = std::string(val);
    } else if (iequals(key, "domain")) {
      c.domain = std::string(val);
    }
  }
  if (max_age_deletes ? *max_age_deletes : expires_deletes.value_or(false)) c.deletes = true;
  return c;
}

std::string clearing_set_cookie(std::string_view name, std::string_view path,
                                std::string_view domain, bool https) {
  std::string v(name);
  v += "=; Path=";
  v += path.empty() ? "/" : path;
  if (!domain.empty()) {
    v += "; Domain=";
    v += domain;
  }
  v += "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
  if (https) v += "; Secure";
  return v;
}

}  // namespace rampart::guards
