#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "guards/access_log/access_log_guard.h"
#include "guards/cookies/cookies_guard.h"
#include "guards/headers/headers_guard.h"

namespace rampart::guards {
namespace {

struct Fixture {
  http::RequestHead request;
  http::ClientView client;
  gateway::ConnectionInfo conn;
  gateway::Exchange ex{request, client, conn, "/", {}, {}, {}};
  explicit Fixture(bool https) {
    client.scheme = https ? "https" : "http";
    client.address = *http::IpAddress::parse("203.0.113.9");
    client.address_text = "203.0.113.9";
    conn.tls = https;
    conn.tls_version = "1.3";
  }
};

TEST(HeadersGuard, AddsTheDefaultsAndRemovesServer) {
  Fixture f(true);
  http::ResponseHead resp;
  resp.headers.add("Server", "gunicorn");
  resp.headers.add("X-Powered-By", "Flask");
  HeadersGuard g{HeadersSettings{}};
  g.on_response(f.ex, resp);
  EXPECT_FALSE(resp.headers.has("Server"));
  EXPECT_FALSE(resp.headers.has("X-Powered-By"));
  EXPECT_EQ(*resp.headers.get("Strict-Transport-Security"), "max-age=31536000; includeSubDomains");
  EXPECT_EQ(*resp.headers.get("Content-Security-Policy"),
            "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'");
  EXPECT_EQ(*resp.headers.get("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(*resp.headers.get("Referrer-Policy"), "strict-origin-when-cross-origin");
  EXPECT_EQ(*resp.headers.get("Cross-Origin-Opener-Policy"), "same-origin");
  EXPECT_EQ(*resp.headers.get("Cross-Origin-Resource-Policy"), "same-origin");
  EXPECT_TRUE(resp.headers.has("Permissions-Policy"));
}

TEST(HeadersGuard, NoHstsOverPlainHttpAndAppPolicyKept) {
  Fixture f(false);
  http::ResponseHead resp;
  resp.headers.add("Content-Security-Policy", "default-src 'none'");
  HeadersGuard g{HeadersSettings{}};
  g.on_response(f.ex, resp);
  EXPECT_FALSE(resp.headers.has("Strict-Transport-Security"));
  EXPECT_EQ(resp.headers.get_all("Content-Security-Policy").size(), 1u);
  EXPECT_EQ(*resp.headers.get("Content-Security-Policy"), "default-src 'none'");
}

TEST(HardenSetCookie, Table) {
  CookieFlags defaults;
  CookieFlags readable;
  readable.http_only = false;
  struct Case {
    const char* in;
    const CookieFlags* flags;
    bool https;
    const char* out;
  } cases[] = {
      {"session=abc; Path=/", &defaults, true,
       "session=abc; Path=/; SameSite=Lax; Secure; HttpOnly"},
      {"session=abc; Path=/", &defaults, false, "session=abc; Path=/; SameSite=Lax; HttpOnly"},
      {"a=1; Secure; HttpOnly; SameSite=Strict", &defaults, true,
       "a=1; Secure; HttpOnly; SameSite=Strict"},
      {"a=1; samesite=none", &defaults, false, "a=1; samesite=none; HttpOnly"},
      {"a=1; SameSite=None;", &readable, true, "a=1; SameSite=None; Secure"},
      {"csrftoken=x; Path=/", &readable, true, "csrftoken=x; Path=/; SameSite=Lax; Secure"},
  };
  for (const auto& c : cases) {
    auto out = harden_set_cookie(c.in, *c.flags, c.https);
    ASSERT_TRUE(out.has_value()) << c.in;
    EXPECT_EQ(*out, c.out) << c.in;
  }
  EXPECT_FALSE(harden_set_cookie("garbage", defaults, true).has_value());
}

TEST(CookiesGuard, OverridesByNameAndMalformedPassesWithAnEvent) {
  Fixture f(true);
  CookiesSettings s;
  CookieFlags csrf;
  csrf.http_only = false;
  s.overrides["csrftoken"] = csrf;
  CookiesGuard g(s);
  http::ResponseHead resp;
  resp.headers.add("Set-Cookie", "csrftoken=t; Path=/");
  resp.headers.add("Set-Cookie", "sessionid=s; Path=/");
  resp.headers.add("Set-Cookie", "not a cookie");
  g.on_response(f.ex, resp);
  auto all = resp.headers.get_all("Set-Cookie");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0], "csrftoken=t; Path=/; SameSite=Lax; Secure");
  EXPECT_EQ(all[1], "sessionid=s; Path=/; SameSite=Lax; Secure; HttpOnly");
  EXPECT_EQ(all[2], "not a cookie");
  ASSERT_EQ(f.ex.events.size(), 1u);
  EXPECT_EQ(f.ex.events[0].rule, "malformed_set_cookie");
}

// The CSRF token cookies that frameworks make for scripts to read keep their readability by
// default; a configuration that names one of them still wins.
TEST(CookiesGuard, FrameworkCsrfCookiesStayReadableUnlessConfigured) {
  auto rewrite = [](const std::string& yaml, const std::string& set_cookie) -> std::string {
    YAML::Node root = YAML::Load(yaml);
    ConfigErrors errs("rampart.yaml");
    CookiesSettings s;
    s.read(ConfigNode(root, "guards.cookies", &errs));
    EXPECT_TRUE(errs.empty()) << errs.to_status().message();
    Fixture f(true);
    CookiesGuard g(s);
    http::ResponseHead resp;
    resp.headers.add("Set-Cookie", set_cookie);
    g.on_response(f.ex, resp);
    return std::string(resp.headers.get_all("Set-Cookie").at(0));
  };
  EXPECT_EQ(rewrite("{}", "csrftoken=t; Path=/"), "csrftoken=t; Path=/; SameSite=Lax; Secure");
  EXPECT_EQ(rewrite("{}", "XSRF-TOKEN=t"), "XSRF-TOKEN=t; SameSite=Lax; Secure");
  EXPECT_EQ(rewrite("{}", "__Host-rampart_csrf=t; Path=/"),
            "__Host-rampart_csrf=t; Path=/; SameSite=Lax; Secure");
  EXPECT_EQ(rewrite("{}", "sessionid=s"), "sessionid=s; SameSite=Lax; Secure; HttpOnly");
  // Names are case-sensitive, as browsers treat them.
  EXPECT_EQ(rewrite("{}", "CSRFTOKEN=t"), "CSRFTOKEN=t; SameSite=Lax; Secure; HttpOnly");
  EXPECT_EQ(rewrite("{samesite: Strict}", "csrftoken=t"), "csrftoken=t; SameSite=Strict; Secure");
  EXPECT_EQ(rewrite("{overrides: {csrftoken: {httponly: true}}}", "csrftoken=t"),
            "csrftoken=t; SameSite=Lax; Secure; HttpOnly");
}

TEST(AccessLog, LineHasTheEcsFields) {
  Fixture f(true);
  f.request.method = "POST";
  f.request.target = "/login?next=%2F";
  f.request.headers.add("User-Agent", "curl/8 \"quoted\"\x01");
  f.ex.status = 302;
  f.ex.request_body_bytes = 27;
  f.ex.response_body_bytes = 5;
  f.ex.started_wall =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(1764331200123));
  f.ex.add_event({"csrf", "origin_mismatch", gateway::Action::kBlocked, "request.header.Origin",
                  "cross-site"});
  std::string line = format_access_line(f.ex);
  EXPECT_EQ(line.substr(0, 40), "{\"@timestamp\":\"2025-11-28T12:00:00.123Z\"");
  EXPECT_NE(line.find("\"client.ip\":\"203.0.113.9\""), std::string::npos);
  EXPECT_NE(line.find("\"http.request.method\":\"POST\""), std::string::npos);
  EXPECT_NE(line.find("\"url.path\":\"/login\",\"url.query\":\"next=%2F\""), std::string::npos);
  EXPECT_NE(line.find("\"http.response.status_code\":302"), std::string::npos);
  EXPECT_NE(line.find("\"http.request.body.bytes\":27,\"http.response.body.bytes\":5"),
            std::string::npos);
  EXPECT_NE(line.find("\"user_agent.original\":\"curl/8 \\\"quoted\\\"\\u0001\""),
            std::string::npos);
  EXPECT_NE(line.find("\"tls.version\":\"1.3\""), std::string::npos);
  EXPECT_NE(line.find("\"rampart.events\":[{\"guard\":\"csrf\",\"rule\":\"origin_mismatch\","
                      "\"action\":\"blocked\""),
            std::string::npos);
  EXPECT_EQ(line.back(), '\n');
}

}  // namespace
}  // namespace rampart::guards
