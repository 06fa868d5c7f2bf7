#pragma once
// A Redis reply copied out of hiredis's redisReply (which hiredis frees when the callback
// returns). Nesting is cut at a small depth: the gateway's own scripts answer flat arrays.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct redisReply;

namespace rampart::state {

struct RedisValue {
  enum class Kind { kNil, kInteger, kString, kStatus, kError, kArray };
  Kind kind = Kind::kNil;
  int64_t integer = 0;
  std::string text;  // kString, kStatus, kError
  std::vector<RedisValue> items;

  bool is_error() const { return kind == Kind::kError; }
  // An integer reply, or a string of decimal digits (as Lua numbers sometimes come back).
  std::optional<int64_t> as_int() const;
};

RedisValue copy_reply(const redisReply* reply, int depth = 0);

}  // namespace rampart::state
