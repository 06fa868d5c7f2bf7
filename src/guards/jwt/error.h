#pragma once
// Why a token was refused: a short machine-readable code for events and metrics ("jwt_expired")
// and a sentence for the log and the WWW-Authenticate error_description.

#include <string>
#include <string_view>

namespace rampart::guards::jwt {

struct JwtError {
  std::string_view code;  // always a string literal
  std::string detail;
};

}  // namespace rampart::guards::jwt
