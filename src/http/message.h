#pragma once
// The heads of HTTP/1.x messages as the gateway and its guards see them. Bodies are not here:
// the gateway streams them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/headers.h"

namespace rampart::http {

struct RequestHead {
  std::string method;
  std::string target;  // as received: origin-form "/path?query" (absolute-form is normalized)
  int version = 11;    // 10 or 11
  Headers headers;

  std::string_view path() const;   // the target up to '?'
  std::string_view query() const;  // after '?', without it; empty when none
};

struct ResponseHead {
  int status = 200;
  std::string reason;
  int version = 11;
  Headers headers;
};

// How a message body is framed on the wire.
struct BodyFraming {
  enum class Kind { kNone, kLength, kChunked, kUntilClose };
  Kind kind = Kind::kNone;
  uint64_t length = 0;  // for kLength
};

// The standard reason phrase of a status code ("" for unknown ones).
std::string_view reason_phrase(int status);

}  // namespace rampart::http
