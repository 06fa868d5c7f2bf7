#include "guards/session/session_store.h"

namespace rampart::guards {

std::optional<SessionRecord> BatchSessionStore::get(const std::string& key) {
  auto it = seen_.find(key);
  return it == seen_.end() ? std::nullopt : it->second;
}

void BatchSessionStore::put(const std::string& key, const SessionRecord& r, SessionTime now,
                            std::chrono::milliseconds keep) {
  seen_[key] = r;
  writes_.push_back({key, r, now, keep});
}

}  // namespace rampart::guards
