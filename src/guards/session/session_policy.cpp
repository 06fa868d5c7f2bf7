#include "guards/session/session_policy.h"

#include <algorithm>

namespace rampart::guards {

using std::chrono::milliseconds;

std::string_view session_rule(SessionState s) {
  switch (s) {
    case SessionState::kNew:
      return "session_new";
    case SessionState::kValid:
      return "session_valid";
    case SessionState::kUnknown:
      return "session_unknown";
    case SessionState::kEnded:
      return "session_ended";
    case SessionState::kIdleExpired:
      return "session_idle_timeout";
    case SessionState::kLifetimeExpired:
      return "session_lifetime_exceeded";
    case SessionState::kNetworkChanged:
      return "session_network_changed";
    case SessionState::kAgentChanged:
      return "session_user_agent_changed";
  }
  return "session_valid";
}

namespace {

milliseconds age(SessionTime since, SessionTime now) {
  if (since >= now) return milliseconds(0);  // skew: a time ahead of ours is "just now"
  return std::chrono::duration_cast<milliseconds>(now - since);
}

}  // namespace

SessionState judge_session(const std::optional<SessionRecord>& r, const SessionSighting& seen,
                           const SessionPolicy& p) {
  if (!r) return p.adopt_unknown ? SessionState::kNew : SessionState::kUnknown;
  if (r->ended) return SessionState::kEnded;
  if (p.absolute_lifetime.count() > 0 && age(r->first_seen, seen.now) >= p.absolute_lifetime) {
    return SessionState::kLifetimeExpired;
  }
  if (p.idle_timeout.count() > 0 && age(r->last_seen, seen.now) >= p.idle_timeout) {
    return SessionState::kIdleExpired;
  }
  if (p.bind_network && !r->network.empty() && r->network != seen.network) {
    return SessionState::kNetworkChanged;
  }
  if (p.bind_user_agent && !r->user_agent.empty() && r->user_agent != seen.user_agent) {
    return SessionState::kAgentChanged;
  }
  return SessionState::kValid;
}

SessionRecord record_sighting(const std::optional<SessionRecord>& r, const SessionSighting& seen) {
  SessionRecord out;
  if (r) {
    out = *r;
    out.last_seen = std::max(r->last_seen, seen.now);
  } else {
    out.first_seen = seen.now;
    out.last_seen = seen.now;
    out.network = seen.network;
    out.user_agent = seen.user_agent;
  }
  out.address = seen.address;
  return out;
}

milliseconds keep_record(const SessionPolicy& p) {
  // A record must outlive the limits it enforces: forgotten, a cookie would look new again.
  return std::max({p.remember, p.absolute_lifetime, p.idle_timeout * 2});
}

bool sighting_needs_write(const std::optional<SessionRecord>& r, const SessionSighting& seen,
                          const SessionPolicy& p) {
  if (!r || r->address != seen.address) return true;
  milliseconds touch(1000);
  if (p.idle_timeout.count() > 0) touch = std::min(touch, p.idle_timeout / 100);
  return age(r->last_seen, seen.now) >= touch;
}

}  // namespace rampart::guards
