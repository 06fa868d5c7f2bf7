#pragma once
// The Lua scripts the Redis store runs (atomically, by EVALSHA), with their SHA-1 digests.
// Time comes from the Redis server (TIME), so that every gateway instance shares one clock.
// Microsecond times are written with string.format: Lua's tostring keeps 14 digits.

#include <cstddef>
#include <string>

namespace rampart::state {

struct RedisScript {
  const char* name;
  const char* source;
  std::string sha1;  // hex
};

// GCRA for a batch of decisions, taken in order (a key named twice sees what the first took).
// KEYS: the rate keys. ARGV[1]: one byte per key, the 1-based index of its limit among the
// triples that follow; ARGV[2...]: interval_us, burst, cost of each limit. At most
// kGcraBatchMax keys (one byte indexes the limits; unpack() has a stack limit).
// -> {allowed, remaining, retry_us, reset_us} for each key, flat, in the order of KEYS.
const RedisScript& gcra_script();
inline constexpr size_t kGcraBatchMax = 255;
// KEYS[1] counter key; ARGV window_us, n -> {count, window_left_us}
const RedisScript& failure_script();
// KEYS[1] ban key, KEYS[2] level key; ARGV base_us, max_us, remember_us, reason, channel,
// banned key -> the ban message (ban_message.h), also published on the channel
const RedisScript& ban_script();
// KEYS[1] ban key, KEYS[2] level key; ARGV channel, banned key -> 1 when a ban was lifted
const RedisScript& unban_script();

}  // namespace rampart::state
