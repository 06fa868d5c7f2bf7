#pragma once
// Set-Cookie values (RFC 6265 section 4.1): the name and value, then attributes. Parsed only as
// far as the cookies guard needs: which attributes are present, so that missing ones are added
// and present ones kept exactly as the application wrote them.

#include <optional>
#include <string>
#include <string_view>

namespace rampart::http {

struct SetCookieView {
  std::string_view name;
  bool secure = false;
  bool http_only = false;
  bool has_same_site = false;
  std::string_view same_site;  // the value when present
};

// nullopt when the value is not a cookie ("" name, no '=', or a name with separators).
std::optional<SetCookieView> parse_set_cookie(std::string_view value);

// Parses a request's Cookie header ("a=1; b=2") and calls f(name, value) for each pair.
template <typename F>
void for_each_cookie(std::string_view header, F&& f);

}  // namespace rampart::http

#include "http/set_cookie_inl.h"
