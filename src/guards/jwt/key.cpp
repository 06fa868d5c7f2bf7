#include "guards/jwt/key.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>

#include "guards/jwt/base64url.h"
#include "guards/jwt/token.h"

namespace rampart::guards::jwt {
namespace {

std::shared_ptr<EVP_PKEY> own(EVP_PKEY* p) { return {p, EVP_PKEY_free}; }

// Fills type and curve from the EVP_PKEY; says why when the key type or size is not supported
// ("" when it is).
std::string classify(Key& k) {
  EVP_PKEY* p = k.pkey.get();
  switch (EVP_PKEY_get_base_id(p)) {
    case EVP_PKEY_RSA:
      k.type = KeyType::kRsa;
      if (EVP_PKEY_get_bits(p) < kMinRsaBits) {
        return "the RSA key has " + std::to_string(EVP_PKEY_get_bits(p)) + " bits; at least " +
               std::to_string(kMinRsaBits) + " are required";
      }
      return "";
    case EVP_PKEY_EC: {
      k.type = KeyType::kEc;
      char group[64] = {0};
      size_t len = 0;
      if (EVP_PKEY_get_utf8_string_param(p, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                         &len) != 1) {
        return "the EC key has no named curve";
      }
      std::string g(group, len);
      if (g == "prime256v1" || g == "P-256") {
        k.curve = "P-256";
      } else if (g == "secp384r1" || g == "P-384") {
        k.curve = "P-384";
      } else {
        return "the EC curve " + g + " is not supported (P-256 for ES256, P-384 for ES384)";
      }
      return "";
    }
    case EVP_PKEY_ED25519:
      k.type = KeyType::kOkp;
      k.curve = "Ed25519";
      return "";
    default:
      return "not an RSA, EC (P-256, P-384) or Ed25519 public key";
  }
}

std::optional<std::string> b64_member(const nlohmann::json& jwk, const char* name) {
  auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) return std::nullopt;
  return base64url_decode(it->get_ref<const std::string&>());
}

std::string string_member(const nlohmann::json& jwk, const char* name) {
  auto it = jwk.find(name);
  return it != jwk.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

// EVP_PKEY_fromdata with the parameters `fill` pushes.
template <typename Fill>
EVP_PKEY* from_params(const char* type, Fill fill) {
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (bld == nullptr) return nullptr;
  EVP_PKEY* pkey = nullptr;
  OSSL_PARAM* params = nullptr;
  EVP_PKEY_CTX* ctx = nullptr;
  if (fill(bld) && (params = OSSL_PARAM_BLD_to_param(bld)) != nullptr &&
      (ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr)) != nullptr &&
      EVP_PKEY_fromdata_init(ctx) == 1) {
    if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) pkey = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  return pkey;
}

// Whether a key from JWK members is sound (an EC point on its curve, an RSA modulus that is odd
// and an exponent that is not 1, ...): EVP_PKEY_fromdata does not check.
bool public_check(EVP_PKEY* p) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, p, nullptr);
  bool ok = ctx != nullptr && EVP_PKEY_public_check(ctx) == 1;
  EVP_PKEY_CTX_free(ctx);
  return ok;
}

// One JWK to a key; nullopt with `why` set when it cannot verify signatures here.
std::optional<Key> key_from_jwk(const nlohmann::json& jwk, const std::string& origin,
                                std::string& why) {
  if (!jwk.is_object()) {
    why = "is not a JSON object";
    return std::nullopt;
  }
  Key k;
  k.kid = string_member(jwk, "kid");
  k.origin = origin + (k.kid.empty() ? "" : " kid '" + k.kid + "'");
  std::string use = string_member(jwk, "use");
  if (!use.empty() && use != "sig") {
    why = "is for use '" + use + "', not 'sig'";
    return std::nullopt;
  }
  if (auto ops = jwk.find("key_ops"); ops != jwk.end()) {
    bool verify = false;
    if (ops->is_array()) {
      for (const auto& op : *ops) verify = verify || (op.is_string() && op == "verify");
    }
    if (!verify) {
      why = "has key_ops without 'verify'";
      return std::nullopt;
    }
  }
  std::string alg = string_member(jwk, "alg");
  if (!alg.empty()) {
    k.alg = parse_alg(alg);
    if (!k.alg) {
      why = "has alg '" + alg + "', which rampart does not verify";
      return std::nullopt;
    }
  }
  std::string kty = string_member(jwk, "kty");
  if (kty == "oct") {
    auto secret = b64_member(jwk, "k");
    if (!secret) {
      why = "has no base64url 'k'";
      return std::nullopt;
    }
    auto key = key_from_secret(std::move(*secret), k.origin);
    if (!key.ok()) {
      why = "has a secret shorter than 32 bytes";
      return std::nullopt;
    }
    key->kid = k.kid;
    key->alg = k.alg;
    k = std::move(*key);
  } else if (kty == "RSA") {
    auto n = b64_member(jwk, "n");
    auto e = b64_member(jwk, "e");
    if (!n || !e || n->empty() || e->empty()) {
      why = "has no base64url 'n' and 'e'";
      return std::nullopt;
    }
    Bn bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), int(n->size()), nullptr));
    Bn bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), int(e->size()), nullptr));
    if (!bn_n || !bn_e) {
      why = "has an unreadable modulus or exponent";
      return std::nullopt;
    }
    k.pkey = own(from_params("RSA", [&](OSSL_PARAM_BLD* b) {
      return OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, bn_n.get()) == 1 &&
             OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, bn_e.get()) == 1;
    }));
  } else if (kty == "EC") {
    std::string crv = string_member(jwk, "crv");
    size_t size = crv == "P-256" ? 32 : crv == "P-384" ? 48 : 0;
    if (size == 0) {
      why = "has curve '" + crv + "' (P-256 and P-384 are supported)";
      return std::nullopt;
    }
    auto x = b64_member(jwk, "x");
    auto y = b64_member(jwk, "y");
    if (!x || !y || x->size() != size || y->size() != size) {
      why = "has no base64url 'x' and 'y' of " + std::to_string(size) + " bytes";
      return std::nullopt;
    }
    std::string point = "\x04" + *x + *y;  // uncompressed point (SEC 1 section 2.3.3)
    k.pkey = own(from_params("EC", [&](OSSL_PARAM_BLD* b) {
      return OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, crv.c_str(), 0) == 1 &&
             OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                              point.size()) == 1;
    }));
  } else if (kty == "OKP") {
    std::string crv = string_member(jwk, "crv");
    if (crv != "Ed25519") {
      why = "has curve '" + crv + "' (Ed25519 is supported)";
      return std::nullopt;
    }
    auto x = b64_member(jwk, "x");
    if (!x || x->size() != 32) {
      why = "has no base64url 'x' of 32 bytes";
      return std::nullopt;
    }
    k.pkey = own(EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x->data()), x->size()));
  } else {
    why = "has kty '" + kty + "' (oct, RSA, EC and OKP are supported)";
    return std::nullopt;
  }
  if (kty == "oct") return k;
  if (!k.pkey || !public_check(k.pkey.get())) {
    why = "is not a valid public key";
    return std::nullopt;
  }
  why = classify(k);
  if (!why.empty()) return std::nullopt;
  if (k.alg && key_type_for(*k.alg) != k.type) {
    why = "declares alg '" + alg + "', which does not fit its kty '" + kty + "'";
    return std::nullopt;
  }
  return k;
}

}  // namespace

bool Key::verifies(Alg a) const {
  if (key_type_for(a) != type) return false;
  if (alg && *alg != a) return false;
  switch (a) {
    case Alg::kES256:
      return curve == "P-256";
    case Alg::kES384:
      return curve == "P-384";
    case Alg::kHS256:
    case Alg::kHS384:
    case Alg::kHS512:
      return secret.size() >= digest_size(a);
    default:
      return true;
  }
}

StatusOr<Key> key_from_pem(std::string_view pem, std::string_view origin) {
  // Failed attempts below leave errors in OpenSSL's queue for this thread; none may stay.
  struct ClearErrors {
    ~ClearErrors() { ERR_clear_error(); }
  } clear_errors;
  Key k;
  k.origin.assign(origin);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), int(pem.size())),
                                                BIO_free);
  if (!bio) return Status::error(k.origin + ": out of memory");
  if (pem.find("PRIVATE KEY-----") != std::string_view::npos) {
    return Status::error(k.origin +
                         ": holds a private key; give rampart only the public key "
                         "(openssl pkey -in KEY -pubout)");
  }
  // The decoder reads every PEM form of a public key ("PUBLIC KEY", "RSA PUBLIC KEY").
  EVP_PKEY* p = nullptr;
  if (OSSL_DECODER_CTX* dctx = OSSL_DECODER_CTX_new_for_pkey(
          &p, "PEM", nullptr, nullptr, EVP_PKEY_PUBLIC_KEY, nullptr, nullptr)) {
    if (OSSL_DECODER_from_bio(dctx, bio.get()) != 1) p = nullptr;
    OSSL_DECODER_CTX_free(dctx);
  }
  if (p == nullptr) {
    BIO_reset(bio.get());
    if (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
      p = X509_get_pubkey(cert);
      X509_free(cert);
    }
  }
  if (p == nullptr) {
    return Status::error(k.origin +
                         ": no PEM public key or certificate in it (expected '-----BEGIN PUBLIC "
                         "KEY-----' or '-----BEGIN CERTIFICATE-----')");
  }
  k.pkey = own(p);
  std::string why = classify(k);
  if (!why.empty()) return Status::error(k.origin + ": " + why);
  return k;
}

StatusOr<Key> load_pem_key(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return key_from_pem(text.str(), path);
}

StatusOr<Key> key_from_secret(std::string secret, std::string_view origin) {
  Key k;
  k.origin.assign(origin);
  if (secret.size() < 32) {
    return Status::error(k.origin + ": the HMAC secret has " + std::to_string(secret.size()) +
                         " bytes; at least 32 are required (RFC 7518 section 3.2)");
  }
  k.type = KeyType::kOct;
  k.secret = std::move(secret);
  return k;
}

StatusOr<JwksParse> parse_jwks(std::string_view json_text, std::string_view origin) {
  struct ClearErrors {
    ~ClearErrors() { ERR_clear_error(); }
  } clear_errors;
  std::string why;
  std::string o(origin);
  auto doc = parse_json_object(json_text, why, 8);
  if (!doc) return Status::error(o + ": the JWK Set " + why);
  auto keys = doc->find("keys");
  if (keys == doc->end() || !keys->is_array()) {
    return Status::error(o + ": the JWK Set has no \"keys\" array");
  }
  JwksParse out;
  for (size_t i = 0; i < keys->size(); ++i) {
    std::string key_origin = o + " keys[" + std::to_string(i) + "]";
    auto k = key_from_jwk((*keys)[i], key_origin, why);
    if (!k) {
      out.skipped.push_back(key_origin + " " + why);
      continue;
    }
    out.set.keys.push_back(std::move(*k));
  }
  if (out.set.keys.empty()) {
    std::string msg = o + ": the JWK Set has no key rampart can verify signatures with";
    for (const auto& s : out.skipped) msg += "; " + s;
    return Status::error(msg);
  }
  return out;
}

}  // namespace rampart::guards::jwt
