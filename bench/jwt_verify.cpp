// Google Benchmark of the jwt guard's verification, per algorithm: parse, signature and claims of
// one typical access token (sub, iss, aud, iat, exp, a scope) against a key set of that one key,
// with keys generated at start-up by OpenSSL (RSA 2048, P-256, P-384, Ed25519, a 64-byte secret).
//   ninja -C build bench_jwt && build/src/guards/bench_jwt --benchmark_min_time=1
// Also: the refusal of a token with a bad signature (RS256) and of a malformed one.

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <chrono>
#include <memory>
#include <string>

#include "guards/jwt/signature.h"
#include "guards/jwt/verifier.h"

namespace {

using namespace rampart::guards::jwt;

const std::string kSecret(64, 's');
const std::string kClaims =
    R"({"sub":"user-1234567890","iss":"https://id.example.com/","aud":"api","iat":1800000000,)"
    R"("exp":1800003600,"scope":"read:items write:items"})";

std::shared_ptr<EVP_PKEY> generate(Alg a) {
  EVP_PKEY* k = nullptr;
  switch (key_type_for(a)) {
    case KeyType::kOct:
      return nullptr;
    case KeyType::kRsa:
      k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
      break;
    case KeyType::kEc:
      k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", a == Alg::kES256 ? "P-256" : "P-384");
      break;
    case KeyType::kOkp:
      k = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  return {k, EVP_PKEY_free};
}

struct Setup {
  KeySet keys;
  std::string token;
};

Setup setup(Alg a) {
  Setup s;
  auto priv = generate(a);
  if (priv) {
    Key k;
    k.pkey = priv;  // verification with the private key object is the same operation
    k.type = key_type_for(a);
    k.curve = a == Alg::kES256 ? "P-256" : a == Alg::kES384 ? "P-384" : "Ed25519";
    s.keys.keys.push_back(k);
  } else {
    s.keys.keys.push_back(*key_from_secret(kSecret, "bench"));
  }
  std::string header = R"({"alg":")" + std::string(alg_name(a)) + R"(","typ":"JWT","kid":"k1"})";
  s.token = *make_token(a, priv.get(), kSecret, header, kClaims);
  return s;
}

void BM_Verify(benchmark::State& state) {
  Alg a = kAllAlgs[state.range(0)];
  state.SetLabel(std::string(alg_name(a)));
  Setup s = setup(a);
  Policy p;
  p.issuers = {"https://id.example.com/"};
  p.audiences = {"api"};
  Verifier v{p};
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'100));
  for (auto _ : state) {
    auto r = v.verify(s.token, {&s.keys, nullptr}, now);
    if (!std::holds_alternative<Verified>(r)) state.SkipWithError("not verified");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Verify)->DenseRange(0, 9);

void BM_RefuseBadSignature(benchmark::State& state) {
  Setup s = setup(Alg::kRS256);
  std::string t = s.token;
  t[t.size() - 5] = t[t.size() - 5] == 'A' ? 'B' : 'A';
  Verifier v{Policy{}};
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'100));
  for (auto _ : state) benchmark::DoNotOptimize(v.verify(t, {&s.keys, nullptr}, now));
}
BENCHMARK(BM_RefuseBadSignature);

void BM_RefuseMalformed(benchmark::State& state) {
  KeySet none;
  Verifier v{Policy{}};
  std::string t = "eyJhbGciOiJSUzI1NiJ9.not*base64.x";
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'100));
  for (auto _ : state) benchmark::DoNotOptimize(v.verify(t, {&none, nullptr}, now));
}
BENCHMARK(BM_RefuseMalformed);

}  // namespace

BENCHMARK_MAIN();
