#pragma once
// Verification keys: HMAC secrets, RSA, EC (P-256, P-384) and Ed25519 public keys, read from PEM
// files or from a JWK Set (RFC 7517). A key knows the one family of algorithms it may verify
// (its type), and, when its JWK says so, the one algorithm ("alg") and use ("use": "sig",
// "key_ops" with "verify"). Keys are immutable once built and shared by every thread.

#include <openssl/evp.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "guards/jwt/algorithm.h"

namespace rampart::guards::jwt {

struct Key {
  std::string kid;  // "" when the key has none
  KeyType type = KeyType::kOct;
  std::optional<Alg> alg;  // the only algorithm this key verifies; nullopt: any of its family
  std::string curve;       // "P-256", "P-384" or "Ed25519" for EC and OKP keys
  std::shared_ptr<EVP_PKEY> pkey;  // the public key (all types but oct)
  std::string secret;              // the HMAC secret (oct)
  std::string origin;              // where it came from, for messages

  // Whether this key may verify a token declaring `a` (type, curve, alg and secret length).
  bool verifies(Alg a) const;
};

struct KeySet {
  std::vector<Key> keys;
};

// The smallest RSA modulus accepted (NIST SP 800-131A).
inline constexpr int kMinRsaBits = 2048;

// A public key or certificate from a PEM file. A private key is refused (the gateway only
// verifies; give it the public half).
StatusOr<Key> load_pem_key(const std::string& path);
StatusOr<Key> key_from_pem(std::string_view pem, std::string_view origin);
// An HMAC secret. Secrets shorter than 32 bytes are refused (RFC 7518 section 3.2).
StatusOr<Key> key_from_secret(std::string secret, std::string_view origin);

// A JWK Set. Keys that cannot verify signatures here (encryption keys, unsupported types or
// curves) are left out and named in `skipped`; a set with no usable key is an error.
struct JwksParse {
  KeySet set;
  std::vector<std::string> skipped;
};
StatusOr<JwksParse> parse_jwks(std::string_view json_text, std::string_view origin);

}  // namespace rampart::guards::jwt
