#pragma once
// The `rate_limit` guard: request rate limits (GCRA, through the state store), brute-force bans
// on login routes, and the refusal of banned clients before the application sees them.
//
// Limits are named; each has a rate ("100/minute"), a burst, and a key: the client (its IPv4
// address or IPv6 /64), the route (everyone together), a header or cookie value, or the subject
// of a verified JWT (Exchange::auth_subject). A request that lacks the header, cookie or subject
// is counted under its client instead, so leaving it out gains nothing. A route's settings add
// limits to the global ones or replace them by name; a limit defined in a route counts that
// route's requests apart. Over a limit: 429 with Retry-After, RateLimit-Policy and RateLimit
// (draft-ietf-httpapi-ratelimit-headers); allowed responses carry the two RateLimit fields too.
//
// Login protection (`login:`, usually in a route's settings): a response with a failure status
// (401, 403), header or body marker counts as a failed login, per client and per username (a
// form or JSON field of the request). `max_failures` within `window` bans the client or the
// username for a time that doubles with each repeated ban up to a ceiling. A banned client gets
// 429 (or 403) on every route where this guard runs; a banned username, on login routes.
// `monitor` mode records every decision and enforces none.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/config_node.h"
#include "gateway/guard.h"
#include "gateway/guard_registry.h"
#include "guards/common.h"
#include "guards/rate_limit/limit_syntax.h"
#include "state/store.h"

namespace rampart::guards {

struct LimitRule {
  enum class Key { kClient, kRoute, kHeader, kCookie, kSubject };
  std::string name;
  RateSpec rate;
  int64_t burst = 0;
  Key key = Key::kClient;
  std::string key_name;              // the header or cookie
  std::vector<std::string> methods;  // empty: every method
  std::string store_prefix;          // "rl:" + where it was defined + "|"
  std::string field_name;            // its name as a structured-field string: "\"api\""
  state::Gcra gcra;
};

struct LoginRule {
  bool enabled = false;
  std::vector<std::string> methods = {"POST"};
  std::vector<int> failure_status = {401, 403};
  std::string failure_header;        // a response field that marks a failure ...
  std::string failure_header_value;  // ... when it contains this (empty: when present)
  std::string failure_body;          // text in the response body that marks a failure
  uint64_t failure_body_limit = 64 * 1024;
  std::string username_field;  // form or JSON field ("user.name" for nested JSON)
  int64_t max_failures = 5;
  int64_t max_failures_per_username = 10;
  state::Micros window{std::chrono::minutes(10)};
  state::BanPolicy ban{std::chrono::minutes(15), std::chrono::hours(24), std::chrono::hours(24)};
};

struct RateLimitSettings {
  Mode mode = Mode::kEnforce;
  int ipv4_prefix = 32;
  int ipv6_prefix = 64;
  bool headers = true;
  int ban_status = 429;
  std::vector<LimitRule> limits;
  LoginRule login;

  // Reads one layer (the global settings, then a route's).
  void read(const ConfigNode& node);
};

class RateLimitGuard : public gateway::Guard {
 public:
  RateLimitGuard(RateLimitSettings s, std::shared_ptr<state::Store> store);
  std::string_view name() const override { return "rate_limit"; }
  std::optional<gateway::Reply> on_request(gateway::Exchange& ex) const override;
  bool request_is_async() const override { return !store_->immediate() && !s_.limits.empty(); }
  boost::asio::awaitable<std::optional<gateway::Reply>> on_request_async(
      gateway::Exchange& ex) const override;
  uint64_t request_body_wanted(const gateway::Exchange& ex) const override;
  std::optional<gateway::Reply> on_request_body(gateway::Exchange& ex, std::string_view body,
                                                bool complete) const override;
  void on_response(gateway::Exchange& ex, http::ResponseHead& head) const override;
  uint64_t response_body_wanted(const gateway::Exchange& ex,
                                const http::ResponseHead& head) const override;
  // A failed login is counted, and a ban it triggers made, in the finishing step: its event is
  // then on the access-log line of the request that triggered it.
  void on_finish(gateway::Exchange& ex) const override;
  bool finish_is_async(const gateway::Exchange& ex) const override;
  boost::asio::awaitable<void> on_finish_async(gateway::Exchange& ex) const override;

  static std::unique_ptr<gateway::Guard> build(const std::vector<ConfigNode>& layers,
                                               const gateway::GuardContext& ctx);

 private:
  bool applies(const LimitRule& rule, const gateway::Exchange& ex) const;
  // Appends the key `rule` counts this request under to `out`.
  void store_key(const LimitRule& rule, const gateway::Exchange& ex, std::string_view client,
                 std::string& out) const;
  // A ban in force on `key` ("ip:..." or "user:..."), as the reply (or nullopt in monitor mode,
  // with an event either way).
  std::optional<gateway::Reply> refuse_banned(gateway::Exchange& ex, std::string_view key) const;
  // The outcome of the limits that applied (their results, and the index in s_.limits of each).
  std::optional<gateway::Reply> judge(gateway::Exchange& ex,
                                      std::span<const state::RateResult> results,
                                      std::span<const size_t> rules) const;
  // The RateLimit field for limit `index` with these figures.
  std::string ratelimit_field(size_t index, int64_t remaining, int64_t seconds) const;
  bool is_login(const gateway::Exchange& ex) const;
  // A login that failed (status, header or body marker) and that this guard did not answer.
  bool failed_login(const gateway::Exchange& ex) const;
  void count_failure_now(gateway::Exchange& ex, const std::string& client,
                         const std::string& username) const;
  boost::asio::awaitable<void> count_failure(gateway::Exchange& ex, std::string client,
                                             std::string username) const;

  RateLimitSettings s_;
  std::shared_ptr<state::Store> store_;
  std::string policy_header_;  // RateLimit-Policy: every limit of this guard
};

}  // namespace rampart::guards
