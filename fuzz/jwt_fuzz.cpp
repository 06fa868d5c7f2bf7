// JWTs from a stranger's Authorization header: parsed and verified against fixed keys (the public
// keys of tests/fixtures/jwt/jwks.json, whose private halves signed the seeds in corpus/jwt, and
// an HMAC secret). The same bytes are also read as a JWK Set and as base64url.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "guards/jwt/base64url.h"
#include "guards/jwt/key.h"
#include "guards/jwt/verifier.h"

namespace {

using namespace rampart::guards::jwt;

constexpr const char* kJwks =
    R"JWKS({"keys":[{"kty":"RSA","key_ops":["verify"],"n":"zGRKMtF66wtw-TuojTL_yys04C0_F4GrUM_f0n2RW_RDan4Zwz7DR-PgZ7PO6h35G-kcIr0lewf6JLIPaBWcAi2L3klFuB1j_-4veu2_GFqdQaWq7xWWL-Wph78qy_1peyI1m0kpV5wdLuzdZtohFmVpA9y3XZvWMi2sA4AbmzOMNm4jU2P0aLGuBFt31R4FlnJx7sTH-NIz7L4e8FBk4rkJqAlma8NastDfV8oV1IGF-HuCLVB58C8cItXQn86p2Kaqvv4brpwkgCbJ8ls54rDPsv2tzq1qwvh6quSLTmpD0Da5acHjtINKU6bgs9hceATGXPZRkSSiKWs-mnQelQ","e":"AQAB","kid":"rsa1","use":"sig"},{"kty":"EC","crv":"P-256","x":"GLEQMsp8xrbLBgOZLpuVUGhgm28ii9Urb5dLBi9L-hc","y":"F1h5aO42uuWvldWPGFaA5Yw2owRMqx6BivjXWd3lq-A","kid":"ec1","use":"sig"},{"x":"zlXIbOivelcnZRjXtqfvF1WJDFKkhcAjvS8O_YqDSjk","kty":"OKP","crv":"Ed25519","kid":"ed1","use":"sig"}]})JWKS";

const KeySet& keys() {
  static const KeySet set = [] {
    KeySet s = parse_jwks(kJwks, "fuzz")->set;
    s.keys.push_back(*key_from_secret("fuzz-secret-0123456789abcdef0123456789abcdef", "fuzz"));
    return s;
  }();
  return set;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Policy policy;
  policy.audiences = {"api"};
  static const Verifier plain{Policy{}};
  const Verifier with_audience{policy};
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  for (const Verifier* v : {&plain, &with_audience}) {
    auto r = v->verify(input, {&keys(), nullptr}, now);
    if (auto* ok = std::get_if<Verified>(&r)) {
      if (!ok->claims.is_object()) __builtin_trap();
    }
  }
  (void)parse_jwks(input, "fuzz");
  // Strict base64url has one encoding per byte string.
  if (auto bytes = base64url_decode(input)) {
    if (base64url_encode(*bytes) != input) __builtin_trap();
  }
  return 0;
}
