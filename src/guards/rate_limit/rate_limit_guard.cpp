#include "guards/rate_limit/rate_limit_guard.h"

#include <array>

#include "common/logging.h"
#include "common/strings.h"
#include "guards/rate_limit/client_key.h"
#include "guards/rate_limit/login_fields.h"

namespace rampart::guards {
namespace {

using gateway::Action;
using gateway::Exchange;
using gateway::Reply;

// The figures of the RateLimit field, "INDEX:REMAINING:SECONDS" (short keys and values stay in
// std::string's inline buffer: no allocation on every request).
constexpr std::string_view kNoteHeader = "rl.ratelimit";
constexpr std::string_view kNoteAnswered = "rate_limit.answered";
constexpr std::string_view kNoteUser = "rate_limit.user";
constexpr std::string_view kNoteFailed = "rate_limit.failed";

int64_t ceil_seconds(state::Micros d) {
  if (d.count() <= 0) return 0;
  return (d.count() + 999'999) / 1'000'000;
}

std::string seconds_text(state::Micros d) { return std::to_string(ceil_seconds(d)) + "s"; }

// A structured-field string ("name"), with the two characters that need it escaped.
std::string sf_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c >= 0x20 && c < 0x7f) out += c;
  }
  out += '"';
  return out;
}

bool method_listed(const std::vector<std::string>& methods, std::string_view m) {
  if (methods.empty()) return true;
  for (const auto& x : methods) {
    if (x == m) return true;
  }
  return false;
}

LimitRule::Key parse_key(const ConfigNode& node, std::string& name) {
  std::string k = node.scalar();
  if (k == "client") return LimitRule::Key::kClient;
  if (k == "route") return LimitRule::Key::kRoute;
  if (k == "subject") return LimitRule::Key::kSubject;
  if (istarts_with(k, "header:") && k.size() > 7) {
    name = k.substr(7);
    return LimitRule::Key::kHeader;
  }
  if (istarts_with(k, "cookie:") && k.size() > 7) {
    name = k.substr(7);
    return LimitRule::Key::kCookie;
  }
  node.error("expected client, route, subject, header:NAME or cookie:NAME, got " +
             quote_for_message(k));
  return LimitRule::Key::kClient;
}

std::vector<std::string> upper_methods(const ConfigNode& n, std::string_view key) {
  std::vector<std::string> out;
  for (auto& m : n.get_string_list(key)) {
    std::string u;
    for (char c : m) u += char(std::toupper(static_cast<unsigned char>(c)));
    out.push_back(u);
  }
  return out;
}

void read_limit(const ConfigNode& node, const std::string& name, LimitRule& rule) {
  rule.name = name;
  rule.store_prefix = "rl:" + node.path() + "|";
  std::string err;
  std::string rate_text;
  if (node.is_scalar()) {
    rate_text = node.scalar();
  } else if (node.expect_map()) {
    node.only_keys({"rate", "burst", "key", "methods"});
    rate_text = node.get_string("rate");
    if (!node.child("rate").defined()) {
      node.error("missing 'rate', such as 'rate: 100/minute'");
      return;
    }
    if (node.child("key").defined()) rule.key = parse_key(node.child("key"), rule.key_name);
    rule.methods = upper_methods(node, "methods");
  } else {
    return;
  }
  auto rate = parse_rate(rate_text, err);
  if (!rate) {
    (node.is_map() ? node.child("rate") : node).error(err);
    return;
  }
  rule.rate = *rate;
  rule.burst = node.is_map() ? node.get_int("burst", rate->count, 1, 1'000'000'000) : rate->count;
  rule.gcra.interval = state::Micros(rate->period.count() / rate->count);
  rule.gcra.burst = rule.burst;
}

void read_login(const ConfigNode& n, LoginRule& login) {
  if (!n.defined()) return;
  if (n.is_scalar()) {
    std::string v = n.scalar();
    if (v == "false" || v == "off") {
      login.enabled = false;
      return;
    }
    if (v != "true" && v != "on") {
      n.error("expected true, false, or a mapping of login settings");
      return;
    }
    login.enabled = true;
    return;
  }
  if (!n.expect_map()) return;
  login.enabled = n.get_bool("enabled", true);
  n.only_keys({"enabled", "methods", "failure_status", "failure_header", "failure_body",
               "username_field", "max_failures", "max_failures_per_username", "window", "ban",
               "max_ban", "remember"});
  if (n.child("methods").defined()) login.methods = upper_methods(n, "methods");
  if (n.child("failure_status").defined()) {
    login.failure_status.clear();
    ConfigNode fs = n.child("failure_status");
    for (const auto& s : n.get_string_list("failure_status")) {
      auto v = parse_u64(trim(s));
      if (!v || *v < 100 || *v > 599) {
        fs.error("expected HTTP statuses such as [401, 403], got " + quote_for_message(s));
        continue;
      }
      login.failure_status.push_back(int(*v));
    }
  }
  if (n.child("failure_header").defined()) {
    // "X-Login-Failed" (present) or "X-Login: failed" (present and containing the value)
    std::string h = n.get_string("failure_header");
    size_t colon = h.find(':');
    login.failure_header = std::string(trim(h.substr(0, colon)));
    login.failure_header_value =
        colon == std::string::npos ? "" : std::string(trim(h.substr(colon + 1)));
    if (login.failure_header.empty()) {
      n.child("failure_header").error("expected a header name such as X-Login-Failed");
    }
  }
  login.failure_body = n.get_string("failure_body", login.failure_body);
  login.username_field = n.get_string("username_field", login.username_field);
  login.max_failures = n.get_int("max_failures", login.max_failures, 1, 1'000'000);
  login.max_failures_per_username =
      n.get_int("max_failures_per_username", login.max_failures_per_username, 1, 1'000'000);
  login.window =
      n.get_duration("window", std::chrono::duration_cast<std::chrono::milliseconds>(login.window));
  login.ban.base =
      n.get_duration("ban", std::chrono::duration_cast<std::chrono::milliseconds>(login.ban.base));
  login.ban.max = n.get_duration(
      "max_ban", std::chrono::duration_cast<std::chrono::milliseconds>(login.ban.max));
  login.ban.remember = n.get_duration(
      "remember", std::chrono::duration_cast<std::chrono::milliseconds>(login.ban.remember));
  if (login.window.count() <= 0) n.child("window").error("must be longer than 0s");
  if (login.ban.base.count() <= 0) n.child("ban").error("must be longer than 0s");
  if (login.ban.max < login.ban.base) n.child("max_ban").error("must be at least 'ban'");
}

std::string ban_text(const state::Ban& b) {
  return b.key + " for " + seconds_text(b.until - b.since) + " (level " + std::to_string(b.level) +
         "): " + b.reason;
}

std::string_view key_kind(std::string_view key) { return key.substr(0, key.find(':')); }

// The outcome of a failure count for `what` ("ip:..." or "user:..."): nothing below `max`;
// otherwise the ban to make (or, in monitor mode, the event saying it would have been made).
// Returns the reason when a ban is due.
std::optional<std::string> ban_due(Exchange& ex, const LoginRule& L, bool monitor,
                                   const std::string& what, int64_t count, int64_t max) {
  if (count < max) return std::nullopt;
  std::string reason = std::to_string(count) + " failed logins within " + seconds_text(L.window);
  if (monitor) {
    log_warn("rate_limit (monitor): would ban " + what + ": " + reason);
    ex.add_event({"rate_limit", "ban", Action::kLogged, std::string(key_kind(what)),
                  "would ban " + what + " (monitor mode): " + reason});
    return std::nullopt;
  }
  return reason;
}

// A ban made: logged, and recorded on the exchange whose failure triggered it (so that its
// access-log line shows it).
void record_ban(Exchange& ex, const state::Ban& b) {
  log_warn("ban: " + ban_text(b));
  ex.add_event({"rate_limit", "ban", Action::kLogged, std::string(key_kind(b.key)),
                "banned " + ban_text(b)});
}

}  // namespace

// Counts a failed login of the exchange's client (and username) and bans what reached its
// maximum: at once on an immediate store, with round trips (finish_is_async) on a shared one.
void RateLimitGuard::count_failure_now(Exchange& ex, const std::string& client,
                                       const std::string& username) const {
  const LoginRule& L = s_.login;
  auto consider = [&](const std::string& what, int64_t max) {
    state::CountResult c = store_->add_failure_now("fail:" + what, L.window);
    auto reason = ban_due(ex, L, s_.mode == Mode::kMonitor, what, c.count, max);
    if (!reason) return;
    state::BanResult b = store_->ban_now(what, L.ban, *reason);
    store_->clear_failures_now("fail:" + what);
    record_ban(ex, b.ban);
  };
  consider("ip:" + client, L.max_failures);
  if (!username.empty()) consider("user:" + username, L.max_failures_per_username);
}

boost::asio::awaitable<void> RateLimitGuard::count_failure(Exchange& ex, std::string client,
                                                           std::string username) const {
  const LoginRule& L = s_.login;
  std::vector<std::pair<std::string, int64_t>> keys;
  keys.emplace_back("ip:" + client, L.max_failures);
  if (!username.empty()) keys.emplace_back("user:" + username, L.max_failures_per_username);
  for (auto& [what, max] : keys) {
    state::CountResult c = co_await store_->add_failure("fail:" + what, L.window);
    auto reason = ban_due(ex, L, s_.mode == Mode::kMonitor, what, c.count, max);
    if (!reason) continue;
    state::BanResult b = co_await store_->ban(what, L.ban, *reason);
    co_await store_->clear_failures("fail:" + what);
    record_ban(ex, b.ban);
  }
}

void RateLimitSettings::read(const ConfigNode& n) {
  n.only_keys({"enabled", "mode", "ipv4_prefix", "ipv6_prefix", "headers", "ban_status", "limits",
               "login"});
  if (n.child("mode").defined()) mode = read_mode({n});
  ipv4_prefix = int(n.get_int("ipv4_prefix", ipv4_prefix, 1, 32));
  ipv6_prefix = int(n.get_int("ipv6_prefix", ipv6_prefix, 1, 128));
  headers = n.get_bool("headers", headers);
  if (n.child("ban_status").defined()) {
    std::string v = n.get_string("ban_status");
    if (v == "429" || v == "403") {
      ban_status = v == "429" ? 429 : 403;
    } else {
      n.child("ban_status").error("expected 429 or 403, got " + quote_for_message(v));
    }
  }
  ConfigNode lim = n.child("limits");
  if (lim.expect_map()) {
    for (const auto& name : lim.keys()) {
      ConfigNode one = lim.child(name);
      auto it = std::find_if(limits.begin(), limits.end(),
                             [&](const LimitRule& r) { return r.name == name; });
      if (one.is_scalar() && (one.scalar() == "off" || one.scalar() == "false")) {
        if (it != limits.end()) limits.erase(it);
        continue;
      }
      LimitRule rule;
      read_limit(one, name, rule);
      if (rule.burst == 0) continue;  // an error was recorded
      if (it != limits.end()) {
        *it = std::move(rule);
      } else {
        limits.push_back(std::move(rule));
      }
    }
  }
  read_login(n.child("login"), login);
}

RateLimitGuard::RateLimitGuard(RateLimitSettings s, std::shared_ptr<state::Store> store)
    : s_(std::move(s)), store_(std::move(store)) {
  for (auto& r : s_.limits) {
    r.field_name = sf_string(r.name);
    if (!policy_header_.empty()) policy_header_ += ", ";
    policy_header_ += sf_string(r.name) + ";q=" + std::to_string(r.rate.count) +
                      ";w=" + std::to_string(ceil_seconds(r.rate.period));
  }
}

std::unique_ptr<gateway::Guard> RateLimitGuard::build(const std::vector<ConfigNode>& layers,
                                                      const gateway::GuardContext& ctx) {
  RateLimitSettings s;
  for (const auto& l : layers) s.read(l);
  return std::make_unique<RateLimitGuard>(std::move(s), ctx.store_owner);
}

bool RateLimitGuard::applies(const LimitRule& rule, const Exchange& ex) const {
  return method_listed(rule.methods, ex.request.method);
}

void RateLimitGuard::store_key(const LimitRule& rule, const Exchange& ex, std::string_view client,
                               std::string& key) const {
  key += rule.store_prefix;
  switch (rule.key) {
    case LimitRule::Key::kRoute:
      key += "route";
      return;
    case LimitRule::Key::kSubject:
      if (ex.bearer_verified && !ex.auth_subject.empty()) {
        key += "sub:";
        key += ex.auth_subject;
        return;
      }
      break;
    case LimitRule::Key::kHeader:
      if (auto v = ex.request.headers.get(rule.key_name); v && !trim(*v).empty()) {
        key += "hdr:";
        key += trim(*v);
        return;
      }
      break;
    case LimitRule::Key::kCookie:
      if (auto v = cookie_value(ex.request.headers, rule.key_name); v && !v->empty()) {
        key += "ck:";
        key += *v;
        return;
      }
      break;
    case LimitRule::Key::kClient:
      break;
  }
  key += "ip:";
  key += client;
}

std::string RateLimitGuard::ratelimit_field(size_t index, int64_t remaining,
                                            int64_t seconds) const {
  std::string out = s_.limits[index].field_name;
  out += ";r=";
  out += std::to_string(remaining);
  out += ";t=";
  out += std::to_string(seconds);
  return out;
}

std::optional<Reply> RateLimitGuard::refuse_banned(Exchange& ex, std::string_view key) const {
  auto ban = store_->banned_now(key);
  if (!ban) return std::nullopt;
  const bool monitor = s_.mode == Mode::kMonitor;
  const auto left = ban->until - store_->clock().now();
  ex.add_event(
      {"rate_limit", "banned", monitor ? Action::kLogged : Action::kBlocked,
       std::string(key.substr(0, key.find(':'))),
       std::string(key) + " is banned for " + seconds_text(left) + " more: " + ban->reason});
  if (monitor) return std::nullopt;
  Reply r;
  r.status = s_.ban_status;
  r.reason = "banned";
  if (r.status == 429) r.headers.set("Retry-After", std::to_string(ceil_seconds(left)));
  ex.set_note(std::string(kNoteAnswered), "1");
  return r;
}

std::optional<Reply> RateLimitGuard::judge(Exchange& ex, std::span<const state::RateResult> results,
                                           std::span<const size_t> rules) const {
  const bool monitor = s_.mode == Mode::kMonitor;
  // The RateLimit field names the limit nearest to running out (the denied one, if any).
  size_t tightest = 0;
  const LimitRule* denied = nullptr;
  state::Micros retry{0};
  bool unavailable = false;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    if (!r.ok) unavailable = true;
    if (!r.allowed) {
      if (!denied || r.retry_after > retry) {
        denied = &s_.limits[rules[i]];
        retry = r.retry_after;
        tightest = i;
      }
    } else if (!denied && r.remaining < results[tightest].remaining) {
      tightest = i;
    }
  }
  if (unavailable && !denied) {
    ex.add_event({"rate_limit", "state_unavailable", monitor ? Action::kLogged : Action::kBlocked,
                  "state",
                  "the shared state store did not answer and the configuration says "
                  "fail closed"});
    if (!monitor) {
      Reply r;
      r.status = 503;
      r.reason = "state_unavailable";
      r.headers.set("Retry-After", "1");
      ex.set_note(std::string(kNoteAnswered), "1");
      return r;
    }
  }
  if (results.empty()) return std::nullopt;
  const auto& t = results[tightest];
  const int64_t seconds = ceil_seconds(t.allowed ? t.reset_after : t.retry_after);
  if (!denied || monitor) {
    if (monitor && denied) {
      ex.add_event({"rate_limit", denied->name, Action::kLogged, "limit",
                    "over " + denied->rate.text + " (burst " + std::to_string(denied->burst) +
                        ") for " + std::string(ex.client.address_text)});
    }
    if (s_.headers) {
      std::string figures = std::to_string(rules[tightest]);
      figures += ':';
      figures += std::to_string(t.remaining);
      figures += ':';
      figures += std::to_string(seconds);
      ex.set_note(std::string(kNoteHeader), std::move(figures));
    }
    return std::nullopt;
  }
  ex.add_event({"rate_limit", denied->name, Action::kBlocked, "limit",
                "over " + denied->rate.text + " (burst " + std::to_string(denied->burst) +
                    ") for " + std::string(ex.client.address_text)});
  Reply r;
  r.status = 429;
  r.reason = "rate_limited";
  r.headers.set("Retry-After", std::to_string(std::max<int64_t>(1, ceil_seconds(retry))));
  if (s_.headers) {
    r.headers.set("RateLimit-Policy", policy_header_);
    r.headers.set("RateLimit", ratelimit_field(rules[tightest], t.remaining, seconds));
  }
  ex.set_note(std::string(kNoteAnswered), "1");
  return r;
}

std::optional<Reply> RateLimitGuard::on_request(Exchange& ex) const {
  // An IPv4 client and its ban key fit std::string's inline buffer; the longer store key is
  // built in a buffer kept by the thread. Up to kInline limits need no allocation at all.
  const std::string client = client_key(ex.client.address, s_.ipv4_prefix, s_.ipv6_prefix);
  if (auto reply = refuse_banned(ex, "ip:" + client)) return reply;
  if (s_.limits.empty()) return std::nullopt;
  constexpr size_t kInline = 8;
  std::array<state::RateResult, kInline> inline_results;
  std::array<size_t, kInline> inline_rules;
  std::vector<state::RateResult> more_results;
  std::vector<size_t> more_rules;
  const bool small = s_.limits.size() <= kInline;
  size_t n = 0;
  thread_local std::string key;
  for (size_t i = 0; i < s_.limits.size(); ++i) {
    const auto& rule = s_.limits[i];
    if (!applies(rule, ex)) continue;
    key.clear();
    store_key(rule, ex, client, key);
    state::RateResult r = store_->rate_now(key, rule.gcra);
    if (small) {
      inline_results[n] = r;
      inline_rules[n] = i;
    } else {
      more_results.push_back(r);
      more_rules.push_back(i);
    }
    ++n;
  }
  if (small) {
    return judge(ex, std::span(inline_results.data(), n), std::span(inline_rules.data(), n));
  }
  return judge(ex, more_results, more_rules);
}

boost::asio::awaitable<std::optional<Reply>> RateLimitGuard::on_request_async(Exchange& ex) const {
  const std::string client = client_key(ex.client.address, s_.ipv4_prefix, s_.ipv6_prefix);
  if (auto reply = refuse_banned(ex, "ip:" + client)) co_return reply;
  // Every limit that applies in one call: one round trip to a shared store, not one a limit.
  std::vector<state::RateQuery> queries;
  std::vector<size_t> rules;
  for (size_t i = 0; i < s_.limits.size(); ++i) {
    const auto& rule = s_.limits[i];
    if (!applies(rule, ex)) continue;
    state::RateQuery& q = queries.emplace_back();
    store_key(rule, ex, client, q.key);
    q.limit = rule.gcra;
    rules.push_back(i);
  }
  std::vector<state::RateResult> results;
  if (!queries.empty()) results = co_await store_->rate_many(std::move(queries));
  co_return judge(ex, results, rules);
}

bool RateLimitGuard::is_login(const Exchange& ex) const {
  return s_.login.enabled && method_listed(s_.login.methods, ex.request.method);
}

uint64_t RateLimitGuard::request_body_wanted(const Exchange& ex) const {
  if (!is_login(ex) || s_.login.username_field.empty()) return 0;
  return 64 * 1024;  // a login form or JSON document is far smaller
}

std::optional<Reply> RateLimitGuard::on_request_body(Exchange& ex, std::string_view body,
                                                     bool /*complete*/) const {
  auto user = login_username(ex.request.headers, body, s_.login.username_field);
  if (!user || user->empty()) return std::nullopt;
  std::string key = "user:" + *user;
  ex.set_note(std::string(kNoteUser), *user);
  return refuse_banned(ex, key);
}

void RateLimitGuard::on_response(Exchange& ex, http::ResponseHead& head) const {
  if (const std::string* rl = ex.note(kNoteHeader)) {
    // "INDEX:REMAINING:SECONDS", as judge() wrote it.
    size_t a = rl->find(':'), b = rl->rfind(':');
    auto index = parse_u64(std::string_view(*rl).substr(0, a));
    auto remaining = parse_u64(std::string_view(*rl).substr(a + 1, b - a - 1));
    auto seconds = parse_u64(std::string_view(*rl).substr(b + 1));
    if (index && remaining && seconds && *index < s_.limits.size()) {
      head.headers.set("RateLimit-Policy", policy_header_);
      head.headers.set("RateLimit",
                       ratelimit_field(size_t(*index), int64_t(*remaining), int64_t(*seconds)));
    }
  }
  if (!is_login(ex) || ex.note(kNoteAnswered) != nullptr) return;
  bool failed = false;
  for (int st : s_.login.failure_status) failed = failed || head.status == st;
  if (!failed && !s_.login.failure_header.empty()) {
    if (auto v = head.headers.get(s_.login.failure_header)) {
      failed = s_.login.failure_header_value.empty() ||
               v->find(s_.login.failure_header_value) != std::string_view::npos;
    }
  }
  if (failed) ex.set_note(std::string(kNoteFailed), "1");
}

uint64_t RateLimitGuard::response_body_wanted(const Exchange& ex, const http::ResponseHead&) const {
  if (!is_login(ex) || s_.login.failure_body.empty() || ex.note(kNoteAnswered) != nullptr ||
      ex.note(kNoteFailed) != nullptr) {
    return 0;
  }
  return s_.login.failure_body_limit;
}

bool RateLimitGuard::failed_login(const Exchange& ex) const {
  if (!is_login(ex) || ex.note(kNoteAnswered) != nullptr) return false;
  if (ex.note(kNoteFailed) != nullptr) return true;
  return !s_.login.failure_body.empty() &&
         ex.response_body_sample.find(s_.login.failure_body) != std::string::npos;
}

bool RateLimitGuard::finish_is_async(const Exchange& ex) const {
  return !store_->immediate() && failed_login(ex);
}

void RateLimitGuard::on_finish(Exchange& ex) const {
  if (!store_->immediate() || !failed_login(ex)) return;
  const std::string* user = ex.note(kNoteUser);
  count_failure_now(ex, client_key(ex.client.address, s_.ipv4_prefix, s_.ipv6_prefix),
                    user ? *user : std::string());
}

boost::asio::awaitable<void> RateLimitGuard::on_finish_async(Exchange& ex) const {
  // Locals, not temporaries of the co_await expression: GCC 12 destroys the temporary of a
  // conditional expression there twice.
  std::string client = client_key(ex.client.address, s_.ipv4_prefix, s_.ipv6_prefix);
  std::string username;
  if (const std::string* user = ex.note(kNoteUser)) username = *user;
  co_await count_failure(ex, std::move(client), std::move(username));
}

}  // namespace rampart::guards
