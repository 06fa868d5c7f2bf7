#pragma once
// The state store in this process's memory: the default, and the local fallback of the Redis
// store. Sharded (a lock per shard, chosen by a keyed hash of the key) so that worker threads
// rarely meet; every entry expires on its own; the size is bounded.
//
// Size and what happens when full: rate-limit state, failure counters and records together hold
// at most `max_entries` entries, split evenly over the shards. A new key in a full shard first
// drops the shard's expired entries (at most once a second per shard), then, if the shard is
// still full, evicts one live entry: of a random sample of five, the one nearest to its expiry
// (rate state before counters, counters before records). For rate state that is the key whose
// bucket is closest to full anyway, so an eviction costs the least accuracy (nginx's limit_req
// evicts its least recently used state in the same spirit). Bans are held apart, at most
// `max_bans`; a new ban when full replaces the one that ends first.
//
// Memory: rate state and counters are keyed by the 64-bit keyed hash of their key (about 40
// bytes per key), so two keys collide with a probability of about n^2 / 2^65 (3e-8 for a million
// keys); records and bans keep their key text, since they are few and must be exact.

#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "state/key_hash.h"
#include "state/store.h"

namespace rampart::state {

struct MemoryOptions {
  size_t max_entries = 1'000'000;
  size_t max_bans = 100'000;
  size_t shards = 64;  // rounded up to a power of two

  bool operator==(const MemoryOptions&) const = default;
};

class MemoryStore final : public Store {
 public:
  explicit MemoryStore(MemoryOptions options = {}, const Clock& clock = system_clock());
  ~MemoryStore() override;

  std::string_view backend() const override { return "memory"; }
  bool immediate() const override { return true; }
  const Clock& clock() const override { return clock_; }

  RateResult rate_now(std::string_view key, const Gcra& limit, int64_t cost = 1) override;
  CountResult add_failure_now(std::string_view key, Micros window, int64_t n = 1) override;
  void clear_failures_now(std::string_view key) override;

  std::optional<Ban> banned_now(std::string_view key) override;
  BanResult ban_now(std::string_view key, const BanPolicy& policy,
                    std::string_view reason) override;
  bool unban_now(std::string_view key) override;
  std::vector<Ban> bans_now() override;

  RecordResult get_now(std::string_view key) override;
  bool put_now(std::string_view key, std::string_view value, Micros ttl) override;
  bool update_now(std::string_view key, std::string_view value) override;
  bool touch_now(std::string_view key, Micros ttl) override;
  bool erase_now(std::string_view key) override;

  // For the Redis store: a ban decided elsewhere (kept with its level and times as given), and
  // one lifted elsewhere.
  void install_ban(const Ban& ban);
  bool remove_ban(std::string_view key);

  // Entries held (rate state, counters, records), for the metrics and the size tests.
  size_t size() const;
  size_t evictions() const { return evictions_.load(std::memory_order_relaxed); }
  size_t capacity_per_shard() const { return per_shard_; }

 private:
  struct Shard;
  struct Counter {
    int64_t count;
    int64_t window_end;
  };
  struct Record {
    std::string value;
    int64_t expires;
  };
  struct BanLevel {
    int level;
    int64_t forget_at;
  };

  Shard& shard_for(uint64_t h) const;
  // Makes room for one new entry in a locked shard.
  void make_room(Shard& s, int64_t now);
  void sweep(Shard& s, int64_t now);
  void drop_expired_bans(int64_t now);  // under bans_mu_ exclusively

  const Clock& clock_;
  KeyHasher hash_;
  size_t per_shard_;
  size_t max_bans_;
  unsigned shard_shift_;
  std::unique_ptr<Shard[]> shards_;
  std::atomic<size_t> evictions_{0};

  mutable std::shared_mutex bans_mu_;
  std::unordered_map<std::string, Ban> bans_;
  std::unordered_map<std::string, BanLevel> levels_;
  std::atomic<size_t> ban_count_{0};  // bans_.size(): the hot path skips the lock when zero
};

}  // namespace rampart::state
