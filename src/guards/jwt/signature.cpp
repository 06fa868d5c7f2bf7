#include "guards/jwt/signature.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <memory>

#include "guards/jwt/base64url.h"

namespace rampart::guards::jwt {
namespace {

const EVP_MD* digest_for(Alg a) {
  switch (a) {
    case Alg::kHS256:
    case Alg::kRS256:
    case Alg::kPS256:
    case Alg::kES256:
      return EVP_sha256();
    case Alg::kHS384:
    case Alg::kRS384:
    case Alg::kES384:
      return EVP_sha384();
    case Alg::kHS512:
    case Alg::kRS512:
      return EVP_sha512();
    case Alg::kEdDSA:
      return nullptr;  // Ed25519 hashes internally
  }
  return nullptr;
}

bool is_hmac(Alg a) { return key_type_for(a) == KeyType::kOct; }

std::optional<std::string> hmac(Alg alg, std::string_view secret, std::string_view input) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(digest_for(alg), secret.data(), int(secret.size()),
           reinterpret_cast<const unsigned char*>(input.data()), input.size(), out,
           &len) == nullptr) {
    return std::nullopt;
  }
  return std::string(reinterpret_cast<char*>(out), len);
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

bool set_pss(EVP_PKEY_CTX* pctx) {
  // RFC 7518 section 3.5: MGF1 with the same hash, and a salt as long as the hash.
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
}

// JOSE r||s (each `half` bytes, big-endian) to DER ECDSA-Sig-Value.
std::optional<std::string> raw_to_der(std::string_view raw, size_t half) {
  if (raw.size() != 2 * half) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  BIGNUM* r = BN_bin2bn(p, int(half), nullptr);
  BIGNUM* s = BN_bin2bn(p + half, int(half), nullptr);
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (r == nullptr || s == nullptr || sig == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), size_t(len));
  OPENSSL_free(der);
  return out;
}

std::optional<std::string> der_to_raw(std::string_view der, size_t half) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, long(der.size()));
  if (sig == nullptr) return std::nullopt;
  std::string out(2 * half, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  bool ok = BN_bn2binpad(ECDSA_SIG_get0_r(sig), o, int(half)) == int(half) &&
            BN_bn2binpad(ECDSA_SIG_get0_s(sig), o + half, int(half)) == int(half);
  ECDSA_SIG_free(sig);
  if (!ok) return std::nullopt;
  return out;
}

size_t ec_half(Alg a) { return a == Alg::kES384 ? 48 : 32; }

bool verify_unchecked(Alg alg, const Key& key, std::string_view input, std::string_view signature);

}  // namespace

bool verify_signature(Alg alg, const Key& key, std::string_view input, std::string_view signature) {
  bool ok = verify_unchecked(alg, key, input, signature);
  // A failed verification leaves errors in the thread's OpenSSL queue; this thread also drives
  // TLS, whose SSL_get_error reads that queue, so nothing may be left there.
  if (!ok) ERR_clear_error();
  return ok;
}

namespace {
bool verify_unchecked(Alg alg, const Key& key, std::string_view input, std::string_view signature) {
  if (!key.verifies(alg)) return false;
  if (is_hmac(alg)) {
    auto mac = hmac(alg, key.secret, input);
    return mac && mac->size() == signature.size() &&
           CRYPTO_memcmp(mac->data(), signature.data(), mac->size()) == 0;
  }
  if (!key.pkey) return false;
  std::string der;
  if (key_type_for(alg) == KeyType::kEc) {
    auto d = raw_to_der(signature, ec_half(alg));
    if (!d) return false;
    der = std::move(*d);
    signature = der;
  }
  MdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx ||
      EVP_DigestVerifyInit(ctx.get(), &pctx, digest_for(alg), nullptr, key.pkey.get()) != 1) {
    return false;
  }
  if (alg == Alg::kPS256 && !set_pss(pctx)) return false;
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                            input.size());
  return rc == 1;
}
}  // namespace

std::optional<std::string> sign(Alg alg, EVP_PKEY* private_key, std::string_view secret,
                                std::string_view input) {
  if (is_hmac(alg)) return hmac(alg, secret, input);
  if (private_key == nullptr) return std::nullopt;
  MdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, digest_for(alg), nullptr, private_key) != 1) {
    return std::nullopt;
  }
  if (alg == Alg::kPS256 && !set_pss(pctx)) return std::nullopt;
  const auto* in = reinterpret_cast<const unsigned char*>(input.data());
  size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, in, input.size()) != 1) return std::nullopt;
  std::string out(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, in,
                     input.size()) != 1) {
    return std::nullopt;
  }
  out.resize(len);
  ERR_clear_error();
  if (key_type_for(alg) == KeyType::kEc) return der_to_raw(out, ec_half(alg));
  return out;
}

std::optional<std::string> make_token(Alg alg, EVP_PKEY* private_key, std::string_view secret,
                                      std::string_view header_json, std::string_view claims_json) {
  std::string input = base64url_encode(header_json) + "." + base64url_encode(claims_json);
  auto sig = sign(alg, private_key, secret, input);
  if (!sig) return std::nullopt;
  return input + "." + base64url_encode(*sig);
}

}  // namespace rampart::guards::jwt
