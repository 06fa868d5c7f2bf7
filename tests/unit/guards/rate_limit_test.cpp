// The rate_limit guard's pieces: the rate syntax, client keys, login fields, and the guard's
// decisions over a memory store with an injected clock.
#include <gtest/gtest.h>

#include "common/config_node.h"
#include "guards/rate_limit/client_key.h"
#include "guards/rate_limit/limit_syntax.h"
#include "guards/rate_limit/login_fields.h"
#include "guards/rate_limit/rate_limit_guard.h"
#include "state/memory_store.h"

namespace rampart::guards {
namespace {

using std::chrono::seconds;

TEST(RateSyntax, Table) {
  struct Case {
    std::string text;
    int64_t count;
    int64_t period_us;  // 0: an error, `error` the message
    std::string error = "";
  };
  const Case cases[] = {
      {"100/minute", 100, 60'000'000},
      {"5/second", 5, 1'000'000},
      {"5/s", 5, 1'000'000},
      {" 1000 / hour ", 1000, 3'600'000'000},
      {"10000/day", 10000, 86'400'000'000},
      {"20/10s", 20, 10'000'000},
      {"3/5m", 3, 300'000'000},
      {"3/5minutes", 3, 300'000'000},
      {"7/250ms", 7, 250'000},
      {"100", 0, 0, "expected a rate such as 100/minute, 5/second or 20/10s, got '100'"},
      {"0/minute", 0, 0, "the count of a rate must be from 1 to 1000000000, got '0/minute'"},
      {"x/minute", 0, 0, "expected a rate such as 100/minute, 5/second or 20/10s, got 'x/minute'"},
      {"5/fortnight", 0, 0,
       "expected a rate such as 100/minute, 5/second or 20/10s, got '5/fortnight'"},
      {"5/", 0, 0, "expected a rate such as 100/minute, 5/second or 20/10s, got '5/'"},
      {"5/400d", 0, 0, "the period of a rate must be at most 366 days, got '5/400d'"},
      {"2000000/s", 0, 0,
       "a rate of more than one request per microsecond cannot be limited: '2000000/s'"},
  };
  for (const auto& c : cases) {
    std::string err;
    auto r = parse_rate(c.text, err);
    if (c.period_us == 0) {
      EXPECT_FALSE(r) << c.text;
      EXPECT_EQ(err, c.error);
      continue;
    }
    ASSERT_TRUE(r) << c.text << ": " << err;
    EXPECT_EQ(r->count, c.count) << c.text;
    EXPECT_EQ(r->period.count(), c.period_us) << c.text;
  }
}

TEST(ClientKey, V4WholeAndV6ByNetwork) {
  auto ip = [](const char* s) { return *http::IpAddress::parse(s); };
  EXPECT_EQ(client_key(ip("203.0.113.7"), 32, 64), "203.0.113.7");
  EXPECT_EQ(client_key(ip("203.0.113.7"), 24, 64), "203.0.113.0/24");
  EXPECT_EQ(client_key(ip("2001:db8:1:2:3:4:5:6"), 32, 64), "2001:db8:1:2::/64");
  EXPECT_EQ(client_key(ip("2001:db8:1:2:3:4:5:6"), 32, 56), "2001:db8:1::/56");
  EXPECT_EQ(client_key(ip("2001:db8::1"), 32, 128), "2001:db8::1");
}

TEST(LoginFields, FormJsonAndCookie) {
  http::Headers form;
  form.add("Content-Type", "application/x-www-form-urlencoded");
  EXPECT_EQ(login_username(form, "username=Alice%40Example.com&password=x", "username"),
            "alice@example.com");
  EXPECT_EQ(login_username(form, "password=x", "username"), std::nullopt);
  http::Headers json;
  json.add("Content-Type", "application/json; charset=utf-8");
  EXPECT_EQ(login_username(json, R"({"user":{"name":" Bob "},"password":"x"})", "user.name"),
            "bob");
  EXPECT_EQ(login_username(json, "{not json", "user.name"), std::nullopt);
  http::Headers other;
  other.add("Content-Type", "text/plain");
  EXPECT_EQ(login_username(other, "username=a", "username"), std::nullopt);
  http::Headers cookies;
  cookies.add("Cookie", "a=1; session=abc");
  EXPECT_EQ(cookie_value(cookies, "session"), "abc");
  EXPECT_EQ(cookie_value(cookies, "nope"), std::nullopt);
}

struct Request {
  http::RequestHead request;
  http::ClientView client;
  gateway::ConnectionInfo conn;
  gateway::Exchange ex{request, client, conn, "/", {}, {}, {}};
  explicit Request(const char* ip, const char* method = "GET") {
    request.method = method;
    request.target = "/";
    client.address = *http::IpAddress::parse(ip);
    client.address_text = ip;
  }
};

std::unique_ptr<gateway::Guard> build(const std::string& yaml, std::shared_ptr<state::Store> store,
                                      std::string* errors) {
  YAML::Node root = YAML::Load(yaml);
  ConfigErrors errs("rampart.yaml");
  std::vector<ConfigNode> layers{ConfigNode(root, "guards.rate_limit", &errs)};
  gateway::GuardContext ctx;
  ctx.source = "rampart.yaml";
  ctx.store = store.get();
  ctx.store_owner = store;
  auto g = RateLimitGuard::build(layers, ctx);
  if (errors) *errors = errs.to_status().message();
  return g;
}

TEST(RateLimitGuard, LimitsWithHeadersAndRefill) {
  state::ManualClock clock;
  auto store = std::make_shared<state::MemoryStore>(state::MemoryOptions{}, clock);
  std::string errors;
  auto g = build("limits: { api: { rate: 2/minute, burst: 2 } }", store, &errors);
  ASSERT_EQ(errors, "");
  for (int i = 0; i < 2; ++i) {
    Request r("203.0.113.1");
    EXPECT_FALSE(g->on_request(r.ex));
    http::ResponseHead head;
    g->on_response(r.ex, head);
    EXPECT_EQ(head.headers.get("RateLimit-Policy"), "\"api\";q=2;w=60");
    EXPECT_EQ(head.headers.get("RateLimit"), i == 0 ? "\"api\";r=1;t=30" : "\"api\";r=0;t=60");
  }
  Request over("203.0.113.1");
  auto reply = g->on_request(over.ex);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 429);
  EXPECT_EQ(reply->reason, "rate_limited");
  EXPECT_EQ(reply->headers.get("Retry-After"), "30");
  EXPECT_EQ(reply->headers.get("RateLimit"), "\"api\";r=0;t=30");
  ASSERT_EQ(over.ex.events.size(), 1u);
  EXPECT_EQ(over.ex.events[0].rule, "api");
  EXPECT_EQ(over.ex.events[0].reason, "over 2/minute (burst 2) for 203.0.113.1");
  // Another client has its own budget; the first gets one back after 30 s.
  Request other("203.0.113.2");
  EXPECT_FALSE(g->on_request(other.ex));
  clock.advance(seconds(30));
  Request later("203.0.113.1");
  EXPECT_FALSE(g->on_request(later.ex));
}

TEST(RateLimitGuard, MethodsAndKeysFallBackToTheClient) {
  auto store = std::make_shared<state::MemoryStore>();
  auto g = build(
      "limits:\n"
      "  posts: { rate: 1/hour, methods: [post] }\n"
      "  token: { rate: 1/hour, key: 'header:X-Token' }\n",
      store, nullptr);
  Request get1("198.51.100.1");
  get1.request.headers.add("X-Token", "t1");
  EXPECT_FALSE(g->on_request(get1.ex));
  Request get2("198.51.100.2");
  get2.request.headers.add("X-Token", "t1");
  EXPECT_TRUE(g->on_request(get2.ex));  // the same token
  Request no_token("198.51.100.3");
  EXPECT_FALSE(g->on_request(no_token.ex));
  Request no_token_again("198.51.100.3");
  EXPECT_TRUE(g->on_request(no_token_again.ex));  // counted under the client
  Request post("198.51.100.4", "POST");
  post.request.headers.add("X-Token", "t4");
  EXPECT_FALSE(g->on_request(post.ex));
  Request post_again("198.51.100.4", "POST");
  post_again.request.headers.add("X-Token", "t5");
  EXPECT_TRUE(g->on_request(post_again.ex));  // the posts limit
}

TEST(RateLimitGuard, BannedClientIsRefusedAndMonitorOnlyLogs) {
  state::ManualClock clock;
  auto store = std::make_shared<state::MemoryStore>(state::MemoryOptions{}, clock);
  store->ban_now("ip:203.0.113.5", state::BanPolicy{seconds(90), seconds(90), seconds(90)},
                 "5 failed logins within 600s");
  auto enforce = build("ban_status: 403", store, nullptr);
  Request r("203.0.113.5");
  auto reply = enforce->on_request(r.ex);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 403);
  EXPECT_EQ(reply->reason, "banned");
  EXPECT_EQ(r.ex.events[0].reason,
            "ip:203.0.113.5 is banned for 90s more: 5 failed logins within 600s");
  auto monitor = build("mode: monitor", store, nullptr);
  Request m("203.0.113.5");
  EXPECT_FALSE(monitor->on_request(m.ex));
  EXPECT_EQ(m.ex.events[0].action, gateway::Action::kLogged);
}

TEST(RateLimitGuard, FailedLoginsBanThenGrow) {
  state::ManualClock clock;
  auto store = std::make_shared<state::MemoryStore>(state::MemoryOptions{}, clock);
  auto g = build("login: { username_field: username, max_failures: 2, ban: 1m, max_ban: 3m }",
                 store, nullptr);
  std::vector<std::string> events;  // of the last exchange: rule, part, action, reason
  auto fail = [&](const char* ip) {
    events.clear();
    Request r(ip, "POST");
    r.request.headers.add("Content-Type", "application/x-www-form-urlencoded");
    if (auto reply = g->on_request(r.ex)) return reply->status;
    if (auto reply = g->on_request_body(r.ex, "username=eve&password=x", true)) {
      return reply->status;
    }
    http::ResponseHead head;
    head.status = 401;
    g->on_response(r.ex, head);
    EXPECT_FALSE(g->finish_is_async(r.ex));  // a memory store answers at once
    g->on_finish(r.ex);
    g->on_complete(r.ex);
    for (const auto& e : r.ex.events) {
      events.push_back(e.rule + " " + e.part + " " + std::string(gateway::action_name(e.action)) +
                       ": " + e.reason);
    }
    return 401;
  };
  EXPECT_EQ(fail("203.0.113.8"), 401);
  EXPECT_EQ(events, std::vector<std::string>{});
  // The failure that reaches the maximum bans, and its own exchange says so (the access log).
  EXPECT_EQ(fail("203.0.113.8"), 401);
  EXPECT_EQ(events, (std::vector<std::string>{
                        "ban ip logged: banned ip:203.0.113.8 for 60s (level 1): 2 failed logins "
                        "within 600s"}));
  EXPECT_EQ(fail("203.0.113.8"), 429);
  auto ban = store->banned_now("ip:203.0.113.8");
  ASSERT_TRUE(ban);
  EXPECT_EQ(ban->until - ban->since, std::chrono::minutes(1));
  clock.advance(std::chrono::minutes(1));
  EXPECT_EQ(fail("203.0.113.8"), 401);
  EXPECT_EQ(fail("203.0.113.8"), 401);
  ban = store->banned_now("ip:203.0.113.8");
  ASSERT_TRUE(ban);
  EXPECT_EQ(ban->level, 2);
  EXPECT_EQ(ban->until - ban->since, std::chrono::minutes(2));
  EXPECT_EQ(events, (std::vector<std::string>{
                        "ban ip logged: banned ip:203.0.113.8 for 120s (level 2): 2 failed logins "
                        "within 600s"}));
}

TEST(RateLimitGuard, MonitorModeSaysWhatItWouldBan) {
  auto store = std::make_shared<state::MemoryStore>();
  auto g = build("mode: monitor\nlogin: { max_failures: 1 }", store, nullptr);
  Request r("203.0.113.9", "POST");
  EXPECT_FALSE(g->on_request(r.ex));
  http::ResponseHead head;
  head.status = 403;
  g->on_response(r.ex, head);
  g->on_finish(r.ex);
  ASSERT_EQ(r.ex.events.size(), 1u);
  EXPECT_EQ(r.ex.events[0].rule, "ban");
  EXPECT_EQ(r.ex.events[0].action, gateway::Action::kLogged);
  EXPECT_EQ(r.ex.events[0].reason,
            "would ban ip:203.0.113.9 (monitor mode): 1 failed logins within 600s");
  EXPECT_FALSE(store->banned_now("ip:203.0.113.9"));
}

TEST(RateLimitGuard, SettingErrorsNameTheKey) {
  auto store = std::make_shared<state::MemoryStore>();
  std::string errors;
  build(
      "limits:\n"
      "  a: { rate: 5/fortnight }\n"
      "  b: { rate: 5/minute, key: ip }\n"
      "ban_status: 404\n",
      store, &errors);
  EXPECT_EQ(errors,
            "rampart.yaml:2: guards.rate_limit.limits.a.rate: expected a rate such as 100/minute, "
            "5/second or 20/10s, got '5/fortnight'\n"
            "rampart.yaml:3: guards.rate_limit.limits.b.key: expected client, route, subject, "
            "header:NAME or cookie:NAME, got 'ip'\n"
            "rampart.yaml:4: guards.rate_limit.ban_status: expected 429 or 403, got '404'");
}

}  // namespace
}  // namespace rampart::guards
