#pragma once
// Verifies a token against a policy and the keys at hand: the form (token.h), an algorithm the
// policy allows ("none" never), a key of the algorithm's own family (an HMAC secret never
// verifies an RSA/EC/EdDSA-declared token, nor a public key an HMAC-declared one), the signature,
// then the registered claims: exp, nbf and iat with a leeway for clock skew, iss, aud, and the
// claims the policy requires. Time is a parameter, so tests need no clock.
//
// Thread-safe: a Verifier is immutable; the key sets are snapshots the caller holds.

#include <chrono>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "guards/jwt/error.h"
#include "guards/jwt/key.h"
#include "guards/jwt/token.h"

namespace rampart::guards::jwt {

struct Policy {
  std::vector<Alg> algorithms{std::begin(kAllAlgs), std::end(kAllAlgs)};
  std::vector<std::string> issuers;    // empty: iss is not checked
  std::vector<std::string> audiences;  // empty: aud is not checked
  std::chrono::seconds leeway{60};
  std::vector<std::string> required_claims{"exp"};
  size_t max_token_size = kDefaultMaxTokenSize;
};

struct Verified {
  nlohmann::json claims;
  Alg alg = Alg::kHS256;
  std::string kid;
};

// What verification needs besides the token: the key sets to search (static keys first, then
// those fetched), which may be null or empty.
struct KeySources {
  const KeySet* fixed = nullptr;
  const KeySet* fetched = nullptr;
};

class Verifier {
 public:
  explicit Verifier(Policy p) : p_(std::move(p)) {}
  const Policy& policy() const { return p_; }

  // The verified claims, or why the token is refused. The code "jwt_unknown_kid" means the
  // token names a key id no source holds (a fetched set may be stale: see JwksSource).
  std::variant<Verified, JwtError> verify(std::string_view token, const KeySources& keys,
                                          std::chrono::system_clock::time_point now) const;

  // The claims checks alone, on an already verified claims set.
  std::optional<JwtError> check_claims(const nlohmann::json& claims,
                                       std::chrono::system_clock::time_point now) const;

 private:
  Policy p_;
};

}  // namespace rampart::guards::jwt
