#include "guards/jwt/jwt_guard.h"

#include <gtest/gtest.h>

#include "jwt_test_keys.h"

namespace rampart::guards {
namespace {

using jwt::Alg;
using namespace jwt::testing;
using std::chrono::seconds;
using std::chrono::system_clock;

constexpr int64_t kNow = 1'800'000'000;

struct Fixture {
  http::RequestHead request;
  http::ClientView client;
  gateway::ConnectionInfo conn;
  gateway::Exchange ex{request, client, conn, "/api", {}, {}, {}};
  Fixture() {
    client.scheme = "https";
    client.address = *http::IpAddress::parse("203.0.113.9");
    client.address_text = "203.0.113.9";
    request.method = "GET";
    request.target = "/api/items";
  }
};

JwtSettings settings() {
  JwtSettings s;
  auto keys = std::make_shared<jwt::KeySet>();
  keys->keys.push_back(public_key(rsa_key(), "k1"));
  s.keys = keys;
  s.realm = "api";
  s.now = [] { return system_clock::time_point(seconds(kNow)); };
  return s;
}

std::string good_token(const std::string& sub = "alice") {
  return token(
      Alg::kRS256, rsa_key(),
      R"({"sub":")" + sub + R"(","exp":1800000300,"email":"a@example.com","roles":["r1","r2"]})",
      "k1");
}

TEST(JwtGuard, MissingTokenGets401WithTheRealmOnly) {
  Fixture f;
  JwtGuard g(settings(), true);
  auto r = g.on_request(f.ex);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->reason, "jwt_missing");
  EXPECT_EQ(*r->headers.get("WWW-Authenticate"), "Bearer realm=\"api\"");
  EXPECT_EQ(r->body,
            R"({"error":"unauthorized","error_description":"a bearer token is required"})");
  ASSERT_EQ(f.ex.events.size(), 1u);
  EXPECT_EQ(f.ex.events[0].rule, "jwt_missing");
  EXPECT_EQ(f.ex.events[0].action, gateway::Action::kBlocked);
  EXPECT_FALSE(f.ex.bearer_verified);
}

TEST(JwtGuard, OtherSchemesAreNoBearerToken) {
  Fixture f;
  f.request.headers.add("Authorization", "Basic YWxpY2U6cHc=");
  JwtGuard g(settings(), true);
  auto r = g.on_request(f.ex);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r->headers.get("WWW-Authenticate"), "Bearer realm=\"api\"");
}

TEST(JwtGuard, OptionalTokenLetsRequestsWithoutOneThrough) {
  Fixture f;
  auto s = settings();
  s.token_required = false;
  JwtGuard g(s, true);
  EXPECT_FALSE(g.on_request(f.ex).has_value());
  EXPECT_TRUE(f.ex.events.empty());
  EXPECT_FALSE(f.ex.bearer_verified);
  // A token that is there must still be good.
  Fixture bad;
  bad.request.headers.add("Authorization", "Bearer x.y.z");
  auto r = g.on_request(bad.ex);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 401);
}

TEST(JwtGuard, AVerifiedTokenMarksTheExchangeAndForwardsClaims) {
  Fixture f;
  f.request.headers.add("Authorization", "Bearer " + good_token());
  f.request.headers.add("X-Auth-Subject", "root");
  f.request.headers.add("x_auth_subject", "root");
  f.request.headers.add("X-Auth-Email", "root@example.com");
  auto s = settings();
  s.forward = {{"sub", "X-Auth-Subject"},
               {"email", "X-Auth-Email"},
               {"roles", "X-Auth-Roles"},
               {"absent", "X-Auth-Absent"}};
  JwtGuard g(s, true);
  EXPECT_FALSE(g.on_request(f.ex).has_value());
  EXPECT_TRUE(f.ex.bearer_verified);
  EXPECT_EQ(f.ex.auth_subject, "alice");
  EXPECT_EQ(f.request.headers.get_all("X-Auth-Subject"), std::vector<std::string_view>{"alice"});
  EXPECT_FALSE(f.request.headers.has("x_auth_subject"));
  EXPECT_EQ(*f.request.headers.get("X-Auth-Email"), "a@example.com");
  EXPECT_EQ(*f.request.headers.get("X-Auth-Roles"), "r1,r2");
  EXPECT_FALSE(f.request.headers.has("X-Auth-Absent"));
  EXPECT_TRUE(f.ex.events.empty());
}

TEST(JwtGuard, AClaimThatCannotBeAHeaderIsNotForwarded) {
  Fixture f;
  f.request.headers.add("Authorization",
                        "Bearer " + token(Alg::kRS256, rsa_key(),
                                          R"({"sub":"a\r\nX-Admin: 1","exp":1800000300})", "k1"));
  JwtGuard g(settings(), true);
  EXPECT_FALSE(g.on_request(f.ex).has_value());
  EXPECT_FALSE(f.request.headers.has("X-Auth-Subject"));
  ASSERT_EQ(f.ex.events.size(), 1u);
  EXPECT_EQ(f.ex.events[0].rule, "jwt_claim_not_forwarded");
  EXPECT_EQ(f.ex.events[0].reason,
            "the \"sub\" claim cannot be a header value; X-Auth-Subject is not set");
}

TEST(JwtGuard, RefusedTokensTable) {
  struct Case {
    std::string authorization;
    const char* code;
    const char* description;
  };
  std::string t = good_token();
  std::string pem = public_pem(rsa_key());
  const Case cases[] = {
      {"Bearer " + t.substr(0, t.size() - 4) + "AAAA", "jwt_bad_signature",
       "the signature does not verify"},
      {"Bearer " + token(Alg::kRS256, rsa_key(), R"({"sub":"a","exp":1799999000})", "k1"),
       "jwt_expired", "the token expired at 1799999000"},
      {"Bearer " + token(Alg::kHS256, nullptr, R"({"sub":"a","exp":1800000300})", "k1", pem),
       "jwt_key_mismatch", "no oct key for a token signed with HS256"},
      {"Bearer " + jwt::base64url_encode(R"({"alg":"none"})") + "." +
           jwt::base64url_encode(R"({"sub":"admin"})") + ".",
       "jwt_alg_none", "unsigned tokens (alg 'none') are never accepted"},
      {"Bearer not-a-token", "jwt_malformed", "the token has 1 segments, not 3"},
      {"Bearer ", "jwt_malformed", "the bearer token is empty"},
      {"Bearer " + std::string(9000, 'a'), "jwt_too_large", "the token is longer than 8192 bytes"},
      {"bearer    " + t.substr(0, 10) + "!" + t.substr(11), "jwt_bad_base64",
       "the header is not base64url"},
  };
  for (const auto& c : cases) {
    Fixture f;
    f.request.headers.add("Authorization", c.authorization);
    f.request.headers.add("X-Auth-Subject", "root");
    JwtGuard g(settings(), true);
    auto r = g.on_request(f.ex);
    ASSERT_TRUE(r.has_value()) << c.code;
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(r->reason, c.code);
    EXPECT_EQ(*r->headers.get("WWW-Authenticate"),
              std::string("Bearer realm=\"api\", error=\"invalid_token\", error_description=\"") +
                  c.description + "\"");
    EXPECT_EQ(
        r->body,
        nlohmann::json({{"error", "invalid_token"}, {"error_description", c.description}}).dump());
    ASSERT_EQ(f.ex.events.size(), 1u);
    EXPECT_EQ(f.ex.events[0].rule, c.code);
    EXPECT_EQ(f.ex.events[0].part, "request.header.Authorization");
    EXPECT_FALSE(f.ex.bearer_verified);
    EXPECT_FALSE(f.request.headers.has("X-Auth-Subject"));
  }
}

TEST(JwtGuard, TheErrorDescriptionIsPlainAscii) {
  Fixture f;
  // alg: A"B\C, a control character and an e-acute (two bytes of UTF-8).
  f.request.headers.add(
      "Authorization", "Bearer " + jwt::base64url_encode(R"({"alg":"A\"B\\C\u0001\u00e9"})") + "." +
                           jwt::base64url_encode("{}") + ".AA");
  JwtGuard g(settings(), true);
  auto r = g.on_request(f.ex);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r->headers.get("WWW-Authenticate"),
            "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"the algorithm "
            "'A'B?C?\?\?' is not supported\"");
}

TEST(JwtGuard, TwoAuthorizationHeadersAreRefused) {
  Fixture f;
  f.request.headers.add("Authorization", "Bearer " + good_token());
  f.request.headers.add("Authorization", "Bearer " + good_token("bob"));
  JwtGuard g(settings(), true);
  auto r = g.on_request(f.ex);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->reason, "jwt_malformed");
}

TEST(JwtGuard, MonitorModeRecordsAndLetsThrough) {
  Fixture f;
  f.request.headers.add("Authorization", "Bearer x.y.z");
  f.request.headers.add("X-Auth-Subject", "root");
  auto s = settings();
  s.monitor = true;
  JwtGuard g(s, true);
  EXPECT_FALSE(g.on_request(f.ex).has_value());
  ASSERT_EQ(f.ex.events.size(), 1u);
  EXPECT_EQ(f.ex.events[0].action, gateway::Action::kLogged);
  EXPECT_FALSE(f.ex.bearer_verified);
  EXPECT_FALSE(f.request.headers.has("X-Auth-Subject"));
}

TEST(JwtGuard, WhereItIsOffItOnlyRemovesForgedHeaders) {
  Fixture f;
  f.request.headers.add("X-AUTH-SUBJECT", "root");
  f.request.headers.add("Authorization", "Bearer garbage");
  JwtGuard g(settings(), false);
  EXPECT_FALSE(g.on_request(f.ex).has_value());
  EXPECT_FALSE(f.request.headers.has("X-Auth-Subject"));
  EXPECT_TRUE(f.request.headers.has("Authorization"));
  EXPECT_TRUE(f.ex.events.empty());
}

TEST(JwtGuard, UnknownKeyIdWithFixedKeys) {
  Fixture f;
  f.request.headers.add(
      "Authorization",
      "Bearer " + token(Alg::kRS256, rsa_key(), R"({"sub":"a","exp":1800000300})", "k9"));
  JwtGuard g(settings(), true);
  auto r = g.on_request(f.ex);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->reason, "jwt_unknown_kid");
}

TEST(JwksCache, MaxAgeWithinBounds) {
  using jwt::cache_max_age;
  EXPECT_EQ(cache_max_age("public, max-age=300"), seconds(300));
  EXPECT_EQ(cache_max_age("max-age=\"60\", must-revalidate"), seconds(60));
  EXPECT_EQ(cache_max_age("no-store"), seconds(0));
  EXPECT_EQ(cache_max_age("private"), std::nullopt);
  EXPECT_EQ(cache_max_age("max-age=abc"), std::nullopt);
  jwt::JwksOptions o;
  o.refresh = std::chrono::minutes(10);
  o.min_refresh = std::chrono::minutes(1);
  o.max_refresh = std::chrono::hours(24);
  using std::chrono::milliseconds;
  EXPECT_EQ(jwt::refresh_after(std::nullopt, o), milliseconds(600'000));
  EXPECT_EQ(jwt::refresh_after(seconds(300), o), milliseconds(300'000));
  EXPECT_EQ(jwt::refresh_after(seconds(0), o), milliseconds(60'000));
  EXPECT_EQ(jwt::refresh_after(seconds(10'000'000), o), milliseconds(86'400'000));
}

}  // namespace
}  // namespace rampart::guards
