#pragma once
// Keys made with OpenSSL for the jwt tests (generated once per process), as private keys for
// signing and as the public PEM text or JWK members the guard reads.

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>

#include "guards/jwt/base64url.h"
#include "guards/jwt/key.h"
#include "guards/jwt/signature.h"

namespace rampart::guards::jwt::testing {

inline std::shared_ptr<EVP_PKEY> generate(const char* type, const char* param = nullptr) {
  EVP_PKEY* k = nullptr;
  if (std::string(type) == "RSA") {
    k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
  } else if (param != nullptr) {
    k = EVP_PKEY_Q_keygen(nullptr, nullptr, type, param);
  } else {
    k = EVP_PKEY_Q_keygen(nullptr, nullptr, type);
  }
  return {k, EVP_PKEY_free};
}

inline EVP_PKEY* rsa_key() {
  static auto k = generate("RSA");
  return k.get();
}
inline EVP_PKEY* rsa_key2() {
  static auto k = generate("RSA");
  return k.get();
}
inline EVP_PKEY* p256_key() {
  static auto k = generate("EC", "P-256");
  return k.get();
}
inline EVP_PKEY* p384_key() {
  static auto k = generate("EC", "P-384");
  return k.get();
}
inline EVP_PKEY* ed25519_key() {
  static auto k = generate("ED25519");
  return k.get();
}

inline std::string public_pem(EVP_PKEY* k) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, k);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, size_t(len));
  BIO_free(bio);
  return out;
}

inline Key public_key(EVP_PKEY* k, std::string kid = "") {
  auto key = key_from_pem(public_pem(k), "test");
  Key out = std::move(*key);
  out.kid = std::move(kid);
  return out;
}

inline std::string bn_param(EVP_PKEY* k, const char* name) {
  BIGNUM* bn = nullptr;
  EVP_PKEY_get_bn_param(k, name, &bn);
  std::string out(size_t(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return base64url_encode(out);
}

// The public JWK of a key, as JSON text members (without braces' kid/alg: added by callers).
inline std::string jwk_members(EVP_PKEY* k) {
  switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA:
      return R"("kty":"RSA","n":")" + bn_param(k, OSSL_PKEY_PARAM_RSA_N) + R"(","e":")" +
             bn_param(k, OSSL_PKEY_PARAM_RSA_E) + "\"";
    case EVP_PKEY_EC: {
      unsigned char pub[200];
      size_t len = 0;
      EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pub, sizeof pub, &len);
      size_t half = (len - 1) / 2;
      std::string x(reinterpret_cast<char*>(pub + 1), half);
      std::string y(reinterpret_cast<char*>(pub + 1 + half), half);
      return std::string(R"("kty":"EC","crv":")") + (half == 32 ? "P-256" : "P-384") +
             R"(","x":")" + base64url_encode(x) + R"(","y":")" + base64url_encode(y) + "\"";
    }
    default: {
      unsigned char pub[32];
      size_t len = sizeof pub;
      EVP_PKEY_get_raw_public_key(k, pub, &len);
      return R"("kty":"OKP","crv":"Ed25519","x":")" +
             base64url_encode(std::string(reinterpret_cast<char*>(pub), len)) + "\"";
    }
  }
}

inline const std::string kSecret =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

inline std::string token(Alg alg, EVP_PKEY* k, const std::string& claims,
                         const std::string& kid = "", std::string_view secret = kSecret) {
  std::string header = R"({"alg":")" + std::string(alg_name(alg)) + R"(","typ":"JWT")" +
                       (kid.empty() ? "" : R"(,"kid":")" + kid + "\"") + "}";
  return *make_token(alg, k, secret, header, claims);
}

}  // namespace rampart::guards::jwt::testing
