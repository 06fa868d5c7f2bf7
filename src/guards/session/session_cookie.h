#pragma once
// What the session guard reads of the application's Set-Cookie for a session cookie: the value,
// whether it deletes the cookie (Max-Age <= 0, an Expires in the past, or an empty value), and
// the Path and Domain (the clearing Set-Cookie must name the same ones, or the browser keeps the
// cookie). And the clearing Set-Cookie itself.

#include <optional>
#include <string>
#include <string_view>

namespace rampart::guards {

struct AppSessionCookie {
  std::string name;
  std::string value;
  std::string path = "/";
  std::string domain;
  bool deletes = false;
};

// nullopt when the Set-Cookie value is not a cookie. `now_unix` decides whether Expires is past.
std::optional<AppSessionCookie> read_app_set_cookie(std::string_view set_cookie, int64_t now_unix);

// "NAME=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT" (+ Domain, + Secure on HTTPS).
std::string clearing_set_cookie(std::string_view name, std::string_view path,
                                std::string_view domain, bool https);

}  // namespace rampart::guards
