#pragma once
// multipart/form-data (RFC 7578), read leniently: parts are found by the boundary taken from the
// Content-Type; each part yields its value under its field name, and its file name (if any) under
// "<name>.filename". Returns false when the body is not well-formed multipart (no boundary, no
// opening delimiter); the caller then inspects the body as raw text.

#include <string_view>

#include "waf/parse/field.h"

namespace rampart::waf {

// The boundary parameter of a multipart Content-Type, unquoted; empty when absent or invalid.
std::string_view multipart_boundary(std::string_view content_type);
bool parse_multipart(std::string_view body, std::string_view boundary, FieldSink& sink);

}  // namespace rampart::waf
