#pragma once
// The request's Cookie header (RFC 6265 section 5.4, read as browsers and servers do): pairs
// separated by ';', spaces and tabs trimmed around names and values, a pair without '=' is a
// cookie with an empty name (RFC 6265bis), empty pairs skipped. Values are kept exactly as sent
// (quotes included): a guard tracking a session must see what the application sees. Several
// Cookie fields (HTTP/2 splits them, some clients repeat them) are read in order as one list.
//
// Duplicate names are kept in order. Applications disagree on which one wins (Werkzeug takes the
// first, Django the last), so callers that care must look at all of them (cookie_values).
//
// Hand-written: no library in the dependency list parses the request-side header, and the rules
// are a dozen lines.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/headers.h"

namespace rampart::http {

struct CookiePair {
  std::string_view name;
  std::string_view value;
};

// Views into `header`. At most `max_pairs` pairs are returned (the rest are ignored, and
// `truncated`, when given, is set).
std::vector<CookiePair> parse_cookie_header(std::string_view header, size_t max_pairs = SIZE_MAX,
                                            bool* truncated = nullptr);

// Every value of cookie `name` across all Cookie fields of `headers`, in order.
std::vector<std::string_view> cookie_values(const Headers& headers, std::string_view name);

// Removes the cookies for which pred(name, value) is true from every Cookie field; a field left
// empty is removed. Returns how many cookies were removed. The others keep their text.
template <typename Pred>
size_t remove_cookies(Headers& headers, Pred pred);

// The Cookie field value for these pairs ("a=1; b=2").
std::string serialize_cookie_header(const std::vector<CookiePair>& pairs);

}  // namespace rampart::http

#include "http/cookie_header_inl.h"
