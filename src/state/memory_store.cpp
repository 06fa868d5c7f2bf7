#include "state/memory_store.h"

#include <algorithm>
#include <bit>

namespace rampart::state {

namespace {
constexpr int64_t kSweepEvery = 1'000'000;  // us: a full shard sweeps at most once a second
constexpr int kSample = 5;

int64_t saturating_add(int64_t a, int64_t b) {
  if (b > 0 && a > INT64_MAX - b) return INT64_MAX;
  return a + b;
}
}  // namespace

// alignas: each shard's lock on its own cache line, so that threads working on different
// shards do not slow each other down.
struct alignas(64) MemoryStore::Shard {
  std::mutex mu;
  std::unordered_map<uint64_t, int64_t> tat;  // rate state: hashed key -> TAT (us)
  std::unordered_map<uint64_t, Counter> counters;
  std::unordered_map<std::string, Record> records;
  int64_t next_sweep = 0;
  uint64_t rng = 0x9e3779b97f4a7c15ULL;

  size_t size() const { return tat.size() + counters.size() + records.size(); }
  uint64_t random() {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
  }
};

MemoryStore::MemoryStore(MemoryOptions options, const Clock& clock) : clock_(clock) {
  size_t shards = std::bit_ceil(std::clamp<size_t>(options.shards, 1, 4096));
  shard_shift_ = 64 - unsigned(std::countr_zero(shards));
  per_shard_ = std::max<size_t>(1, options.max_entries / shards);
  max_bans_ = std::max<size_t>(1, options.max_bans);
  shards_ = std::make_unique<Shard[]>(shards);
  for (size_t i = 0; i < shards; ++i) shards_[i].rng += i * 0x632be59bd9b4e019ULL;
}

MemoryStore::~MemoryStore() = default;

MemoryStore::Shard& MemoryStore::shard_for(uint64_t h) const {
  // The high bits pick the shard; the maps use the hash modulo their bucket count.
  return shards_[shard_shift_ == 64 ? 0 : h >> shard_shift_];
}

void MemoryStore::sweep(Shard& s, int64_t now) {
  std::erase_if(s.tat, [now](const auto& kv) { return kv.second <= now; });
  std::erase_if(s.counters, [now](const auto& kv) { return kv.second.window_end <= now; });
  std::erase_if(s.records, [now](const auto& kv) { return kv.second.expires <= now; });
  s.next_sweep = now + kSweepEvery;
}

void MemoryStore::make_room(Shard& s, int64_t now) {
  if (s.size() < per_shard_) return;
  if (now >= s.next_sweep) sweep(s, now);
  while (s.size() >= per_shard_) {
    // Evict from a random sample the entry nearest its expiry, from the first table that has
    // entries (rate state, then counters, then records).
    auto evict = [&](auto& map, auto expiry_of) {
      size_t buckets = map.bucket_count();
      size_t b = size_t(s.random() % buckets);
      auto victim = map.end();
      int64_t best = INT64_MAX;
      int seen = 0;
      for (size_t scanned = 0; scanned < buckets && seen < kSample; ++scanned) {
        for (auto it = map.begin(b); it != map.end(b) && seen < kSample; ++it, ++seen) {
          int64_t e = expiry_of(it->second);
          if (e < best) {
            best = e;
            victim = map.find(it->first);
          }
        }
        b = (b + 1) % buckets;
      }
      if (victim != map.end()) map.erase(victim);
    };
    if (!s.tat.empty()) {
      evict(s.tat, [](int64_t t) { return t; });
    } else if (!s.counters.empty()) {
      evict(s.counters, [](const Counter& c) { return c.window_end; });
    } else {
      evict(s.records, [](const Record& r) { return r.expires; });
    }
    evictions_.fetch_add(1, std::memory_order_relaxed);
  }
}

RateResult MemoryStore::rate_now(std::string_view key, const Gcra& limit, int64_t cost) {
  const uint64_t h = hash_(key);
  Shard& s = shard_for(h);
  const int64_t now = clock_.now().count();
  std::lock_guard lock(s.mu);
  auto it = s.tat.find(h);
  GcraStep step = gcra_step(it == s.tat.end() ? 0 : it->second, now, limit, cost);
  if (step.result.allowed && step.new_tat > now) {
    if (it != s.tat.end()) {
      it->second = step.new_tat;
    } else {
      make_room(s, now);
      s.tat.emplace(h, step.new_tat);
    }
  }
  return step.result;
}

CountResult MemoryStore::add_failure_now(std::string_view key, Micros window, int64_t n) {
  const uint64_t h = hash_(key);
  Shard& s = shard_for(h);
  const int64_t now = clock_.now().count();
  std::lock_guard lock(s.mu);
  auto it = s.counters.find(h);
  if (it == s.counters.end() || it->second.window_end <= now) {
    if (it == s.counters.end()) {
      make_room(s, now);
      it = s.counters.emplace(h, Counter{0, 0}).first;
    }
    it->second = Counter{0, saturating_add(now, window.count())};
  }
  it->second.count = saturating_add(it->second.count, std::max<int64_t>(n, 0));
  return CountResult{true, it->second.count, Micros(it->second.window_end - now)};
}

void MemoryStore::clear_failures_now(std::string_view key) {
  const uint64_t h = hash_(key);
  Shard& s = shard_for(h);
  std::lock_guard lock(s.mu);
  s.counters.erase(h);
}

void MemoryStore::drop_expired_bans(int64_t now) {
  std::erase_if(bans_, [now](const auto& kv) { return kv.second.until.count() <= now; });
  std::erase_if(levels_, [now](const auto& kv) { return kv.second.forget_at <= now; });
  ban_count_.store(bans_.size(), std::memory_order_relaxed);
}

std::optional<Ban> MemoryStore::banned_now(std::string_view key) {
  if (ban_count_.load(std::memory_order_relaxed) == 0) return std::nullopt;
  const int64_t now = clock_.now().count();
  std::shared_lock lock(bans_mu_);
  auto it = bans_.find(std::string(key));
  if (it == bans_.end() || it->second.until.count() <= now) return std::nullopt;
  return it->second;
}

BanResult MemoryStore::ban_now(std::string_view key, const BanPolicy& policy,
                               std::string_view reason) {
  const int64_t now = clock_.now().count();
  std::unique_lock lock(bans_mu_);
  std::string k(key);
  int level = 1;
  if (auto it = levels_.find(k); it != levels_.end() && it->second.forget_at > now) {
    level = std::min(it->second.level + 1, 62);
  }
  int64_t base = std::max<int64_t>(policy.base.count(), 1);
  int64_t max = std::max<int64_t>(policy.max.count(), base);
  int64_t duration = base;
  for (int i = 1; i < level && duration < max; ++i) duration = std::min(max, duration * 2);
  Ban ban{k, std::string(reason), Micros(now), Micros(saturating_add(now, duration)), level};
  if (bans_.size() >= max_bans_ && !bans_.contains(k)) {
    drop_expired_bans(now);
    if (bans_.size() >= max_bans_) {
      auto first = std::min_element(bans_.begin(), bans_.end(), [](const auto& a, const auto& b) {
        return a.second.until < b.second.until;
      });
      bans_.erase(first);
    }
  }
  if (levels_.size() >= max_bans_ && !levels_.contains(k)) {
    drop_expired_bans(now);
    if (levels_.size() >= max_bans_) levels_.erase(levels_.begin());
  }
  levels_[k] = BanLevel{level, saturating_add(ban.until.count(), policy.remember.count())};
  bans_[k] = ban;
  ban_count_.store(bans_.size(), std::memory_order_relaxed);
  return BanResult{true, std::move(ban)};
}

void MemoryStore::install_ban(const Ban& ban) {
  const int64_t now = clock_.now().count();
  std::unique_lock lock(bans_mu_);
  if (ban.until.count() <= now) return;
  if (bans_.size() >= max_bans_ && !bans_.contains(ban.key)) {
    drop_expired_bans(now);
    if (bans_.size() >= max_bans_) return;  // the shared store still has it
  }
  bans_[ban.key] = ban;
  ban_count_.store(bans_.size(), std::memory_order_relaxed);
}

bool MemoryStore::remove_ban(std::string_view key) {
  std::unique_lock lock(bans_mu_);
  std::string k(key);
  bool had = bans_.erase(k) > 0;
  ban_count_.store(bans_.size(), std::memory_order_relaxed);
  return had;
}

bool MemoryStore::unban_now(std::string_view key) {
  const int64_t now = clock_.now().count();
  std::unique_lock lock(bans_mu_);
  std::string k(key);
  auto it = bans_.find(k);
  bool live = it != bans_.end() && it->second.until.count() > now;
  if (it != bans_.end()) bans_.erase(it);
  levels_.erase(k);
  ban_count_.store(bans_.size(), std::memory_order_relaxed);
  return live;
}

std::vector<Ban> MemoryStore::bans_now() {
  const int64_t now = clock_.now().count();
  std::unique_lock lock(bans_mu_);
  drop_expired_bans(now);
  std::vector<Ban> out;
  out.reserve(bans_.size());
  for (const auto& kv : bans_) out.push_back(kv.second);
  std::sort(out.begin(), out.end(), [](const Ban& a, const Ban& b) {
    return a.until != b.until ? a.until < b.until : a.key < b.key;
  });
  return out;
}

RecordResult MemoryStore::get_now(std::string_view key) {
  Shard& s = shard_for(hash_(key));
  const int64_t now = clock_.now().count();
  std::lock_guard lock(s.mu);
  auto it = s.records.find(std::string(key));
  if (it == s.records.end() || it->second.expires <= now) return RecordResult{};
  return RecordResult{true, it->second.value};
}

bool MemoryStore::put_now(std::string_view key, std::string_view value, Micros ttl) {
  if (value.size() > kMaxRecordSize) return false;
  Shard& s = shard_for(hash_(key));
  const int64_t now = clock_.now().count();
  std::lock_guard lock(s.mu);
  std::string k(key);
  auto it = s.records.find(k);
  if (ttl.count() <= 0) {
    if (it != s.records.end()) s.records.erase(it);
    return true;
  }
  if (it == s.records.end()) {
    make_room(s, now);
    it = s.records.emplace(std::move(k), Record{}).first;
  }
  it->second.value.assign(value);
  it->second.expires = saturating_add(now, ttl.count());
  return true;
}

bool MemoryStore::update_now(std::string_view key, std::string_view value) {
  if (value.size() > kMaxRecordSize) return false;
  Shard& s = shard_for(hash_(key));
  const int64_t now = clock_.now().count();
  std::lock_guard lock(s.mu);
  auto it = s.records.find(std::string(key));
  if (it == s.records.end() || it->second.expires <= now) return false;
  it->second.value.assign(value);
  return true;
}

bool MemoryStore::touch_now(std::string_view key, Micros ttl) {
  Shard& s = shard_for(hash_(key));
  const int64_t now = clock_.now().count();
  std::lock_guard lock(s.mu);
  auto it = s.records.find(std::string(key));
  if (it == s.records.end() || it->second.expires <= now) return false;
  if (ttl.count() <= 0) {
    s.records.erase(it);
    return true;
  }
  it->second.expires = saturating_add(now, ttl.count());
  return true;
}

bool MemoryStore::erase_now(std::string_view key) {
  Shard& s = shard_for(hash_(key));
  const int64_t now = clock_.now().count();
  std::lock_guard lock(s.mu);
  auto it = s.records.find(std::string(key));
  if (it == s.records.end()) return false;
  bool live = it->second.expires > now;
  s.records.erase(it);
  return live;
}

size_t MemoryStore::size() const {
  size_t n = 0;
  size_t shards = shard_shift_ == 64 ? 1 : size_t(1) << (64 - shard_shift_);
  for (size_t i = 0; i < shards; ++i) {
    std::lock_guard lock(shards_[i].mu);
    n += shards_[i].size();
  }
  return n;
}

}  // namespace rampart::state
