#include "state/open_store.h"

#include <mutex>

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
    case StateOptions::Backend::kRedis:
      return Status::error("state: " + options.url +
                           ": the Redis backend is not available in this build");
  }
  last_options = options;
  last = store;
  return store;
}

}  // namespace rampart::state
