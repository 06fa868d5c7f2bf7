#pragma once
// Strict base64url (RFC 4648 section 5) as JWS uses it (RFC 7515 section 2): no padding, no
// whitespace, and the unused low bits of the last character must be zero, so that every encoded
// string has exactly one decoding. OpenSSL's EVP_DecodeBlock reads the standard alphabet and
// tolerates whitespace and padding; no packaged library decodes this strict form, hence this file.

#include <optional>
#include <string>
#include <string_view>

namespace rampart::guards::jwt {

// The bytes `text` encodes; nullopt when it is not strict base64url.
std::optional<std::string> base64url_decode(std::string_view text);
std::string base64url_encode(std::string_view bytes);

}  // namespace rampart::guards::jwt
