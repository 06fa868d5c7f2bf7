#pragma once
// application/x-www-form-urlencoded, as in query strings and form bodies: '&'-separated
// name=value pairs, '+' as space, %XX decoded once. Never fails: malformed escapes stay as text.

#include <string_view>

#include "waf/parse/field.h"

namespace rampart::waf {

void parse_urlencoded(std::string_view text, Part part, FieldSink& sink);

}  // namespace rampart::waf
