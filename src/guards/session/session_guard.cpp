#include "guards/session/session_guard.h"

#include <fstream>
#include <sstream>

#include "common/strings.h"
#include "guards/common.h"
#include "guards/session/client_binding.h"
#include "guards/session/session_cookie.h"
#include "guards/session/state_session_store.h"
#include "http/cookie_header.h"

namespace rampart::guards {
namespace {

using gateway::Action;
using std::chrono::milliseconds;

std::string human(milliseconds d) {
  int64_t ms = d.count();
  if (ms < 1000) return std::to_string(ms) + "ms";
  int64_t s = ms / 1000;
  if (s < 120) return std::to_string(s) + "s";
  if (s < 7200) return std::to_string(s / 60) + "m";
  return std::to_string(s / 3600) + "h";
}

milliseconds since(SessionTime t, SessionTime now) {
  return t >= now ? milliseconds(0) : std::chrono::duration_cast<milliseconds>(now - t);
}

// As routes match: "/logout" matches "/logout" and "/logout/x", not "/logoutx".
bool path_listed(const std::vector<std::string>& prefixes, std::string_view path) {
  for (const auto& p : prefixes) {
    if (!path.starts_with(p)) continue;
    if (p.back() == '/' || path.size() == p.size() || path[p.size()] == '/') return true;
  }
  return false;
}

std::string why(SessionState st, const std::optional<SessionRecord>& r, const SessionSighting& seen,
                const SessionPolicy& p) {
  switch (st) {
    case SessionState::kIdleExpired:
      return "session idle for " + human(since(r->last_seen, seen.now)) + " (idle_timeout " +
             human(p.idle_timeout) + ")";
    case SessionState::kLifetimeExpired:
      return "session older than its absolute_lifetime of " + human(p.absolute_lifetime);
    case SessionState::kEnded:
      return "a session ended by " + r->ended_by + " was used again";
    case SessionState::kUnknown:
      return "a session not seen before (adopt_unknown is off)";
    case SessionState::kNetworkChanged:
      return "possible session hijack: used from network " + seen.network +
             ", the session began on " + r->network;
    case SessionState::kAgentChanged:
      return "possible session hijack: used from a " + seen.user_agent +
             " browser, the session began on " + r->user_agent;
    default:
      return "session refused";
  }
}

std::string url_encode_component(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c == '.' || c == '~' || c == '/';
    if (plain) {
      out += char(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::vector<std::string> read_paths(const ConfigNode& n, std::string_view key) {
  std::vector<std::string> out = n.get_string_list(key);
  for (const auto& p : out) {
    if (p.empty() || p.front() != '/') {
      n.child(key).error("expected paths starting with '/', got " + quote_for_message(p));
    }
  }
  return out;
}

}  // namespace

void SessionSettings::read(const ConfigNode& n) {
  n.only_keys({"enabled", "mode", "cookies", "idle_timeout", "absolute_lifetime", "action",
               "login_url", "login_paths", "logout_paths", "bind_network", "bind_user_agent",
               "adopt_unknown", "remember", "key", "key_file"});
  if (n.child("mode").defined()) monitor = read_mode({n}) == Mode::kMonitor;
  if (n.child("cookies").defined()) {
    cookies = n.get_string_list("cookies");
    for (const auto& c : cookies) {
      if (c.empty() || c.find_first_of(";= \t,\"") != std::string::npos) {
        n.child("cookies").error("expected cookie names, got " + quote_for_message(c));
      }
    }
  }
  policy.idle_timeout = n.get_duration("idle_timeout", policy.idle_timeout);
  policy.absolute_lifetime = n.get_duration("absolute_lifetime", policy.absolute_lifetime);
  policy.remember = n.get_duration("remember", policy.remember);
  policy.bind_network = n.get_bool("bind_network", policy.bind_network);
  policy.bind_user_agent = n.get_bool("bind_user_agent", policy.bind_user_agent);
  policy.adopt_unknown = n.get_bool("adopt_unknown", policy.adopt_unknown);
  std::string a = n.get_choice("action",
                               action == SessionAction::kClear      ? "clear"
                               : action == SessionAction::kRedirect ? "redirect"
                                                                    : "deny",
                               {"clear", "redirect", "deny"});
  action = a == "redirect" ? SessionAction::kRedirect
           : a == "deny"   ? SessionAction::kDeny
                           : SessionAction::kClear;
  login_url = n.get_string("login_url", login_url);
  if (n.child("login_paths").defined()) login_paths = read_paths(n, "login_paths");
  if (n.child("logout_paths").defined()) logout_paths = read_paths(n, "logout_paths");
  if (n.child("key").defined()) {
    std::string k = n.get_string("key");
    if (k.size() < 32) {
      n.child("key").error(
          "expected a secret of at least 32 characters (for instance the "
          "output of `openssl rand -hex 32`)");
    } else {
      key = k;
    }
  }
  if (n.child("key_file").defined()) {
    std::string path = n.get_string("key_file");
    std::ifstream in(path, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    std::string k(trim(buf.str()));
    if (!in) {
      n.child("key_file").error("cannot read " + quote_for_message(path));
    } else if (k.size() < 32) {
      n.child("key_file")
          .error(quote_for_message(path) +
                 " holds less than 32 characters; a key needs at least 32");
    } else {
      key = k;
    }
  }
}

SessionGuard::SessionGuard(SessionSettings s, std::shared_ptr<SessionStore> store,
                           SessionClock clock)
    : s_(std::move(s)),
      store_(std::move(store)),
      clock_(std::move(clock)),
      hash_(s_.key.empty() ? SessionHasher::process_key().value_or("") : s_.key) {}

bool SessionGuard::is_session_cookie(std::string_view name) const {
  for (const auto& c : s_.cookies) {
    if (c == name) return true;
  }
  return false;
}

SessionSighting SessionGuard::sighting(const gateway::Exchange& ex) const {
  SessionSighting seen;
  seen.now = clock_();
  seen.address = ex.client.address_text;
  seen.network = client_network(ex.client.address);
  auto ua = ex.request.headers.get("User-Agent");
  seen.user_agent = user_agent_family(ua ? *ua : "");
  return seen;
}

void SessionGuard::end_session(SessionStore& store, const std::string& key,
                               std::optional<SessionRecord> r, const SessionSighting& seen,
                               std::string_view by) const {
  SessionRecord rec = r ? *r : record_sighting(std::nullopt, seen);
  if (rec.ended) return;
  rec.ended = true;
  rec.ended_by = std::string(by);
  rec.last_seen = std::max(rec.last_seen, seen.now);
  store.put(key, rec, seen.now, keep_record(s_.policy));
}

std::vector<SessionGuard::SessionCookie> SessionGuard::session_cookies(
    const gateway::Exchange& ex) const {
  std::vector<SessionCookie> found;
  for (http::FieldView f : ex.request.headers) {
    if (!iequals(f.name, "cookie")) continue;
    for (const auto& p : http::parse_cookie_header(f.value)) {
      if (!is_session_cookie(p.name)) continue;
      found.push_back({std::string(p.name), std::string(p.value), hash_(p.name, p.value)});
    }
  }
  return found;
}

bool SessionGuard::has_session_cookie(const gateway::Exchange& ex) const {
  for (http::FieldView f : ex.request.headers) {
    if (!iequals(f.name, "cookie")) continue;
    for (const auto& p : http::parse_cookie_header(f.value)) {
      if (is_session_cookie(p.name)) return true;
    }
  }
  return false;
}

std::optional<gateway::Reply> SessionGuard::on_request(gateway::Exchange& ex) const {
  return decide(ex, *store_);
}

// GCC 12 at -O2 misreads Asio's coroutine frame allocation as a mismatched new/delete pair (a
// false positive of that compiler on every awaitable it inlines).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
boost::asio::awaitable<std::optional<gateway::Reply>> SessionGuard::on_request_async(
    gateway::Exchange& ex) const {
  BatchSessionStore batch;
  for (const auto& c : session_cookies(ex)) batch.preload(c.key, co_await store_->get_async(c.key));
  auto reply = decide(ex, batch);
  for (auto& w : batch.writes()) {
    co_await store_->put_async(std::move(w.key), std::move(w.record), w.now, w.keep);
  }
  co_return reply;
}
#pragma GCC diagnostic pop

std::optional<gateway::Reply> SessionGuard::decide(gateway::Exchange& ex,
                                                   SessionStore& store) const {
  const std::vector<SessionCookie> found = session_cookies(ex);
  if (found.empty()) return std::nullopt;

  const SessionSighting seen = sighting(ex);
  const std::string_view path = ex.request.path();
  const bool logout = path_listed(s_.logout_paths, path);
  std::vector<const SessionCookie*> refused;
  for (const auto& c : found) {
    const std::string& key = c.key;
    std::optional<SessionRecord> rec = store.get(key);
    const std::string part = "request.cookie." + c.name;
    if (logout) {
      if (!rec || !rec->ended) {
        end_session(store, key, rec, seen, "logout");
        ex.add_event({"session", "session_logout", Action::kAllowed, part,
                      "session ended by the logout route " + quote_for_message(path)});
      }
      continue;  // the application still sees the cookie, to log the user out itself
    }
    SessionState st = judge_session(rec, seen, s_.policy);
    if (!session_refused(st)) {
      if (sighting_needs_write(rec, seen, s_.policy)) {
        store.put(key, record_sighting(rec, seen), seen.now, keep_record(s_.policy));
      }
      continue;
    }
    std::string reason = why(st, rec, seen, s_.policy);
    if (s_.monitor) {
      ex.add_event({"session", std::string(session_rule(st)), Action::kLogged, part,
                    reason + " (monitor mode: passed)"});
      continue;
    }
    if (rec && !rec->ended) end_session(store, key, rec, seen, session_rule(st).substr(8));
    switch (s_.action) {
      case SessionAction::kClear:
        reason += ": cookie " + quote_for_message(c.name) + " removed";
        break;
      case SessionAction::kRedirect:
        reason += ": redirected to the login page";
        break;
      case SessionAction::kDeny:
        reason += ": refused with 401";
        break;
    }
    ex.add_event({"session", std::string(session_rule(st)), Action::kBlocked, part, reason});
    refused.push_back(&c);
    std::string clear =
        clearing_set_cookie(c.name, rec ? rec->path : "/", rec ? rec->domain : "", ex.https());
    if (std::find(ex.clear_cookies.begin(), ex.clear_cookies.end(), clear) ==
        ex.clear_cookies.end()) {
      ex.clear_cookies.push_back(std::move(clear));
    }
  }
  if (refused.empty()) return std::nullopt;
  http::remove_cookies(ex.request.headers, [&](std::string_view name, std::string_view value) {
    for (const auto* r : refused) {
      if (r->name == name && r->value == value) return true;
    }
    return false;
  });
  return act(ex);
}

std::optional<gateway::Reply> SessionGuard::act(gateway::Exchange& ex) const {
  const std::string_view path = ex.request.path();
  if (s_.action == SessionAction::kDeny) {
    gateway::Reply reply;
    reply.status = 401;
    reply.reason = "session_expired";
    reply.content_type = "application/json";
    reply.body =
        "{\"error\": \"session_expired\", \"message\": \"The session has expired; sign "
        "in again.\"}\n";
    return reply;
  }
  if (s_.action == SessionAction::kRedirect && !s_.login_url.empty() &&
      !path_listed(s_.login_paths, path) && path != std::string_view(s_.login_url)) {
    gateway::Reply reply;
    reply.status = 303;
    reply.reason = "session_expired";
    std::string location = s_.login_url;
    location += location.find('?') == std::string::npos ? "?next=" : "&next=";
    location += url_encode_component(ex.request.target);
    reply.headers.add("Location", location);
    reply.body = "<!doctype html>\n<title>Session expired</title><a href=\"" + location +
                 "\">Sign in again</a>\n";
    return reply;
  }
  return std::nullopt;
}

void SessionGuard::on_response(gateway::Exchange& ex, http::ResponseHead& resp) const {
  // Most responses set no session cookie: nothing to do, not even reading the clock.
  bool sets_session = false;
  for (http::FieldView f : resp.headers) {
    if (!iequals(f.name, "set-cookie")) continue;
    std::string_view v = trim(f.value);
    if (is_session_cookie(trim(v.substr(0, v.find('='))))) sets_session = true;
  }
  if (!sets_session && ex.clear_cookies.empty()) return;
  const SessionSighting seen = sighting(ex);
  const int64_t now_unix =
      std::chrono::duration_cast<std::chrono::seconds>(seen.now.time_since_epoch()).count();
  std::vector<std::string> app_set;  // names of session cookies the application sets
  for (size_t i = 0; i < resp.headers.size(); ++i) {
    http::FieldView f = resp.headers.at(i);
    if (!iequals(f.name, "set-cookie")) continue;
    auto c = read_app_set_cookie(f.value, now_unix);
    if (!c || !is_session_cookie(c->name)) continue;
    app_set.push_back(c->name);
    auto olds = http::cookie_values(ex.request.headers, c->name);
    std::optional<std::string> old_key;
    if (!olds.empty()) old_key = hash_(c->name, olds.front());
    std::optional<SessionRecord> old_rec;
    if (old_key) old_rec = store_->get(*old_key);  // the response step cannot wait: local state
    if (c->deletes) {
      if (old_key) end_session(*store_, *old_key, old_rec, seen, "the application");
      continue;
    }
    const std::string new_key = hash_(c->name, c->value);
    const bool login = path_listed(s_.login_paths, ex.request.path());
    std::optional<SessionRecord> existing = store_->get(new_key);
    SessionRecord rec;
    if (existing) {
      if (existing->ended) continue;  // the application re-sent an ended session: still ended
      rec = record_sighting(existing, seen);
    } else if (!login && old_rec && !old_rec->ended) {
      rec = record_sighting(old_rec, seen);  // a rotated value continues the session
    } else {
      rec = record_sighting(std::nullopt, seen);
    }
    rec.path = c->path;
    rec.domain = c->domain;
    store_->put(new_key, rec, seen.now, keep_record(s_.policy));
    if (login && old_key && *old_key != new_key) {
      end_session(*store_, *old_key, old_rec, seen, "login");
      ex.add_event({"session", "session_login", Action::kAllowed, "response.header.Set-Cookie",
                    "new session at login: the previous session " + quote_for_message(c->name) +
                        " is forgotten"});
    }
  }
  for (const auto& clear : ex.clear_cookies) {
    std::string_view name = std::string_view(clear).substr(0, clear.find('='));
    if (std::find(app_set.begin(), app_set.end(), name) != app_set.end()) continue;
    resp.headers.add("Set-Cookie", clear);
  }
}

std::unique_ptr<gateway::Guard> SessionGuard::build(const std::vector<ConfigNode>& layers,
                                                    const gateway::GuardContext& ctx) {
  SessionSettings s;
  for (const auto& l : layers) s.read(l);
  return std::make_unique<SessionGuard>(std::move(s),
                                        std::make_shared<StateSessionStore>(ctx.store),
                                        [] { return std::chrono::system_clock::now(); });
}

}  // namespace rampart::guards
