#include "gateway/config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gateway/pipeline.h"

namespace rampart::gateway {
namespace {

StatusOr<GatewayConfig> parse(const std::string& text) {
  return parse_gateway_config(YAML::Load(text), "rampart.yaml");
}

TEST(GatewayConfig, OnlyTheUpstreamIsNeeded) {
  auto cfg = parse("upstream: http://127.0.0.1:8000\n");
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  ASSERT_EQ(cfg->listeners.size(), 1u);
  EXPECT_TRUE(cfg->listeners[0].tls);
  EXPECT_EQ(cfg->listeners[0].port, 8443);
  EXPECT_EQ(cfg->upstreams[0].host, "127.0.0.1");
  EXPECT_EQ(cfg->upstreams[0].port, 8000);
  EXPECT_EQ(cfg->limits.max_head_size, 16384u);
}

TEST(GatewayConfig, PlainListenerRedirectsOnlyBesideHttps) {
  auto both = parse("upstream: http://127.0.0.1:8000\nlisten: [':8443', 'http://:8080']\n");
  ASSERT_TRUE(both.ok());
  EXPECT_TRUE(both->listeners[1].redirect_to_https);
  auto plain = parse("upstream: http://127.0.0.1:8000\nlisten: http://127.0.0.1:8080\n");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->listeners[0].tls);
  EXPECT_FALSE(plain->listeners[0].redirect_to_https);
}

TEST(GatewayConfig, ErrorsNameFileLineAndKey) {
  auto cfg = parse(
      "upstream: localhost:8000\n"
      "listen: ['ftp://x:1']\n"
      "timeouts:\n"
      "  head: forever\n"
      "limts: {}\n"
      "trusted_proxies: [10.0.0.0/99]\n");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.status().message(),
            "rampart.yaml:1: upstream: expected an upstream URL such as http://127.0.0.1:8000, got "
            "'localhost:8000'\n"
            "rampart.yaml:2: listen: expected an address such as :8443, 127.0.0.1:8443 or "
            "http://127.0.0.1:8080, got 'ftp://x:1'\n"
            "rampart.yaml:4: timeouts.head: expected a duration such as 250ms, 30s, 5m, 2h or 1d, "
            "got 'forever'\n"
            "rampart.yaml:5: unknown key 'limts' (did you mean 'limits'?)\n"
            "rampart.yaml:6: trusted_proxies: expected an address or block such as 10.0.0.0/8 or "
            "::1, got '10.0.0.0/99'");
}

TEST(GatewayConfig, MissingUpstream) {
  auto cfg = parse("listen: ':8443'\n");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.status().message(),
            "rampart.yaml:1: upstream: missing: name the application, such as 'upstream: "
            "http://127.0.0.1:8000'");
}

TEST(GatewayConfig, ListenForms) {
  ListenSpec l;
  std::string err;
  ASSERT_TRUE(parse_listen("[::1]:8443", l, err)) << err;
  EXPECT_EQ(l.host, "::1");
  ASSERT_TRUE(parse_listen("https://0.0.0.0:443", l, err));
  EXPECT_TRUE(l.tls);
  EXPECT_FALSE(parse_listen("8443", l, err));
  EXPECT_FALSE(parse_listen(":0", l, err));
  EXPECT_FALSE(parse_listen("example.com:80", l, err));
}

TEST(Pipeline, RoutesMatchByLongestPrefixOnSegmentBoundaries) {
  EXPECT_TRUE(Pipeline::prefix_matches("/api", "/api"));
  EXPECT_TRUE(Pipeline::prefix_matches("/api", "/api/users"));
  EXPECT_FALSE(Pipeline::prefix_matches("/api", "/apix"));
  EXPECT_TRUE(Pipeline::prefix_matches("/api/", "/api/x"));
  EXPECT_FALSE(Pipeline::prefix_matches("/api/", "/api"));
  auto cfg = parse(
      "upstream: http://127.0.0.1:8000\n"
      "routes:\n"
      "  - path: /api\n"
      "    guards: {headers: {csp: \"default-src 'none'\"}}\n"
      "  - path: /api/v2/public\n"
      "    guards: {cookies: false}\n");
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  auto p = Pipeline::build(*cfg);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ((*p)->match("/api/v2/public/x").prefix, "/api/v2/public");
  auto names = [&](std::string_view path) {
    std::vector<std::string> out;
    for (const auto& g : (*p)->match(path).guards) out.emplace_back(g->name());
    return out;
  };
  // The guards that are on by default, in the order of the registry; the route turns one off.
  const std::vector<std::string> all = {"csrf",    "waf",     "session",
                                        "headers", "cookies", "access_log"};
  std::vector<std::string> without_cookies = all;
  std::erase(without_cookies, "cookies");
  EXPECT_EQ(names("/api/v2/public/x"), without_cookies);
  EXPECT_EQ((*p)->match("/api/v1").prefix, "/api");
  EXPECT_EQ((*p)->match("/apiary").prefix, "/");
  EXPECT_EQ(names("/"), all);
}

TEST(Pipeline, GuardSettingErrorsAreReported) {
  auto cfg = parse(
      "upstream: http://127.0.0.1:8000\n"
      "guards:\n"
      "  headerz: {}\n"
      "  cookies: {samesite: sometimes}\n"
      "routes:\n"
      "  - path: /x\n"
      "    guards:\n"
      "      headers: {hsts: {max_age: soon}}\n");
  ASSERT_TRUE(cfg.ok());
  auto p = Pipeline::build(*cfg);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "rampart.yaml:3: guards: unknown guard 'headerz' (did you mean 'headers'?)\n"
            "rampart.yaml:4: guards.cookies.samesite: expected Lax, Strict, None or off, got "
            "'sometimes'\n"
            "rampart.yaml:8: routes[0].guards.headers.hsts.max_age: expected a whole number from 0 "
            "to 63072000, got 'soon'");
}

}  // namespace
}  // namespace rampart::gateway

namespace rampart::gateway {
namespace {

TEST(GatewayConfig, StateForms) {
  auto plain = parse("upstream: http://127.0.0.1:8000\n");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->state.backend, state::StateOptions::Backend::kMemory);
  auto redis = parse("upstream: http://127.0.0.1:8000\nstate: redis://127.0.0.1:6380/2\n");
  ASSERT_TRUE(redis.ok()) << redis.status().message();
  EXPECT_EQ(redis->state.backend, state::StateOptions::Backend::kRedis);
  EXPECT_EQ(redis->state.port, 6380);
  EXPECT_TRUE(redis->state.fail_open);
  auto full = parse(
      "upstream: http://127.0.0.1:8000\n"
      "state:\n"
      "  url: redis://127.0.0.1\n"
      "  fail: closed\n"
      "  timeout: 20ms\n"
      "  max_keys: 5000\n");
  ASSERT_TRUE(full.ok()) << full.status().message();
  EXPECT_FALSE(full->state.fail_open);
  EXPECT_EQ(full->state.timeout, std::chrono::milliseconds(20));
  EXPECT_EQ(full->state.memory.max_entries, 5000u);
  auto bad = parse(
      "upstream: http://127.0.0.1:8000\n"
      "state:\n"
      "  url: redis:/x\n"
      "  fail: maybe\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "rampart.yaml:3: state.url: expected 'memory' or a Redis URL such as "
            "redis://127.0.0.1:6379/0, got 'redis:/x'\n"
            "rampart.yaml:4: state.fail: expected one of open, closed; got 'maybe'");
}

}  // namespace
}  // namespace rampart::gateway
