#include "guards/session/session_store.h"

namespace rampart::guards {

std::optional<SessionRecord> MemorySessionStore::get(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = map_.find(key);
  if (it == map_.end()) return std::nullopt;
  return it->second.record;
}

void MemorySessionStore::put(const std::string& key, const SessionRecord& r, SessionTime now,
                             std::chrono::milliseconds keep) {
  std::lock_guard lock(mu_);
  if (++writes_ % 4096 == 0) sweep(now);
  auto it = map_.find(key);
  if (it == map_.end()) {
    if (map_.size() >= capacity_) sweep(now);
    if (map_.size() >= capacity_) {
      full_ = true;
      return;
    }
    full_ = false;
    map_.emplace(key, Entry{r, now + keep});
    return;
  }
  it->second = Entry{r, now + keep};
}

void MemorySessionStore::erase(const std::string& key) {
  std::lock_guard lock(mu_);
  map_.erase(key);
}

size_t MemorySessionStore::size() {
  std::lock_guard lock(mu_);
  return map_.size();
}

void MemorySessionStore::set_capacity(size_t c) {
  std::lock_guard lock(mu_);
  capacity_ = c;
}

bool MemorySessionStore::full() {
  std::lock_guard lock(mu_);
  return full_;
}

void MemorySessionStore::sweep(SessionTime now) {
  std::erase_if(map_, [&](const auto& kv) { return kv.second.expires <= now; });
}

std::optional<SessionRecord> BatchSessionStore::get(const std::string& key) {
  auto it = seen_.find(key);
  return it == seen_.end() ? std::nullopt : it->second;
}

void BatchSessionStore::put(const std::string& key, const SessionRecord& r, SessionTime now,
                            std::chrono::milliseconds keep) {
  seen_[key] = r;
  writes_.push_back({key, r, now, keep});
}

std::shared_ptr<MemorySessionStore> MemorySessionStore::shared() {
  static auto store = std::make_shared<MemorySessionStore>();
  return store;
}

}  // namespace rampart::guards
