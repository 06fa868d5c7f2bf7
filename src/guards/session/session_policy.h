#pragma once
// The session guard's decision, as a pure function of what is known of a session and the time
// now (the guard's clock is injected, so expiry is tested without sleeping).
//
// Clock skew: several gateway instances sharing a store may disagree on the time. A last-seen or
// first-seen time in the future counts as "just now" (never as a negative age that would make a
// session immortal), and a record's last-seen time never moves backwards.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "guards/session/session_store.h"

namespace rampart::guards {

struct SessionPolicy {
  std::chrono::milliseconds idle_timeout{30 * 60 * 1000};            // 0: no idle timeout
  std::chrono::milliseconds absolute_lifetime{12 * 60 * 60 * 1000};  // 0: no lifetime
  bool bind_network = false;
  bool bind_user_agent = true;
  bool adopt_unknown = true;  // an unknown cookie starts a tracked session (else: refused)
  // How long a session is remembered after it was last seen or ended (at least the lifetime).
  std::chrono::milliseconds remember{7LL * 24 * 60 * 60 * 1000};
};

enum class SessionState {
  kNew,              // not seen before: tracked from now
  kValid,            // tracked and within its limits
  kUnknown,          // not seen before, and adopt_unknown is off
  kEnded,            // a tombstone: ended by logout, login or an earlier expiry
  kIdleExpired,      // idle longer than idle_timeout
  kLifetimeExpired,  // older than absolute_lifetime
  kNetworkChanged,   // used from another network than before (binding)
  kAgentChanged,     // used from another User-Agent family than before (binding)
};

// The rule name of a state in events ("session_idle_timeout").
std::string_view session_rule(SessionState s);
// Whether requests with a session in this state lose the cookie.
inline bool session_refused(SessionState s) {
  return s != SessionState::kNew && s != SessionState::kValid;
}
// Whether the state suggests a stolen cookie.
inline bool possible_hijack(SessionState s) {
  return s == SessionState::kNetworkChanged || s == SessionState::kAgentChanged;
}

struct SessionSighting {
  SessionTime now;
  std::string address;
  std::string network;
  std::string user_agent;
};

SessionState judge_session(const std::optional<SessionRecord>& r, const SessionSighting& seen,
                           const SessionPolicy& p);

// The record after a sighting of a new or valid session.
SessionRecord record_sighting(const std::optional<SessionRecord>& r, const SessionSighting& seen);

// How long the store keeps a record (live or ended) after its last change.
std::chrono::milliseconds keep_record(const SessionPolicy& p);

// Whether a valid sighting must be written back: no record yet, a new client address, or a last
// sighting older than the touch interval (a hundredth of the idle timeout, at most a second).
// Within it the stored time stands, so the idle timeout is measured to within 1%: a write per
// request would double the store's work and, with Redis, its round trips.
bool sighting_needs_write(const std::optional<SessionRecord>& r, const SessionSighting& seen,
                          const SessionPolicy& p);

}  // namespace rampart::guards
