#pragma once
// Where the session guard keeps what it knows of each session, by keyed hash. The interface is
// the seam for a shared store (Redis through src/state/, so that several gateway instances agree);
// MemorySessionStore is the default, one per process, kept across configuration reloads.
//
// Threading: every method may be called from any worker thread at once.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
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

// In memory: a map under a mutex. Entries past their keep time are swept every few thousand
// writes; at `capacity` a new session is not stored (the guard then lets it pass untracked and
// says so) rather than growing without bound under a flood of made-up cookies.
class MemorySessionStore : public SessionStore {
 public:
  explicit MemorySessionStore(size_t capacity = 1'000'000) : capacity_(capacity) {}
  std::optional<SessionRecord> get(const std::string& key) override;
  void put(const std::string& key, const SessionRecord& r, SessionTime now,
           std::chrono::milliseconds keep) override;
  void erase(const std::string& key) override;
  size_t size();
  void set_capacity(size_t c);
  // Whether the last put of a new key was refused for capacity.
  bool full();

  // The process's store, shared by every route's guard and kept across reloads.
  static std::shared_ptr<MemorySessionStore> shared();

 private:
  struct Entry {
    SessionRecord record;
    SessionTime expires;
  };
  void sweep(SessionTime now);

  std::mutex mu_;
  std::unordered_map<std::string, Entry> map_;
  size_t capacity_;
  uint64_t writes_ = 0;
  bool full_ = false;
};

}  // namespace rampart::guards
