#pragma once
// The double-submit token of the csrf guard: 32 random bytes from OpenSSL's RAND_bytes, written
// as 64 lower-case hex digits (safe in a cookie, a header and a form field without escaping), and
// compared in constant time (CRYPTO_memcmp) so that a mismatch leaks nothing through timing.

#include <optional>
#include <string>
#include <string_view>

namespace rampart::guards {

constexpr size_t kCsrfTokenLength = 64;

// A fresh token; nullopt only when the random generator fails (then no cookie is set).
std::optional<std::string> new_csrf_token();
// Whether `t` has the token's shape (64 hex digits). Anything else is ignored.
bool well_formed_csrf_token(std::string_view t);
// Constant-time equality of two well-formed tokens.
bool csrf_tokens_equal(std::string_view a, std::string_view b);

// The value of form field `field` in a request body of this Content-Type
// (application/x-www-form-urlencoded or multipart/form-data); nullopt when the body has no such
// field or is of another type. The first occurrence wins.
std::optional<std::string> form_field(std::string_view content_type, std::string_view body,
                                      std::string_view field);
// Whether the Content-Type is one a form field can be read from.
bool is_form_content_type(std::string_view content_type);

}  // namespace rampart::guards
