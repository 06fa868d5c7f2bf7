#pragma once
// Values the rate_limit guard keys on, taken from a request: a cookie's value, and the username
// of a login attempt from its form (application/x-www-form-urlencoded, multipart/form-data) or
// JSON body. Usernames are compared as sent, but for case: "Alice" and "alice" are one user.

#include <optional>
#include <string>
#include <string_view>

#include "http/headers.h"

namespace rampart::guards {

std::optional<std::string> cookie_value(const http::Headers& headers, std::string_view name);

// `field` names a form field, or a JSON member by its path ("user.name"). Nullopt when the body
// is of another type or has no such field.
std::optional<std::string> login_username(const http::Headers& headers, std::string_view body,
                                          std::string_view field);

}  // namespace rampart::guards
