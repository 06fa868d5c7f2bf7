#include <gtest/gtest.h>

#include "guards/csrf/csrf_guard.h"
#include "guards/csrf/csrf_token.h"
#include "guards/csrf/origin.h"

namespace rampart::guards {
namespace {

struct Fixture {
  http::RequestHead request;
  http::ClientView client;
  gateway::ConnectionInfo conn;
  gateway::Exchange ex{request, client, conn, "/", {}, {}, {}};
  Fixture(std::string method, std::string scheme = "https", std::string host = "app.example.com") {
    request.method = std::move(method);
    request.target = "/transfer";
    client.scheme = std::move(scheme);
    client.host = std::move(host);
    client.address_text = "203.0.113.9";
    conn.tls = client.scheme == "https";
  }
};

CsrfSettings settings_with(std::vector<std::string> trusted,
                           std::vector<std::string> domains = {}) {
  CsrfSettings s;
  for (const auto& t : trusted) s.trusted_origins.push_back(*OriginPattern::parse(t));
  s.domains = std::move(domains);
  return s;
}

TEST(Origin, ParsesOnlyOrigins) {
  struct Case {
    const char* text;
    const char* parsed;  // "" for nullopt
  } cases[] = {
      {"https://app.example.com", "https://app.example.com"},
      {"HTTPS://App.Example.COM", "https://app.example.com"},
      {"https://app.example.com:443", "https://app.example.com"},
      {"https://app.example.com:8443", "https://app.example.com:8443"},
      {"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
      {"http://[::1]:8080", "http://[::1]:8080"},
      {"https://app.example.com/", "https://app.example.com"},
      {"null", ""},
      {"", ""},
      {"app.example.com", ""},
      {"https://", ""},
      {"https://app.example.com/path", ""},
      {"https://user@app.example.com", ""},
      {"https://app.example.com:0", ""},
      {"https://app.example.com:65536", ""},
      {"https://app.example.com:", ""},
      {"https://app.example.com:12a", ""},
      {"https://[::1", ""},
      {"https://exa mple.com", ""},
      {"https://ex\xc3\xa4mple.com", ""},
      {"ht tp://a.com", ""},
  };
  for (const auto& c : cases) {
    auto o = parse_origin(c.text);
    EXPECT_EQ(o ? o->to_string() : "", c.parsed) << c.text;
  }
}

TEST(Origin, OfAReferer) {
  EXPECT_EQ(origin_of_url("https://app.example.com/account?x=1#y")->to_string(),
            "https://app.example.com");
  EXPECT_EQ(origin_of_url("http://u:p@evil.example:81/")->to_string(), "http://evil.example:81");
  EXPECT_FALSE(origin_of_url("/relative/path"));
  EXPECT_FALSE(origin_of_url("android-app://com.example/"));
  EXPECT_FALSE(origin_of_url("https:///nohost"));
}

TEST(OriginPattern, WildcardMatchesSubdomainsOnly) {
  auto p = *OriginPattern::parse("https://*.example.com");
  EXPECT_TRUE(p.matches(*parse_origin("https://a.example.com")));
  EXPECT_TRUE(p.matches(*parse_origin("https://a.b.example.com")));
  EXPECT_FALSE(p.matches(*parse_origin("https://example.com")));
  EXPECT_FALSE(p.matches(*parse_origin("https://evilexample.com")));
  EXPECT_FALSE(p.matches(*parse_origin("http://a.example.com")));
  EXPECT_FALSE(p.matches(*parse_origin("https://a.example.com:8443")));
  EXPECT_FALSE(OriginPattern::parse("https://*.com"));
  EXPECT_FALSE(OriginPattern::parse("*.example.com"));
  EXPECT_FALSE(OriginPattern::parse("https://*"));
}

// The token-less decision for every combination of the three headers that matters.
TEST(CsrfJudge, HeaderCombinations) {
  struct Case {
    const char* fetch_site;  // nullptr: absent
    const char* origin;
    const char* referer;
    CsrfVerdict verdict;
    const char* part;
  } cases[] = {
      {"same-origin", nullptr, nullptr, CsrfVerdict::kSameOrigin, "request.header.Sec-Fetch-Site"},
      {"none", nullptr, nullptr, CsrfVerdict::kSameOrigin, "request.header.Sec-Fetch-Site"},
      {"Same-Origin", "https://evil.example", nullptr, CsrfVerdict::kSameOrigin,
       "request.header.Sec-Fetch-Site"},
      {"cross-site", nullptr, nullptr, CsrfVerdict::kCrossSite, "request.header.Sec-Fetch-Site"},
      {"same-site", nullptr, nullptr, CsrfVerdict::kCrossSite, "request.header.Sec-Fetch-Site"},
      {"cross-site", "https://evil.example", nullptr, CsrfVerdict::kCrossSite,
       "request.header.Origin"},
      {"cross-site", "https://partner.example", nullptr, CsrfVerdict::kTrusted,
       "request.header.Origin"},
      {"same-site", "https://api.example.com", nullptr, CsrfVerdict::kTrusted,
       "request.header.Origin"},
      {"same-site", "https://example.com", nullptr, CsrfVerdict::kCrossSite,
       "request.header.Origin"},
      {nullptr, "https://app.example.com", nullptr, CsrfVerdict::kSameOrigin,
       "request.header.Origin"},
      {nullptr, "https://APP.example.com:443", nullptr, CsrfVerdict::kSameOrigin,
       "request.header.Origin"},
      {nullptr, "http://app.example.com", nullptr, CsrfVerdict::kCrossSite,
       "request.header.Origin"},
      {nullptr, "https://app.example.com:8443", nullptr, CsrfVerdict::kCrossSite,
       "request.header.Origin"},
      {nullptr, "https://www.example.com", nullptr, CsrfVerdict::kSameOrigin,
       "request.header.Origin"},
      {nullptr, "null", nullptr, CsrfVerdict::kCrossSite, "request.header.Origin"},
      {nullptr, "null", "https://app.example.com/", CsrfVerdict::kCrossSite,
       "request.header.Origin"},
      {nullptr, "https://evil.example", "https://app.example.com/", CsrfVerdict::kCrossSite,
       "request.header.Origin"},
      {nullptr, "not an origin", nullptr, CsrfVerdict::kMalformed, "request.header.Origin"},
      {nullptr, nullptr, "https://app.example.com/form?x=1", CsrfVerdict::kSameOrigin,
       "request.header.Referer"},
      {nullptr, nullptr, "https://evil.example/attack", CsrfVerdict::kCrossSite,
       "request.header.Referer"},
      {nullptr, nullptr, "https://a.partner.example/", CsrfVerdict::kCrossSite,
       "request.header.Referer"},
      {nullptr, nullptr, "garbage", CsrfVerdict::kMalformed, "request.header.Referer"},
      {nullptr, nullptr, nullptr, CsrfVerdict::kNoHeaders, ""},
  };
  CsrfSettings s = settings_with({"https://partner.example", "https://*.example.com"},
                                 {"app.example.com", "www.example.com"});
  // The wildcard covers api.example.com but the exact list only partner.example itself.
  for (const auto& c : cases) {
    http::Headers h;
    if (c.fetch_site) h.add("Sec-Fetch-Site", c.fetch_site);
    if (c.origin) h.add("Origin", c.origin);
    if (c.referer) h.add("Referer", c.referer);
    auto d = judge_origin(h, "https", "app.example.com", s);
    EXPECT_EQ(int(d.verdict), int(c.verdict))
        << (c.fetch_site ? c.fetch_site : "-") << " " << (c.origin ? c.origin : "-") << " "
        << (c.referer ? c.referer : "-");
    EXPECT_EQ(d.part, c.part);
  }
}

TEST(CsrfJudge, OwnOriginFollowsTheGatewaysViewOfSchemeAndHost) {
  CsrfSettings s;
  http::Headers h;
  h.add("Origin", "https://shop.example:8443");
  EXPECT_EQ(judge_origin(h, "https", "shop.example:8443", s).verdict, CsrfVerdict::kSameOrigin);
  EXPECT_EQ(judge_origin(h, "http", "shop.example:8443", s).verdict, CsrfVerdict::kCrossSite);
  EXPECT_EQ(judge_origin(h, "https", "shop.example", s).verdict, CsrfVerdict::kCrossSite);
  EXPECT_EQ(judge_origin(h, "https", "", s).verdict, CsrfVerdict::kCrossSite);
  http::Headers dup;
  dup.add("Origin", "https://shop.example:8443");
  dup.add("Origin", "https://shop.example:8443");
  EXPECT_EQ(judge_origin(dup, "https", "shop.example:8443", s).verdict, CsrfVerdict::kMalformed);
}

TEST(CsrfGuard, SafeMethodsAreNeverChecked) {
  for (const char* m : {"GET", "HEAD", "OPTIONS", "TRACE"}) {
    Fixture f(m);
    f.request.headers.add("Origin", "https://evil.example");
    CsrfGuard g{CsrfSettings{}};
    EXPECT_FALSE(g.on_request(f.ex)) << m;
    EXPECT_TRUE(f.ex.events.empty());
  }
}

TEST(CsrfGuard, CrossSiteRefusedWithAnEventNamingTheOrigin) {
  for (const char* m : {"POST", "PUT", "PATCH", "DELETE", "PROPFIND"}) {
    Fixture f(m);
    f.request.headers.add("Sec-Fetch-Site", "cross-site");
    f.request.headers.add("Origin", "https://evil.example");
    CsrfGuard g{CsrfSettings{}};
    auto reply = g.on_request(f.ex);
    ASSERT_TRUE(reply) << m;
    EXPECT_EQ(reply->status, 403);
    EXPECT_EQ(reply->reason, "csrf_origin_mismatch");
    ASSERT_EQ(f.ex.events.size(), 1u);
    EXPECT_EQ(f.ex.events[0].guard, "csrf");
    EXPECT_EQ(f.ex.events[0].action, gateway::Action::kBlocked);
    EXPECT_EQ(f.ex.events[0].part, "request.header.Origin");
    EXPECT_EQ(f.ex.events[0].reason,
              "cross-site " + std::string(m) + " from origin 'https://evil.example' refused");
  }
}

TEST(CsrfGuard, MalformedOriginAndBareSecFetchSite) {
  Fixture f("POST");
  f.request.headers.add("Origin", "https://evil.example/x\x01");
  CsrfGuard g{CsrfSettings{}};
  auto reply = g.on_request(f.ex);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->reason, "csrf_origin_malformed");
  EXPECT_EQ(f.ex.events[0].reason,
            "POST with a malformed Origin 'https://evil.example/x\\x01' refused");

  Fixture f2("POST");
  f2.request.headers.add("Sec-Fetch-Site", "cross-site");
  reply = g.on_request(f2.ex);
  ASSERT_TRUE(reply);
  EXPECT_EQ(f2.ex.events[0].reason,
            "cross-site POST (Sec-Fetch-Site: cross-site, no Origin or Referer) refused");
}

TEST(CsrfGuard, NoHeadersPassUnlessStrict) {
  Fixture f("POST");
  CsrfGuard lenient{CsrfSettings{}};
  EXPECT_FALSE(lenient.on_request(f.ex));
  EXPECT_TRUE(f.ex.events.empty());
  CsrfSettings s;
  s.strict = true;
  CsrfGuard strict{s};
  auto reply = strict.on_request(f.ex);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->reason, "csrf_no_origin");
  EXPECT_EQ(f.ex.events[0].reason,
            "a POST without Sec-Fetch-Site, Origin or Referer refused (strict mode)");
}

TEST(CsrfGuard, VerifiedBearerTokensAreExempt) {
  Fixture f("POST");
  f.request.headers.add("Origin", "https://evil.example");
  f.ex.bearer_verified = true;
  CsrfGuard g{CsrfSettings{}};
  EXPECT_FALSE(g.on_request(f.ex));
  CsrfSettings s;
  s.exempt_bearer = false;
  CsrfGuard not_exempt{s};
  EXPECT_TRUE(not_exempt.on_request(f.ex));
}

TEST(CsrfGuard, MonitorModeLogsAndPasses) {
  Fixture f("POST");
  f.request.headers.add("Origin", "null");
  CsrfSettings s;
  s.monitor = true;
  CsrfGuard g{s};
  EXPECT_FALSE(g.on_request(f.ex));
  ASSERT_EQ(f.ex.events.size(), 1u);
  EXPECT_EQ(f.ex.events[0].action, gateway::Action::kLogged);
  EXPECT_EQ(f.ex.events[0].reason,
            "cross-site POST from origin 'null' refused (monitor mode: passed)");
}

TEST(CsrfToken, ShapeAndComparison) {
  auto a = new_csrf_token();
  auto b = new_csrf_token();
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(well_formed_csrf_token(*a));
  EXPECT_FALSE(well_formed_csrf_token(a->substr(1)));
  EXPECT_FALSE(well_formed_csrf_token(std::string(64, 'G')));
  EXPECT_TRUE(csrf_tokens_equal(*a, *a));
  EXPECT_FALSE(csrf_tokens_equal(*a, *b));
  EXPECT_FALSE(csrf_tokens_equal("", ""));
}

TEST(CsrfToken, FormFields) {
  EXPECT_EQ(
      *form_field("application/x-www-form-urlencoded", "a=1&csrf_token=ab%63&b=2", "csrf_token"),
      "abc");
  std::string mp =
      "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntok\r\n--XyZ--\r\n";
  EXPECT_EQ(*form_field("multipart/form-data; boundary=XyZ", mp, "csrf_token"), "tok");
  EXPECT_FALSE(form_field("application/json", "{\"csrf_token\":\"x\"}", "csrf_token"));
  EXPECT_FALSE(form_field("multipart/form-data", mp, "csrf_token"));
  EXPECT_FALSE(form_field("application/x-www-form-urlencoded", "a=1", "csrf_token"));
}

struct TokenFixture : Fixture {
  std::string token = *new_csrf_token();
  CsrfSettings s;
  TokenFixture() : Fixture("POST") { s.token.enabled = true; }
};

TEST(CsrfGuardToken, IssuesAHostPrefixedCookieOnHttpsOnly) {
  TokenFixture f;
  CsrfGuard g{f.s};
  http::ResponseHead resp;
  g.on_response(f.ex, resp);
  auto sc = resp.headers.get("Set-Cookie");
  ASSERT_TRUE(sc);
  EXPECT_TRUE(sc->starts_with("__Host-rampart_csrf="));
  EXPECT_TRUE(sc->ends_with("; Path=/; SameSite=Lax; Secure"));

  Fixture plain("GET", "http");
  http::ResponseHead resp2;
  g.on_response(plain.ex, resp2);
  EXPECT_TRUE(resp2.headers.get("Set-Cookie")->starts_with("rampart_csrf="));
  EXPECT_EQ(resp2.headers.get("Set-Cookie")->find("Secure"), std::string_view::npos);

  // A request that already has a good token gets no new one.
  f.request.headers.add("Cookie", "__Host-rampart_csrf=" + f.token);
  http::ResponseHead resp3;
  g.on_response(f.ex, resp3);
  EXPECT_FALSE(resp3.headers.has("Set-Cookie"));
}

TEST(CsrfGuardToken, HeaderlessRequestsNeedTheToken) {
  struct Case {
    const char* cookie;  // with {T} for the token
    const char* header;
    const char* rule;  // "" for pass
  } cases[] = {
      {"__Host-rampart_csrf={T}", "{T}", ""},
      {"__Host-rampart_csrf={T}", "{T} ", ""},
      {"__Host-rampart_csrf={T}", "0{T}", "csrf_token_mismatch"},
      {"__Host-rampart_csrf={T}", nullptr, "csrf_token_missing"},
      {nullptr, "{T}", "csrf_token_cookie_missing"},
      {"rampart_csrf={T}", "{T}", "csrf_token_cookie_missing"},
      {"__Host-rampart_csrf={T}; __Host-rampart_csrf=abc", "{T}", "csrf_token_cookie_duplicate"},
      {"__Host-rampart_csrf={T}; __Host-rampart_csrf={T}", "{T}", ""},
      {"__Host-rampart_csrf=short", "short", "csrf_token_mismatch"},
  };
  for (const auto& c : cases) {
    TokenFixture f;
    auto fill = [&](std::string s) {
      for (size_t at; (at = s.find("{T}")) != std::string::npos;) s.replace(at, 3, f.token);
      return s;
    };
    if (c.cookie) f.request.headers.add("Cookie", fill(c.cookie));
    if (c.header) f.request.headers.add("X-CSRF-Token", fill(c.header));
    CsrfGuard g{f.s};
    auto reply = g.on_request(f.ex);
    EXPECT_EQ(reply ? reply->reason : "", c.rule) << (c.cookie ? c.cookie : "-");
  }
}

TEST(CsrfGuardToken, FormFieldReadThroughTheBodyStep) {
  TokenFixture f;
  f.request.headers.add("Cookie", "__Host-rampart_csrf=" + f.token);
  f.request.headers.add("Content-Type", "application/x-www-form-urlencoded");
  CsrfGuard g{f.s};
  EXPECT_FALSE(g.on_request(f.ex));
  EXPECT_EQ(g.request_body_wanted(f.ex), 64u * 1024);
  EXPECT_FALSE(g.on_request_body(f.ex, "amount=5&csrf_token=" + f.token, true));
  auto reply = g.on_request_body(f.ex, "amount=5&csrf_token=" + std::string(64, 'a'), true);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->reason, "csrf_token_mismatch");
  reply = g.on_request_body(f.ex, "amount=5", false);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->reason, "csrf_token_missing");
  EXPECT_EQ(f.ex.events.back().reason,
            "a POST without Origin or Referer and without the token refused (only the first 65536 "
            "bytes of the body are read: put the field first)");

  // With an Origin the headers decide, and the body is not read.
  f.request.headers.add("Origin", "https://app.example.com");
  EXPECT_EQ(g.request_body_wanted(f.ex), 0u);
  EXPECT_FALSE(g.on_request(f.ex));
}

}  // namespace
}  // namespace rampart::guards
