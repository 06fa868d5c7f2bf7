#pragma once
// Sessions are tracked by HMAC-SHA256(key, cookie name, value), never by the value itself: the
// store (and a shared Redis) holds nothing that would let anyone replay a session. The key is
// configured (so that several instances sharing a store agree) or drawn from RAND_bytes once per
// process (kept across reloads).
//
// This runs for every request that carries a session cookie: the HMAC's keyed inner and outer
// states are computed once (libsodium), and each call copies them rather than rehashing the key
// and fetching the digest as OpenSSL's one-shot HMAC() does.

#include <sodium.h>

#include <optional>
#include <string>
#include <string_view>

namespace rampart::guards {

class SessionHasher {
 public:
  explicit SessionHasher(std::string_view key);

  // 32 hex digits (the first 128 bits of the MAC).
  std::string operator()(std::string_view cookie_name, std::string_view value) const;

  // The process's own random key (32 bytes), made on first use; nullopt if RAND_bytes fails.
  static std::optional<std::string> process_key();

 private:
  crypto_auth_hmacsha256_state keyed_;
};

}  // namespace rampart::guards
