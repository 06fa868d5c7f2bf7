#include "state/redis_scripts.h"

#include <openssl/sha.h>

#include <cstring>

namespace rampart::state {
namespace {

constexpr const char* kNow = R"(local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
)";

// The steps of gcra.h, in Lua, for a batch of decisions in one call: one TIME, one MGET, and a
// SET for each allowed key. Why a batch (callgrind on redis-server 7.0, decisions pipelined 24
// to a write over 10,000 keys): a script call costs Redis about 35,000 instructions before the
// script does anything, and a redis.call('SET') about 13,000; a call per decision (GET, SET)
// took 68,000 instructions a decision, this script 30,000 at 24 decisions a call, 36,000 at 8
// and 28,000 at 64 (84,000 alone: a batch of one costs more than the old call, but Redis is
// idle then). Numbers are written with string.format('%d'), an integer conversion: Redis
// formats a Lua number argument with '%.17g', which costs 3,000 instructions more a key in
// glibc, and tostring keeps only 14 digits.
const std::string kGcra = std::string(kNow) + R"(local spec_of = ARGV[1]
local interval, burst, cost, tolerance = {}, {}, {}, {}
for s = 1, (#ARGV - 1) / 3 do
  local a = 3 * s - 1
  interval[s], burst[s], cost[s] = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  tolerance[s] = interval[s] * burst[s]
end
local stored = redis.call('MGET', unpack(KEYS))
local byte, floor, ceil, format = string.byte, math.floor, math.ceil, string.format
local taken, out = {}, {}
for i = 1, #KEYS do
  local s = byte(spec_of, i)
  local key = KEYS[i]
  local t, b, c, tol = interval[s], burst[s], cost[s], tolerance[s]
  local tat = taken[key] or tonumber(stored[i]) or 0
  if tat < now then tat = now end
  local new_tat = tat + t * c
  local allow_at = new_tat - tol
  local o = 4 * i
  if c > b or allow_at > now then
    local retry = allow_at - now
    if c > b then retry = tol end
    local left = now + tol - tat
    local remaining = 0
    if left > 0 then remaining = floor(left / t) end
    out[o - 3], out[o - 2], out[o - 1], out[o] = 0, remaining, retry, tat - now
  else
    if new_tat > now then
      local ttl = ceil((new_tat - now) / 1000)
      redis.call('SET', key, format('%d', new_tat), 'PX', format('%d', ttl))
    end
    taken[key] = new_tat
    local remaining = floor((now + tol - new_tat) / t)
    out[o - 3], out[o - 2], out[o - 1], out[o] = 1, remaining, 0, new_tat - now
  end
end
return out
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
