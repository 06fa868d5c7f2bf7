#pragma once
// JWS signatures with OpenSSL 3's EVP interface: verification for the gateway, and signing for
// the tests, the benchmark and the fuzzer's seeds. ECDSA signatures are JOSE's fixed-size r||s
// (RFC 7518 section 3.4), converted to and from the DER that OpenSSL reads and writes.

#include <openssl/evp.h>

#include <optional>
#include <string>
#include <string_view>

#include "guards/jwt/algorithm.h"
#include "guards/jwt/key.h"

namespace rampart::guards::jwt {

// Whether `signature` is a valid `alg` signature of `input` under `key`. False (never a crash)
// for a key that does not fit the algorithm and for a signature of the wrong size or form.
bool verify_signature(Alg alg, const Key& key, std::string_view input, std::string_view signature);

// Signs with a private key (or an HMAC secret: `secret` non-empty); nullopt on failure.
std::optional<std::string> sign(Alg alg, EVP_PKEY* private_key, std::string_view secret,
                                std::string_view input);

// header.payload.signature for the given header and claims JSON texts.
std::optional<std::string> make_token(Alg alg, EVP_PKEY* private_key, std::string_view secret,
                                      std::string_view header_json, std::string_view claims_json);

}  // namespace rampart::guards::jwt
