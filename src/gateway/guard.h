#pragma once
// The guard: one security policy applied to every exchange that passes the gateway. A guard is
// built once from its validated settings, then shared read-only by every connection on every
// thread: its methods are const and must not block. Each exchange asks it two questions:
//   - on_request: pass the request on (nullopt), or answer it now with a Reply;
//   - on_response: change the response head (headers, cookies) before it goes to the client.
// on_finish may still add events once the response is out; on_complete sees the finished exchange
// (for logging). Decisions that matter are recorded as
// SecurityEvents on the exchange; they reach the access log, the metrics and the event store.
// A guard in monitor mode records what it would have done and lets the exchange through.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/forwarded.h"
#include "http/message.h"

namespace rampart::gateway {

enum class Action { kAllowed, kLogged, kBlocked };
std::string_view action_name(Action a);

struct SecurityEvent {
  std::string guard;  // "cookies"
  std::string rule;   // "malformed_set_cookie": short, machine-readable
  Action action = Action::kLogged;
  std::string part;    // the part of the exchange, e.g. "response.header.Set-Cookie"
  std::string reason;  // a short sentence for a human
};

// An answer the gateway gives in place of the application.
struct Reply {
  int status = 403;
  std::string reason;  // machine-readable reason for the log ("csrf_origin_mismatch")
  std::string body;    // empty: a short standard page is used
  std::string content_type = "text/html; charset=utf-8";
  http::Headers headers;
};

struct ConnectionInfo {
  bool tls = false;
  std::string_view tls_version;  // "1.2" or "1.3" when tls
  std::string_view sni;
};

// One request and its response as they pass the gateway.
struct Exchange {
  http::RequestHead& request;
  const http::ClientView& client;
  const ConnectionInfo& connection;
  std::string_view route;  // the route's prefix ("/" for the default route)

  std::chrono::system_clock::time_point started_wall;
  std::chrono::steady_clock::time_point started;
  std::vector<SecurityEvent> events;

  // Set by the jwt guard when the request's bearer token was verified (read by csrf, which exempts
  // such requests, and by rate_limit, which can key on the subject).
  bool bearer_verified = false;
  std::string auth_subject{};

  // Set-Cookie values that clear, in the browser, the session cookies the session guard removed
  // from the request (expired or ended sessions); its response step adds them.
  std::vector<std::string> clear_cookies{};
  // What a guard keeps between its own steps of this exchange, under keys that start with its
  // name ("rate_limit.user"): e.g. a login's username, seen in the body step, read in on_complete.
  std::vector<std::pair<std::string, std::string>> notes{};
  // The first bytes of the decoded response body, as many as the route's guards asked for in
  // response_body_wanted (read by on_complete).
  std::string response_body_sample{};

  // Filled in as the exchange proceeds (read by on_complete).
  int status = 0;
  uint64_t request_body_bytes = 0;
  uint64_t response_body_bytes = 0;

  bool https() const { return client.scheme == "https"; }
  void add_event(SecurityEvent e) { events.push_back(std::move(e)); }
  void set_note(std::string key, std::string value) {
    notes.emplace_back(std::move(key), std::move(value));
  }
  const std::string* note(std::string_view key) const {
    for (const auto& [k, v] : notes) {
      if (k == key) return &v;
    }
    return nullptr;
  }
};

class Guard {
 public:
  virtual ~Guard() = default;
  virtual std::string_view name() const = 0;
  virtual std::optional<Reply> on_request(Exchange&) const { return std::nullopt; }
  // A guard whose decision needs a round trip (a state store shared through Redis) returns true,
  // and the gateway then awaits on_request_async in place of calling on_request. The coroutine
  // runs on the connection's io_context (co_await boost::asio::this_coro::executor); it must not
  // block the thread, and it must answer within its own time limit (fail open or closed).
  virtual bool request_is_async() const { return false; }
  // As request_is_async, asked of each exchange (the gateway asks this one): a guard that needs
  // the round trip only for some exchanges (the session guard, for those that carry a session
  // cookie) answers false for the others, which then make no coroutine frame for it.
  virtual bool request_is_async_for(const Exchange&) const { return request_is_async(); }
  virtual boost::asio::awaitable<std::optional<Reply>> on_request_async(Exchange& ex) const {
    co_return on_request(ex);
  }
  // How many bytes of the request body this guard must see before the request goes on (0: it
  // needs none). The gateway then holds back up to that much of the decoded body, no more, and
  // calls on_request_body with it; `complete` is false when the body was longer.
  virtual uint64_t request_body_wanted(const Exchange&) const { return 0; }
  virtual std::optional<Reply> on_request_body(Exchange&, std::string_view /*body*/,
                                               bool /*complete*/) const {
    return std::nullopt;
  }
  // As request_is_async, for the body step.
  virtual bool request_body_is_async() const { return false; }
  virtual boost::asio::awaitable<std::optional<Reply>> on_request_body_async(Exchange& ex,
                                                                             std::string_view body,
                                                                             bool complete) const {
    co_return on_request_body(ex, body, complete);
  }
  virtual void on_response(Exchange&, http::ResponseHead&) const {}
  // How many bytes of the decoded response body this guard wants to see in on_complete (asked
  // after on_response; 0: none). The body streams on unchanged; a copy of its first bytes is
  // kept in Exchange::response_body_sample.
  virtual uint64_t response_body_wanted(const Exchange&, const http::ResponseHead&) const {
    return 0;
  }
  // The last step that may still record events on the exchange, once the response has gone
  // out and before on_complete (the access log) reads it: e.g. the ban that this exchange's
  // failed login has just triggered. finish_is_async: as request_is_async, but asked of each
  // exchange (a round trip only for the exchanges that need one); the gateway then awaits
  // on_finish_async in place of calling on_finish.
  virtual void on_finish(Exchange&) const {}
  virtual bool finish_is_async(const Exchange&) const { return false; }
  virtual boost::asio::awaitable<void> on_finish_async(Exchange& ex) const {
    on_finish(ex);
    co_return;
  }
  virtual void on_complete(const Exchange&) const {}
};

inline std::string_view action_name(Action a) {
  switch (a) {
    case Action::kAllowed:
      return "allowed";
    case Action::kLogged:
      return "logged";
    case Action::kBlocked:
      return "blocked";
  }
  return "logged";
}

}  // namespace rampart::gateway
