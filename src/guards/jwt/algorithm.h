#pragma once
// The JWS algorithms rampart verifies (RFC 7518 section 3, RFC 8037 for EdDSA), and the key
// family each one needs: an HMAC secret can never verify an RSA-declared token, nor an RSA key
// an HMAC-declared one (the "algorithm confusion" attack).

#include <optional>
#include <string_view>

namespace rampart::guards::jwt {

enum class Alg { kHS256, kHS384, kHS512, kRS256, kRS384, kRS512, kPS256, kES256, kES384, kEdDSA };

// The key types of RFC 7517 ("kty"); kOkp is Ed25519 here.
enum class KeyType { kOct, kRsa, kEc, kOkp };

inline constexpr Alg kAllAlgs[] = {Alg::kHS256, Alg::kHS384, Alg::kHS512, Alg::kRS256, Alg::kRS384,
                                   Alg::kRS512, Alg::kPS256, Alg::kES256, Alg::kES384, Alg::kEdDSA};

std::string_view alg_name(Alg a);
// The algorithm of a JOSE "alg" value; nullopt for "none" and for anything not supported.
std::optional<Alg> parse_alg(std::string_view name);
KeyType key_type_for(Alg a);
std::string_view key_type_name(KeyType t);
// The size in bytes of the digest the algorithm uses (HMAC secrets must be at least this long,
// RFC 7518 section 3.2; ECDSA signatures are twice the curve's size).
size_t digest_size(Alg a);

}  // namespace rampart::guards::jwt
