#pragma once
// The state store: what the gateway remembers between requests. Rate limits (GCRA), windowed
// failure counters, bans, and small records with a lifetime (sessions). One Store is shared by
// every worker thread and outlives configuration reloads that keep the same `state` setting.
//
// Two backends: memory (this process; memory_store.h) and Redis (shared by several instances;
// redis_store.h). Every operation has two forms:
//   - the `*_now` form answers at once. A store whose immediate() is true (memory) answers every
//     operation this way, and callers use it on the hot path: no coroutine frame, no allocation.
//     On a store that is not immediate, the `*_now` forms answer from this instance's local
//     state; their record writes (put, update, touch, erase) also go to the shared store in the
//     background when called on a worker thread.
//   - the awaitable form, for a store that needs a round trip (Redis). It runs on the caller's
//     executor (the connection's io_context), never blocks the thread, and answers within the
//     store's own time limit: from local state when the shared store is unreachable (fail open),
//     or with ok == false (fail closed), as configured.
// Bans are also answered by `banned_now` on every backend: the Redis store keeps every
// instance's copy current through pub/sub, so that the check costs no round trip.
//
// Keys are opaque strings chosen by the callers, who give each use its own prefix ("rl:",
// "fail:", "sess:"). Thread-safety: every method may be called from any thread at once.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "state/clock.h"
#include "state/gcra.h"

namespace rampart::state {

template <typename T>
using Awaitable = boost::asio::awaitable<T>;

// One GCRA request of a batch (rate_many).
struct RateQuery {
  std::string key;
  Gcra limit;
  int64_t cost = 1;
};

struct CountResult {
  bool ok = true;  // as RateResult::ok
  int64_t count = 0;
  Micros window_left{0};  // until the window (which began with its first count) closes
};

// How long a ban lasts: base * 2^(level - 1), capped at `max`, where the level counts this key's
// bans within `remember` of each other (1 for a first ban).
struct BanPolicy {
  Micros base{std::chrono::minutes(5)};
  Micros max{std::chrono::hours(24)};
  Micros remember{std::chrono::hours(24)};
};

struct Ban {
  std::string key;  // as banned, e.g. "ip:203.0.113.7" or "user:alice"
  std::string reason;
  Micros since{0};
  Micros until{0};
  int level = 1;
};

struct BanResult {
  bool ok = true;  // false: the shared store did not take it (fail closed); it holds locally
  Ban ban;
};

struct RecordResult {
  bool ok = true;                    // false: the store did not answer (fail closed)
  std::optional<std::string> value;  // nullopt: no such record, or expired
};

// The largest record value a store accepts (sessions keep a few short fields).
inline constexpr size_t kMaxRecordSize = 4096;

class Store {
 public:
  virtual ~Store() = default;
  virtual std::string_view backend() const = 0;  // "memory" or "redis"
  // True when every *_now form is the real answer (see above).
  virtual bool immediate() const = 0;
  virtual const Clock& clock() const = 0;

  // --- GCRA: one request of weight `cost` (0: ask without taking) for `key` under `limit`.
  virtual RateResult rate_now(std::string_view key, const Gcra& limit, int64_t cost = 1) = 0;
  virtual Awaitable<RateResult> rate(std::string key, Gcra limit, int64_t cost = 1);
  // Several at once (the limits of one request), each taken as by rate(), in order: one round
  // trip on a shared store. The results are in the order of the queries.
  virtual Awaitable<std::vector<RateResult>> rate_many(std::vector<RateQuery> queries);

  // --- Failure counters: add `n` to `key`'s count and return it. A window opens with the first
  // count and lasts `window`; the count starts again from zero after it closes.
  virtual CountResult add_failure_now(std::string_view key, Micros window, int64_t n = 1) = 0;
  virtual Awaitable<CountResult> add_failure(std::string key, Micros window, int64_t n = 1);
  virtual void clear_failures_now(std::string_view key) = 0;
  virtual Awaitable<bool> clear_failures(std::string key);

  // --- Bans. `banned_now` is the hot-path check on every backend.
  virtual std::optional<Ban> banned_now(std::string_view key) = 0;
  virtual BanResult ban_now(std::string_view key, const BanPolicy& policy,
                            std::string_view reason) = 0;
  virtual Awaitable<BanResult> ban(std::string key, BanPolicy policy, std::string reason);
  // Lifts a ban (and forgets the key's ban level); false when there was none.
  virtual bool unban_now(std::string_view key) = 0;
  virtual Awaitable<bool> unban(std::string key);
  // The bans in force, soonest to end first.
  virtual std::vector<Ban> bans_now() = 0;

  // --- Records: a small value (at most kMaxRecordSize bytes) with a lifetime.
  virtual RecordResult get_now(std::string_view key) = 0;
  virtual Awaitable<RecordResult> get(std::string key);
  // Creates or replaces, living `ttl` from now. False when the value is too large, or (fail
  // closed) the store did not answer.
  virtual bool put_now(std::string_view key, std::string_view value, Micros ttl) = 0;
  virtual Awaitable<bool> put(std::string key, std::string value, Micros ttl);
  // Replaces the value of a live record and keeps its expiry (an absolute lifetime stays
  // absolute). False when there is no such record.
  virtual bool update_now(std::string_view key, std::string_view value) = 0;
  virtual Awaitable<bool> update(std::string key, std::string value);
  // Gives a live record a new lifetime of `ttl` from now. False when there is no such record.
  virtual bool touch_now(std::string_view key, Micros ttl) = 0;
  virtual Awaitable<bool> touch(std::string key, Micros ttl);
  // Deletes a record; false when there was none.
  virtual bool erase_now(std::string_view key) = 0;
  virtual Awaitable<bool> erase(std::string key);
};

}  // namespace rampart::state
