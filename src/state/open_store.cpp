#include "state/open_store.h"

#include <mutex>

#include "state/redis_store.h"

namespace rampart::state {

StatusOr<std::shared_ptr<Store>> open_store(const StateOptions& options) {
  static std::mutex mu;
  static StateOptions last_options;
  static std::weak_ptr<Store> last;
  std::lock_guard lock(mu);
  if (auto live = last.lock(); live && last_options == options) return live;
  std::shared_ptr<Store> store;
  switch (options.backend) {
    case StateOptions::Backend::kMemory:
      store = std::make_shared<MemoryStore>(options.memory);
      break;
    case StateOptions::Backend::kRedis: {
      auto redis = RedisStore::open(options);
      if (!redis.ok())
        return Status::error("state: " + options.url + ": " + redis.status().message());
      store = *redis;
      break;
    }
  }
  last_options = options;
  last = store;
  return store;
}

}  // namespace rampart::state
