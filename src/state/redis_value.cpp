#include "state/redis_value.h"

#include <hiredis/hiredis.h>

#include <charconv>

namespace rampart::state {

std::optional<int64_t> RedisValue::as_int() const {
  if (kind == Kind::kInteger) return integer;
  if (kind != Kind::kString || text.empty()) return std::nullopt;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

RedisValue copy_reply(const redisReply* r, int depth) {
  RedisValue v;
  if (r == nullptr) return v;
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      v.kind = RedisValue::Kind::kInteger;
      v.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      v.kind = r->type == REDIS_REPLY_STRING   ? RedisValue::Kind::kString
               : r->type == REDIS_REPLY_STATUS ? RedisValue::Kind::kStatus
                                               : RedisValue::Kind::kError;
      v.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ARRAY:
      v.kind = RedisValue::Kind::kArray;
      if (depth < 4) {
        v.items.reserve(r->elements);
        for (size_t i = 0; i < r->elements; ++i) {
          v.items.push_back(copy_reply(r->element[i], depth + 1));
        }
      }
      break;
    default:
      break;  // nil
  }
  return v;
}

}  // namespace rampart::state
