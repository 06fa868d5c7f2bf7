#include "guards/jwt/algorithm.h"

namespace rampart::guards::jwt {

std::string_view alg_name(Alg a) {
  switch (a) {
    case Alg::kHS256:
      return "HS256";
    case Alg::kHS384:
      return "HS384";
    case Alg::kHS512:
      return "HS512";
    case Alg::kRS256:
      return "RS256";
    case Alg::kRS384:
      return "RS384";
    case Alg::kRS512:
      return "RS512";
    case Alg::kPS256:
      return "PS256";
    case Alg::kES256:
      return "ES256";
    case Alg::kES384:
      return "ES384";
    case Alg::kEdDSA:
      return "EdDSA";
  }
  return "?";
}

std::optional<Alg> parse_alg(std::string_view name) {
  for (Alg a : kAllAlgs) {
    if (alg_name(a) == name) return a;  // case-sensitive, as RFC 7515 requires
  }
  return std::nullopt;
}

KeyType key_type_for(Alg a) {
  switch (a) {
    case Alg::kHS256:
    case Alg::kHS384:
    case Alg::kHS512:
      return KeyType::kOct;
    case Alg::kRS256:
    case Alg::kRS384:
    case Alg::kRS512:
    case Alg::kPS256:
      return KeyType::kRsa;
    case Alg::kES256:
    case Alg::kES384:
      return KeyType::kEc;
    case Alg::kEdDSA:
      return KeyType::kOkp;
  }
  return KeyType::kOct;
}

std::string_view key_type_name(KeyType t) {
  switch (t) {
    case KeyType::kOct:
      return "oct";
    case KeyType::kRsa:
      return "RSA";
    case KeyType::kEc:
      return "EC";
    case KeyType::kOkp:
      return "OKP";
  }
  return "?";
}

size_t digest_size(Alg a) {
  switch (a) {
    case Alg::kHS384:
    case Alg::kRS384:
    case Alg::kES384:
      return 48;
    case Alg::kHS512:
    case Alg::kRS512:
    case Alg::kEdDSA:
      return 64;
    default:
      return 32;
  }
}

}  // namespace rampart::guards::jwt
