#pragma once
// Cookie header values ("a=1; b=2"), RFC 6265 syntax read leniently: pairs without '=' become a
// cookie with an empty name, as browsers do. Values are not URL-decoded here.

#include <string_view>

#include "waf/parse/field.h"

namespace rampart::waf {

void parse_cookies(std::string_view header_value, FieldSink& sink);

}  // namespace rampart::waf
