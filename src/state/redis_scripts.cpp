#include "state/redis_scripts.h"

#include <openssl/sha.h>

#include <cstring>

namespace rampart::state {
namespace {

constexpr const char* kNow = R"(local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
)";

// The steps of gcra.h, in Lua.
const std::string kGcra = std::string(kNow) + R"(local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local tolerance = interval * burst
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
local new_tat = tat + interval * cost
local allow_at = new_tat - tolerance
if cost > burst or allow_at > now then
  local retry = allow_at - now
  if cost > burst then retry = tolerance end
  local left = now + tolerance - tat
  local remaining = 0
  if left > 0 then remaining = math.floor(left / interval) end
  return {0, remaining, retry, tat - now}
end
if new_tat > now then
  redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX',
             math.max(1, math.ceil((new_tat - now) / 1000)))
end
return {1, math.floor((now + tolerance - new_tat) / interval), 0, new_tat - now}
)";

const char* kFailure = R"(local count = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  ttl = math.max(1, math.ceil(tonumber(ARGV[1]) / 1000))
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return {count, ttl * 1000}
)";

const std::string kBan = std::string(kNow) + R"(local base = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local remember = tonumber(ARGV[3])
local level = (tonumber(redis.call('GET', KEYS[2]) or '0') or 0) + 1
local duration = base
for i = 2, level do
  if duration >= max then break end
  duration = math.min(max, duration * 2)
end
local message = cjson.encode({op = 'ban', key = ARGV[6], level = level,
  since = string.format('%.0f', now), ['until'] = string.format('%.0f', now + duration),
  reason = ARGV[4]})
local px = math.max(1, math.ceil(duration / 1000))
redis.call('SET', KEYS[1], message, 'PX', px)
redis.call('SET', KEYS[2], level, 'PX', px + math.ceil(remember / 1000))
redis.call('PUBLISH', ARGV[5], message)
return message
)";

const char* kUnban = R"(local had = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[1], cjson.encode({op = 'unban', key = ARGV[2]}))
return had
)";

std::string sha1_hex(const char* text) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text), std::strlen(text), digest);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : digest) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

RedisScript make(const char* name, const char* source) {
  return RedisScript{name, source, sha1_hex(source)};
}

}  // namespace

const RedisScript& gcra_script() {
  static const RedisScript s = make("gcra", kGcra.c_str());
  return s;
}
const RedisScript& failure_script() {
  static const RedisScript s = make("failure", kFailure);
  return s;
}
const RedisScript& ban_script() {
  static const RedisScript s = make("ban", kBan.c_str());
  return s;
}
const RedisScript& unban_script() {
  static const RedisScript s = make("unban", kUnban);
  return s;
}

}  // namespace rampart::state
