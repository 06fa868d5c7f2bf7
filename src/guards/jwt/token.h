#pragma once
// The JWS compact serialization (RFC 7515 section 7.1) of a JWT (RFC 7519): three base64url
// segments, a JOSE header and a claims set that must both be JSON objects (with no duplicate
// member names, RFC 7515 section 4 / RFC 7519 section 4), and a signature. parse_token checks
// the form only; the signature and the claims are checked by the Verifier (verifier.h).
//
// Every input is a stranger's: a bad one gives a JwtError, never an exception or a crash.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "guards/jwt/algorithm.h"
#include "guards/jwt/error.h"

namespace rampart::guards::jwt {

struct ParsedToken {
  nlohmann::json header;           // an object
  nlohmann::json claims;           // an object
  std::string alg_text;            // the header's "alg" as written
  std::optional<Alg> alg;          // nullopt when unsupported (or "none")
  std::string kid;                 // "" when absent
  std::string_view signing_input;  // "header.payload", a view into the token given to parse
  std::string signature;           // decoded bytes
};

inline constexpr size_t kDefaultMaxTokenSize = 8 * 1024;
// Deeper JSON than this in a header or claims set is refused (no real token nests this deep).
inline constexpr int kMaxJsonDepth = 16;

// Parses `token` (which must outlive the result's signing_input). Tokens longer than
// `max_size` bytes are refused before any decoding.
std::variant<ParsedToken, JwtError> parse_token(std::string_view token,
                                                size_t max_size = kDefaultMaxTokenSize);

// Parses a JSON object strictly: nullopt (with `why` set) for invalid JSON, a value that is not an
// object, a duplicate member name at any depth, or nesting deeper than `max_depth`.
std::optional<nlohmann::json> parse_json_object(std::string_view text, std::string& why,
                                                int max_depth = kMaxJsonDepth);

}  // namespace rampart::guards::jwt
