#pragma once
// Where the gateway keeps its state, as the configuration says (`state:` in rampart.yaml):
//   state: memory                                  (the default)
//   state: redis://[:PASSWORD@]HOST[:PORT][/DB]    (shared by several instances)
// or a mapping with `url` and the finer settings (see docs/configuration.md).

#include <cstdint>
#include <string>
#include <string_view>

#include "state/clock.h"
#include "state/memory_store.h"

namespace rampart::state {

struct StateOptions {
  enum class Backend { kMemory, kRedis };
  Backend backend = Backend::kMemory;
  std::string url = "memory";  // as written
  // Redis
  std::string host;
  uint16_t port = 6379;
  int db = 0;
  std::string password;
  std::string key_prefix = "rampart:";
  bool fail_open = true;            // serve from local state while Redis is unreachable
  Micros timeout{50'000};           // the longest a request waits on Redis
  Micros reconnect_max{5'000'000};  // back-off ceiling between reconnection attempts
  // Memory (also the Redis store's local fallback)
  MemoryOptions memory;

  bool operator==(const StateOptions&) const = default;
};

// Parses "memory" or a redis:// URL into `out` (keeping its other fields). False with a message
// naming what was expected.
bool parse_state_url(std::string_view text, StateOptions& out, std::string& error);

}  // namespace rampart::state
