#pragma once
// The text of a ban as the Redis store keeps it (the value of a ban key) and announces it on its
// pub/sub channel: a small JSON object. Times travel as decimal strings of microseconds, since
// Lua's cjson would print them as doubles with too few digits.
//   {"op":"ban","key":"ip:203.0.113.7","level":2,"since":"1700000000000000",
//    "until":"1700000600000000","reason":"5 failed logins within 600s"}
//   {"op":"unban","key":"ip:203.0.113.7"}
// What arrives there was written by any process that can reach the Redis server, so it is read
// as untrusted: anything malformed is nullopt, never a crash.

#include <optional>
#include <string>
#include <string_view>

#include "state/store.h"

namespace rampart::state {

struct BanMessage {
  bool lifted = false;  // "unban"
  Ban ban;              // only the key when lifted
};

std::optional<BanMessage> parse_ban_message(std::string_view text);

}  // namespace rampart::state
