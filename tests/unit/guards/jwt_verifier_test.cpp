#include <gtest/gtest.h>

#include "guards/jwt/verifier.h"
#include "jwt_test_keys.h"

namespace rampart::guards::jwt {
namespace {

using namespace testing;
using std::chrono::seconds;
using std::chrono::system_clock;

constexpr int64_t kNow = 1'800'000'000;
system_clock::time_point at(int64_t s) { return system_clock::time_point(seconds(s)); }

std::string claims_valid() {
  return R"({"sub":"alice","iat":)" + std::to_string(kNow - 10) + R"(,"exp":)" +
         std::to_string(kNow + 300) + "}";
}

// The error code, or "ok".
std::string outcome(const Verifier& v, const std::string& t, const KeySet& keys,
                    int64_t now = kNow) {
  auto r = v.verify(t, {&keys, nullptr}, at(now));
  if (auto* e = std::get_if<JwtError>(&r)) return std::string(e->code) + ": " + e->detail;
  return "ok";
}

KeySet all_keys() {
  KeySet s;
  s.keys.push_back(*key_from_secret(kSecret, "secret"));
  s.keys.push_back(public_key(rsa_key()));
  s.keys.push_back(public_key(p256_key()));
  s.keys.push_back(public_key(p384_key()));
  s.keys.push_back(public_key(ed25519_key()));
  return s;
}

EVP_PKEY* signer_for(Alg a) {
  switch (key_type_for(a)) {
    case KeyType::kOct:
      return nullptr;
    case KeyType::kRsa:
      return rsa_key();
    case KeyType::kEc:
      return a == Alg::kES256 ? p256_key() : p384_key();
    case KeyType::kOkp:
      return ed25519_key();
  }
  return nullptr;
}

TEST(Verifier, EveryAlgorithmVerifiesAndRefusesATamperedToken) {
  Verifier v{Policy{}};
  KeySet keys = all_keys();
  for (Alg a : kAllAlgs) {
    std::string t = token(a, signer_for(a), claims_valid());
    auto r = v.verify(t, {&keys, nullptr}, at(kNow));
    ASSERT_TRUE(std::holds_alternative<Verified>(r)) << alg_name(a) << " " << outcome(v, t, keys);
    EXPECT_EQ(std::get<Verified>(r).claims["sub"], "alice");
    EXPECT_EQ(std::get<Verified>(r).alg, a);

    // The same signature over other claims.
    std::string forged = base64url_encode(std::string(R"({"alg":")") + std::string(alg_name(a)) +
                                          R"(","typ":"JWT"})") +
                         "." + base64url_encode(R"({"sub":"mallory","exp":1900000000})") +
                         t.substr(t.rfind('.'));
    EXPECT_EQ(outcome(v, forged, keys), "jwt_bad_signature: the signature does not verify")
        << alg_name(a);
    // A flipped bit in the signature.
    std::string sig = *base64url_decode(t.substr(t.rfind('.') + 1));
    sig[sig.size() / 2] ^= 0x01;
    std::string flipped = t.substr(0, t.rfind('.') + 1) + base64url_encode(sig);
    EXPECT_EQ(outcome(v, flipped, keys), "jwt_bad_signature: the signature does not verify")
        << alg_name(a);
    // No signature at all.
    EXPECT_EQ(outcome(v, t.substr(0, t.rfind('.') + 1), keys),
              "jwt_bad_signature: the signature does not verify")
        << alg_name(a);
  }
}

TEST(Verifier, AnotherKeyOfTheSameTypeDoesNotVerify) {
  Verifier v{Policy{}};
  KeySet keys;
  keys.keys.push_back(public_key(rsa_key2()));
  EXPECT_EQ(outcome(v, token(Alg::kRS256, rsa_key(), claims_valid()), keys),
            "jwt_bad_signature: the signature does not verify");
}

TEST(Verifier, EcdsaSignaturesMustBeRawRAndSOfTheCurvesSize) {
  Verifier v{Policy{}};
  KeySet keys;
  keys.keys.push_back(public_key(p256_key()));
  std::string t = token(Alg::kES256, p256_key(), claims_valid());
  std::string head = t.substr(0, t.rfind('.') + 1);
  std::string raw = *base64url_decode(t.substr(t.rfind('.') + 1));
  ASSERT_EQ(raw.size(), 64u);
  // The DER form OpenSSL itself produces is not a JWS signature.
  auto der = sign(Alg::kES256, p256_key(), "", head.substr(0, head.size() - 1));
  ASSERT_TRUE(der.has_value());
  EXPECT_EQ(outcome(v, head + base64url_encode(raw + "x"), keys),
            "jwt_bad_signature: the signature does not verify");
  EXPECT_EQ(outcome(v, head + base64url_encode(raw.substr(0, 63)), keys),
            "jwt_bad_signature: the signature does not verify");
  EXPECT_EQ(outcome(v, head + base64url_encode(std::string(64, '\0')), keys),
            "jwt_bad_signature: the signature does not verify");
  // A P-384 key never verifies ES256, nor a P-256 key ES384.
  EXPECT_EQ(outcome(v, token(Alg::kES384, p384_key(), claims_valid()), keys),
            "jwt_key_mismatch: no EC key for a token signed with ES384");
}

TEST(Verifier, AlgNoneIsNeverAccepted) {
  Verifier v{Policy{}};
  KeySet keys = all_keys();
  for (const char* none : {"none", "None", "NONE", "nOnE"}) {
    std::string t = base64url_encode(std::string(R"({"alg":")") + none + "\"}") + "." +
                    base64url_encode(claims_valid()) + ".";
    EXPECT_EQ(outcome(v, t, keys),
              "jwt_alg_none: unsigned tokens (alg \"none\") are never accepted");
  }
  std::string t = base64url_encode(R"({"alg":"HS1"})") + "." + base64url_encode("{}") + ".";
  EXPECT_EQ(outcome(v, t, keys), "jwt_alg_not_allowed: the algorithm 'HS1' is not supported");
}

TEST(Verifier, OnlyTheConfiguredAlgorithms) {
  Policy p;
  p.algorithms = {Alg::kRS256};
  Verifier v{p};
  KeySet keys = all_keys();
  EXPECT_EQ(outcome(v, token(Alg::kRS256, rsa_key(), claims_valid()), keys), "ok");
  EXPECT_EQ(outcome(v, token(Alg::kPS256, rsa_key(), claims_valid()), keys),
            "jwt_alg_not_allowed: the algorithm PS256 is not allowed");
  EXPECT_EQ(outcome(v, token(Alg::kHS256, nullptr, claims_valid()), keys),
            "jwt_alg_not_allowed: the algorithm HS256 is not allowed");
}

TEST(Verifier, AlgorithmConfusionIsRefused) {
  Verifier v{Policy{}};
  // The classic attack: an HS256 token whose HMAC secret is the server's RSA public key (the
  // bytes of its PEM file, which the attacker can read).
  KeySet rsa_only;
  rsa_only.keys.push_back(public_key(rsa_key()));
  std::string pem = public_pem(rsa_key());
  std::string forged = token(Alg::kHS256, nullptr, claims_valid(), "", pem);
  EXPECT_EQ(outcome(v, forged, rsa_only),
            "jwt_key_mismatch: no oct key for a token signed with HS256");
  // Also for the other families, and the other way round.
  KeySet ec_only;
  ec_only.keys.push_back(public_key(p256_key()));
  EXPECT_EQ(
      outcome(v, token(Alg::kHS256, nullptr, claims_valid(), "", public_pem(p256_key())), ec_only),
      "jwt_key_mismatch: no oct key for a token signed with HS256");
  KeySet hmac_only;
  hmac_only.keys.push_back(*key_from_secret(kSecret, "secret"));
  EXPECT_EQ(outcome(v, token(Alg::kRS256, rsa_key(), claims_valid()), hmac_only),
            "jwt_key_mismatch: no RSA key for a token signed with RS256");
  // A JWK that names its algorithm verifies only that one.
  KeySet pinned;
  pinned.keys.push_back(public_key(rsa_key()));
  pinned.keys.back().alg = Alg::kRS384;
  EXPECT_EQ(outcome(v, token(Alg::kRS256, rsa_key(), claims_valid()), pinned),
            "jwt_key_mismatch: no RSA key for a token signed with RS256");
  EXPECT_EQ(outcome(v, token(Alg::kRS384, rsa_key(), claims_valid()), pinned), "ok");
}

TEST(Verifier, HmacSecretsMustBeAsLongAsTheHash) {
  EXPECT_EQ(key_from_secret("short", "s").status().message(),
            "s: the HMAC secret has 5 bytes; at least 32 are required (RFC 7518 section 3.2)");
  KeySet keys;
  keys.keys.push_back(*key_from_secret(std::string(32, 'k'), "s"));
  Verifier v{Policy{}};
  EXPECT_EQ(outcome(v, token(Alg::kHS256, nullptr, claims_valid(), "", std::string(32, 'k')), keys),
            "ok");
  EXPECT_EQ(outcome(v, token(Alg::kHS512, nullptr, claims_valid(), "", std::string(32, 'k')), keys),
            "jwt_key_mismatch: no oct key for a token signed with HS512");
}

TEST(Verifier, KeyIdsSelectTheKey) {
  Verifier v{Policy{}};
  KeySet keys;
  keys.keys.push_back(public_key(rsa_key(), "one"));
  keys.keys.push_back(public_key(rsa_key2(), "two"));
  EXPECT_EQ(outcome(v, token(Alg::kRS256, rsa_key2(), claims_valid(), "two"), keys), "ok");
  EXPECT_EQ(outcome(v, token(Alg::kRS256, rsa_key2(), claims_valid(), "one"), keys),
            "jwt_bad_signature: the signature does not verify");
  EXPECT_EQ(outcome(v, token(Alg::kRS256, rsa_key2(), claims_valid(), "three"), keys),
            "jwt_unknown_kid: no key has the token's key id");
  // Without a kid, every key of the family is tried.
  EXPECT_EQ(outcome(v, token(Alg::kRS256, rsa_key2(), claims_valid()), keys), "ok");
}

TEST(Verifier, TimeClaimsWithLeeway) {
  Policy p;
  p.leeway = seconds(30);
  p.required_claims = {};
  Verifier v{p};
  KeySet keys = all_keys();
  auto t = [](const std::string& claims) { return token(Alg::kHS256, nullptr, claims); };
  std::string exp = t(R"({"exp":)" + std::to_string(kNow) + "}");
  EXPECT_EQ(outcome(v, exp, keys, kNow + 29), "ok");
  EXPECT_EQ(outcome(v, exp, keys, kNow + 30), "jwt_expired: the token expired at 1800000000");
  std::string nbf = t(R"({"nbf":)" + std::to_string(kNow) + "}");
  EXPECT_EQ(outcome(v, nbf, keys, kNow - 30), "ok");
  EXPECT_EQ(outcome(v, nbf, keys, kNow - 31),
            "jwt_not_yet_valid: the token is not valid before 1800000000");
  std::string iat = t(R"({"iat":)" + std::to_string(kNow) + "}");
  EXPECT_EQ(outcome(v, iat, keys, kNow - 30), "ok");
  EXPECT_EQ(outcome(v, iat, keys, kNow - 31),
            "jwt_issued_in_future: the token was issued in the future, at 1800000000");
  EXPECT_EQ(outcome(v, t(R"({"exp":1800000000.5})"), keys, kNow + 30), "ok");
  EXPECT_EQ(outcome(v, t(R"({"exp":"1800000000"})"), keys),
            "jwt_bad_claim: the \"exp\" claim is not a number");
  EXPECT_EQ(outcome(v, t(R"({"nbf":true})"), keys),
            "jwt_bad_claim: the \"nbf\" claim is not a number");
  EXPECT_EQ(outcome(v, t(R"({"exp":1e308})"), keys), "ok");
  EXPECT_EQ(outcome(v, t(R"({"exp":-1e308})"), keys),
            "jwt_expired: the token expired at a time out of range");
}

TEST(Verifier, ExpIsRequiredByDefault) {
  Verifier v{Policy{}};
  KeySet keys = all_keys();
  EXPECT_EQ(outcome(v, token(Alg::kHS256, nullptr, R"({"sub":"a"})"), keys),
            "jwt_missing_claim: the token has no \"exp\" claim");
}

TEST(Verifier, IssuerAudienceAndRequiredClaims) {
  Policy p;
  p.issuers = {"https://id.example", "https://id2.example"};
  p.audiences = {"api", "api2"};
  p.required_claims = {"exp", "sub"};
  Verifier v{p};
  KeySet keys = all_keys();
  auto t = [](const std::string& extra) {
    return token(Alg::kHS256, nullptr, R"({"exp":1800000300,)" + extra + "}");
  };
  EXPECT_EQ(outcome(v, t(R"("iss":"https://id2.example","aud":"api","sub":"a")"), keys), "ok");
  EXPECT_EQ(outcome(v, t(R"("iss":"https://id.example","aud":["x","api2"],"sub":"a")"), keys),
            "ok");
  EXPECT_EQ(outcome(v, t(R"("iss":"https://evil.example","aud":"api","sub":"a")"), keys),
            "jwt_bad_issuer: the issuer is not accepted");
  EXPECT_EQ(outcome(v, t(R"("aud":"api","sub":"a")"), keys),
            "jwt_bad_issuer: the token has no \"iss\" claim");
  EXPECT_EQ(outcome(v, t(R"("iss":["https://id.example"],"aud":"api","sub":"a")"), keys),
            "jwt_bad_issuer: the token has no \"iss\" claim");
  EXPECT_EQ(outcome(v, t(R"("iss":"https://id.example","aud":["x","y"],"sub":"a")"), keys),
            "jwt_bad_audience: the token is not meant for this audience");
  EXPECT_EQ(outcome(v, t(R"("iss":"https://id.example","aud":[],"sub":"a")"), keys),
            "jwt_bad_audience: the token is not meant for this audience");
  EXPECT_EQ(outcome(v, t(R"("iss":"https://id.example","sub":"a")"), keys),
            "jwt_bad_audience: the token has no \"aud\" claim");
  EXPECT_EQ(outcome(v, t(R"("iss":"https://id.example","aud":"api","sub":null)"), keys),
            "jwt_missing_claim: the token has no \"sub\" claim");
}

TEST(Jwks, ReadsEveryKeyTypeAndLeavesOutWhatCannotVerify) {
  std::string text = R"({"keys":[
    {)" + jwk_members(rsa_key()) +
                     R"(,"kid":"rsa","use":"sig","alg":"RS256"},
    {)" + jwk_members(p256_key()) +
                     R"(,"kid":"p256"},
    {)" + jwk_members(p384_key()) +
                     R"(,"kid":"p384","key_ops":["verify"]},
    {)" + jwk_members(ed25519_key()) +
                     R"(,"kid":"ed"},
    {"kty":"oct","kid":"hs","k":")" +
                     base64url_encode(kSecret) + R"("},
    {)" + jwk_members(rsa_key2()) +
                     R"(,"kid":"enc","use":"enc"},
    {"kty":"EC","kid":"k1","crv":"secp256k1","x":"AA","y":"AA"},
    {"kty":"OKP","kid":"x","crv":"X25519","x":"AA"},
    {"kty":"RSA","kid":"bad","n":"+++","e":"AQAB"},
    {"kty":"EC","kid":"offcurve","crv":"P-256","x":")" +
                     base64url_encode(std::string(32, '\1')) + R"(","y":")" +
                     base64url_encode(std::string(32, '\2')) + R"("},
    {)" + jwk_members(rsa_key2()) +
                     R"(,"kid":"confused","alg":"HS256"},
    "not a key"
  ]})";
  auto parsed = parse_jwks(text, "jwks.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  std::vector<std::string> kids;
  for (const auto& k : parsed->set.keys) kids.push_back(k.kid);
  EXPECT_EQ(kids, (std::vector<std::string>{"rsa", "p256", "p384", "ed", "hs"}));
  EXPECT_EQ(parsed->skipped,
            (std::vector<std::string>{
                "jwks.json keys[5] is for use 'enc', not 'sig'",
                "jwks.json keys[6] has curve 'secp256k1' (P-256 and P-384 are supported)",
                "jwks.json keys[7] has curve 'X25519' (Ed25519 is supported)",
                "jwks.json keys[8] has no base64url 'n' and 'e'",
                "jwks.json keys[9] is not a valid public key",
                "jwks.json keys[10] declares alg 'HS256', which does not fit its kty 'RSA'",
                "jwks.json keys[11] is not a JSON object",
            }));
  Verifier v{Policy{}};
  EXPECT_EQ(outcome(v, token(Alg::kRS256, rsa_key(), claims_valid(), "rsa"), parsed->set), "ok");
  EXPECT_EQ(outcome(v, token(Alg::kPS256, rsa_key(), claims_valid(), "rsa"), parsed->set),
            "jwt_key_mismatch: no RSA key for a token signed with PS256");
  EXPECT_EQ(outcome(v, token(Alg::kES256, p256_key(), claims_valid(), "p256"), parsed->set), "ok");
  EXPECT_EQ(outcome(v, token(Alg::kES384, p384_key(), claims_valid(), "p384"), parsed->set), "ok");
  EXPECT_EQ(outcome(v, token(Alg::kEdDSA, ed25519_key(), claims_valid(), "ed"), parsed->set), "ok");
  EXPECT_EQ(outcome(v, token(Alg::kHS256, nullptr, claims_valid(), "hs"), parsed->set), "ok");
}

TEST(Jwks, BadSetsAreErrors) {
  EXPECT_EQ(parse_jwks("[]", "u").status().message(), "u: the JWK Set is not a JSON object");
  EXPECT_EQ(parse_jwks("{\"keys\":{}}", "u").status().message(),
            "u: the JWK Set has no \"keys\" array");
  EXPECT_EQ(parse_jwks(R"({"keys":[{"kty":"RSA","use":"enc"}]})", "u").status().message(),
            "u: the JWK Set has no key rampart can verify signatures with; u keys[0] is for use "
            "'enc', not 'sig'");
}

TEST(PemKeys, PublicKeysAndCertificatesOnly) {
  EXPECT_EQ(load_pem_key("/nonexistent.pem").status().message(),
            "/nonexistent.pem: cannot be read");
  EXPECT_EQ(key_from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "k.pem")
                .status()
                .message(),
            "k.pem: holds a private key; give rampart only the public key (openssl pkey -in KEY "
            "-pubout)");
  EXPECT_EQ(key_from_pem("hello", "k.pem").status().message(),
            "k.pem: no PEM public key or certificate in it (expected '-----BEGIN PUBLIC "
            "KEY-----' or '-----BEGIN CERTIFICATE-----')");
  EXPECT_TRUE(key_from_pem(public_pem(rsa_key()), "k.pem").ok());
  std::shared_ptr<EVP_PKEY> weak(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(1024)),
                                 EVP_PKEY_free);
  EXPECT_EQ(key_from_pem(public_pem(weak.get()), "k.pem").status().message(),
            "k.pem: the RSA key has 1024 bits; at least 2048 are required");
  auto k1 = generate("EC", "secp256k1");
  EXPECT_EQ(key_from_pem(public_pem(k1.get()), "k.pem").status().message(),
            "k.pem: the EC curve secp256k1 is not supported (P-256 for ES256, P-384 for ES384)");
}

}  // namespace
}  // namespace rampart::guards::jwt
