#pragma once
// Where the session guard keeps what it knows of each session, by keyed hash. The gateway's
// state store (src/state/: memory, or Redis shared by several instances) behind it is
// StateSessionStore; the interface is the seam that tests and the batch below use.
//
// Threading: every method may be called from any worker thread at once.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rampart::guards {

using SessionTime = std::chrono::system_clock::time_point;

struct SessionRecord {
  SessionTime first_seen{};
  SessionTime last_seen{};
  std::string address;     // the client address last seen
  std::string network;     // its /24 (IPv4) or /64 (IPv6), for binding
  std::string user_agent;  // its User-Agent family ("Chrome/Windows"), for binding
  std::string path = "/";  // the Path and Domain the application set the cookie with, for clearing
  std::string domain;
  // Ended sessions stay as tombstones, so that the same cookie value is refused when it comes
  // back (after logout, expiry or a suspected hijack) rather than tracked afresh.
  bool ended = false;
  std::string ended_by;  // "logout", "login", "idle_timeout", ...
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  virtual std::optional<SessionRecord> get(const std::string& key) = 0;
  // Stores the record; the store may forget it `keep` after `now`.
  virtual void put(const std::string& key, const SessionRecord& r, SessionTime now,
                   std::chrono::milliseconds keep) = 0;
  virtual void erase(const std::string& key) = 0;

  // A store that needs a round trip (shared through Redis) is not immediate: the guard then
  // reads and writes through the awaitable forms, on the connection's executor.
  virtual bool immediate() const { return true; }
  virtual boost::asio::awaitable<std::optional<SessionRecord>> get_async(std::string key) {
    co_return get(key);
  }
  virtual boost::asio::awaitable<void> put_async(std::string key, SessionRecord r, SessionTime now,
                                                 std::chrono::milliseconds keep) {
    put(key, r, now, keep);
    co_return;
  }
};

// The records one request needs, read beforehand (from a store that is not immediate), and the
// writes the decision made, to be sent afterwards.
class BatchSessionStore : public SessionStore {
 public:
  struct Write {
    std::string key;
    SessionRecord record;
    SessionTime now;
    std::chrono::milliseconds keep;
  };
  void preload(const std::string& key, std::optional<SessionRecord> r) {
    seen_[key] = std::move(r);
  }
  std::optional<SessionRecord> get(const std::string& key) override;
  void put(const std::string& key, const SessionRecord& r, SessionTime now,
           std::chrono::milliseconds keep) override;
  void erase(const std::string& key) override { seen_[key] = std::nullopt; }
  std::vector<Write>& writes() { return writes_; }

 private:
  std::unordered_map<std::string, std::optional<SessionRecord>> seen_;
  std::vector<Write> writes_;
};

}  // namespace rampart::guards
