#pragma once
// The `session` guard: idle timeouts, absolute lifetimes, logout and client binding for the
// application's own session cookie, enforced at the edge without changing the application.
//
// Each session is tracked by a keyed hash of its cookie (session_key.h): first seen, last seen,
// client address. A request whose session has expired, was ended (logout route, login, an earlier
// expiry) or, with binding on, comes from another network or User-Agent family (logged as a
// possible hijack) loses the cookie before the application sees it, so the application sees a
// logged-out user, and the response clears the cookie in the browser (Max-Age=0, same Path and
// Domain). The action can instead be a redirect to the login URL or 401 (for API routes).
//
// The application's Set-Cookie for the session is watched: a new value continues the session
// (same first-seen time) unless it comes from a login route, where the old session is ended
// (session fixation defence); a deleting Set-Cookie ends the session.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/config_node.h"
#include "gateway/guard.h"
#include "gateway/guard_registry.h"
#include "guards/session/session_key.h"
#include "guards/session/session_policy.h"
#include "guards/session/session_store.h"

namespace rampart::guards {

enum class SessionAction { kClear, kRedirect, kDeny };

struct SessionSettings {
  bool monitor = false;
  std::vector<std::string> cookies = {"session", "sessionid"};  // Flask/Starlette, Django
  SessionPolicy policy;
  SessionAction action = SessionAction::kClear;
  std::string login_url;  // for the redirect
  std::vector<std::string> login_paths;
  std::vector<std::string> logout_paths;
  std::string key;  // the HMAC key; empty: the process's random key

  void read(const ConfigNode& node);
};

using SessionClock = std::function<SessionTime()>;

class SessionGuard : public gateway::Guard {
 public:
  SessionGuard(SessionSettings s, std::shared_ptr<SessionStore> store, SessionClock clock);
  std::string_view name() const override { return "session"; }
  std::optional<gateway::Reply> on_request(gateway::Exchange& ex) const override;
  bool request_is_async() const override { return !store_->immediate(); }
  // Only a request that carries a session cookie has records to read.
  bool request_is_async_for(const gateway::Exchange& ex) const override {
    return request_is_async() && has_session_cookie(ex);
  }
  boost::asio::awaitable<std::optional<gateway::Reply>> on_request_async(
      gateway::Exchange& ex) const override;
  void on_response(gateway::Exchange& ex, http::ResponseHead& resp) const override;

  static std::unique_ptr<gateway::Guard> build(const std::vector<ConfigNode>& layers,
                                               const gateway::GuardContext& ctx);

 private:
  struct SessionCookie {
    std::string name;
    std::string value;
    std::string key;  // the keyed hash
  };
  std::vector<SessionCookie> session_cookies(const gateway::Exchange& ex) const;
  bool has_session_cookie(const gateway::Exchange& ex) const;
  // The request step, reading and writing `store`.
  std::optional<gateway::Reply> decide(gateway::Exchange& ex, SessionStore& store) const;
  bool is_session_cookie(std::string_view name) const;
  SessionSighting sighting(const gateway::Exchange& ex) const;
  void end_session(SessionStore& store, const std::string& key, std::optional<SessionRecord> r,
                   const SessionSighting& seen, std::string_view by) const;
  std::optional<gateway::Reply> act(gateway::Exchange& ex) const;

  SessionSettings s_;
  std::shared_ptr<SessionStore> store_;
  SessionClock clock_;
  SessionHasher hash_;
};

}  // namespace rampart::guards
