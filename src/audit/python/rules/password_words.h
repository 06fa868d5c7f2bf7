#pragma once
// Whether an expression mentions a password: an identifier, attribute or string key inside it
// that looks like one (`password`, `form["pwd"]`, `user.passwd.encode()`).

#include <string_view>

#include "audit/python/syntax.h"

namespace rampart::audit::python::rules {

bool mentions_password(TSNode n, std::string_view src);
// The hashlib algorithm a call creates ("md5", "sha256"...), or "" when it is not one.
std::string hashlib_algorithm(TSNode call, const std::string& qualified, std::string_view src);

}  // namespace rampart::audit::python::rules
