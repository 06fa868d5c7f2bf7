#include "guards/rate_limit/client_key.h"

namespace rampart::guards {

std::string client_key(const http::IpAddress& address, int v4_prefix, int v6_prefix) {
  const bool v4 = address.is_v4();
  const int bits = v4 ? 96 + v4_prefix : v6_prefix;
  if (bits >= 128) return address.to_string();
  http::IpAddress masked = address;
  for (int i = 0; i < 16; ++i) {
    int keep = bits - i * 8;
    if (keep >= 8) continue;
    masked.bytes[size_t(i)] &= keep <= 0 ? 0 : uint8_t(0xff << (8 - keep));
  }
  return masked.to_string() + "/" + std::to_string(v4 ? v4_prefix : v6_prefix);
}

}  // namespace rampart::guards
