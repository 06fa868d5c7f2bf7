#include <gtest/gtest.h>

#include "gateway/config.h"
#include "gateway/pipeline.h"

// The jwt guard's settings as the pipeline reads them from rampart.yaml.
namespace rampart::gateway {
namespace {

struct Fixture {
  http::RequestHead request;
  http::ClientView client;
  ConnectionInfo conn;
  Exchange ex{request, client, conn, "/", {}, {}, {}};
};

std::string build_errors(const std::string& yaml) {
  auto cfg = parse_gateway_config(YAML::Load(yaml), "rampart.yaml");
  if (!cfg.ok()) return cfg.status().message();
  auto p = Pipeline::build(*cfg);
  return p.ok() ? "" : p.status().message();
}

std::string fixture(const std::string& name) {
  return std::string(RAMPART_FIXTURES_DIR) + "/jwt/" + name;
}

TEST(JwtConfig, OffByDefaultAndNeedsKeysWhenOn) {
  EXPECT_EQ(build_errors("upstream: http://127.0.0.1:8000\n"), "");
  EXPECT_EQ(build_errors("upstream: http://127.0.0.1:8000\nguards:\n  jwt: true\n"),
            "rampart.yaml:3: guards.jwt: the jwt guard is on but has no keys: give 'keys' (PEM "
            "files or HMAC secrets), 'jwks_file' or 'jwks_url'");
  EXPECT_EQ(build_errors("upstream: http://127.0.0.1:8000\n"
                         "routes:\n"
                         "  - path: /api\n"
                         "    guards:\n"
                         "      jwt: {token: optional}\n"),
            "rampart.yaml:5: routes[0].guards.jwt: the jwt guard is on but has no keys: give "
            "'keys' (PEM files or HMAC secrets), 'jwks_file' or 'jwks_url'");
}

TEST(JwtConfig, GlobalKeysEnabledPerRoute) {
  std::string yaml =
      "upstream: http://127.0.0.1:8000\n"
      "guards:\n"
      "  jwt:\n"
      "    enabled: false\n"
      "    keys: [{file: " +
      fixture("rsa_public.pem") +
      ", kid: k1}]\n"
      "    jwks_file: " +
      fixture("jwks.json") +
      "\n"
      "    algorithms: [RS256, ES256]\n"
      "    issuer: https://id.example\n"
      "    audience: [api]\n"
      "    leeway: 30s\n"
      "    forward_claims: {sub: X-User, email: X-User-Email}\n"
      "routes:\n"
      "  - path: /api\n"
      "    guards:\n"
      "      jwt: true\n";
  EXPECT_EQ(build_errors(yaml), "");
  auto cfg = parse_gateway_config(YAML::Load(yaml), "rampart.yaml");
  auto p = Pipeline::build(*cfg);
  ASSERT_TRUE(p.ok());
  // On /api the guard asks for a token; elsewhere it only removes forged headers.
  for (const char* path : {"/api/items", "/other"}) {
    Fixture f;
    f.request.target = path;
    f.request.headers.add("X_User", "root");
    f.request.headers.add("X-User-Email", "root@example.com");
    std::optional<Reply> reply;
    for (const auto& guard : (*p)->match(path).guards) {
      if (guard->name() == "jwt") reply = guard->on_request(f.ex);
    }
    EXPECT_EQ(reply.has_value(), std::string(path) == "/api/items") << path;
    EXPECT_FALSE(f.request.headers.has("X_User")) << path;
    EXPECT_FALSE(f.request.headers.has("X-User-Email")) << path;
  }
}

TEST(JwtConfig, MistakesNameTheKey) {
  std::string yaml =
      "upstream: http://127.0.0.1:8000\n"
      "guards:\n"
      "  jwt:\n"
      "    keys:\n"
      "      - {file: /nonexistent.pem}\n"
      "      - {secret_env: RAMPART_TEST_UNSET_SECRET}\n"
      "      - {file: " +
      fixture("rsa_public.pem") +
      ", alg: ES256}\n"
      "      - {file: " +
      fixture("rsa_public.pem") +
      ", secret_file: x}\n"
      "    algorithms: [RS256, none, XS1]\n"
      "    jwks_url: ftp://example.com/jwks\n"
      "    leeway: 1h\n"
      "    token: maybe\n"
      "    forward_claims: {sub: 'X Bad'}\n"
      "    audiences: [x]\n";
  EXPECT_EQ(
      build_errors(yaml),
      "rampart.yaml:5: guards.jwt.keys[0]: /nonexistent.pem: cannot be read\n"
      "rampart.yaml:6: guards.jwt.keys[1].secret_env: the environment variable "
      "'RAMPART_TEST_UNSET_SECRET' is not set\n"
      "rampart.yaml:7: guards.jwt.keys[2].alg: ES256 needs a key of type EC, and this one is RSA\n"
      "rampart.yaml:8: guards.jwt.keys[3]: expected exactly one of 'file' (a PEM public key "
      "or certificate), 'secret_file' or 'secret_env' (an HMAC secret)\n"
      "rampart.yaml:9: guards.jwt.algorithms: 'none' (unsigned tokens) is never accepted\n"
      "rampart.yaml:9: guards.jwt.algorithms: expected HS256, HS384, HS512, RS256, RS384, "
      "RS512, PS256, ES256, ES384 or EdDSA, got 'XS1'\n"
      "rampart.yaml:10: guards.jwt.jwks_url: expected an http:// or https:// URL, got "
      "'ftp://example.com/jwks'\n"
      "rampart.yaml:11: guards.jwt.leeway: at most 10m: a longer leeway keeps expired "
      "tokens alive\n"
      "rampart.yaml:12: guards.jwt.token: expected one of required, optional; got 'maybe'\n"
      "rampart.yaml:13: guards.jwt.forward_claims.sub: expected a header name such as "
      "X-Auth-Subject, got 'X Bad'\n"
      "rampart.yaml:14: guards.jwt: unknown key 'audiences' (did you mean 'audience'?)");
}

}  // namespace
}  // namespace rampart::gateway
