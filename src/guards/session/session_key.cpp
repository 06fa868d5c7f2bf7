#include "guards/session/session_key.h"

#include <openssl/rand.h>

#include <mutex>

namespace rampart::guards {

SessionHasher::SessionHasher(std::string_view key) {
  // libsodium asks to be initialised before any use (idempotent, thread-safe). Only its random
  // source can fail to initialise, and HMAC does not use it.
  [[maybe_unused]] const int ready = sodium_init();
  crypto_auth_hmacsha256_init(&keyed_, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
}

std::string SessionHasher::operator()(std::string_view cookie_name, std::string_view value) const {
  crypto_auth_hmacsha256_state st = keyed_;
  static constexpr unsigned char kNul = 0;  // the name cannot hold NUL: name and value stay apart
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(cookie_name.data()),
                                cookie_name.size());
  crypto_auth_hmacsha256_update(&st, &kNul, 1);
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(value.data()),
                                value.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_memzero(&st, sizeof st);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '\0');
  for (size_t i = 0; i < 16; ++i) {
    out[2 * i] = kHex[mac[i] >> 4];
    out[2 * i + 1] = kHex[mac[i] & 15];
  }
  return out;
}

std::optional<std::string> SessionHasher::process_key() {
  static std::once_flag once;
  static std::optional<std::string> key;
  std::call_once(once, [] {
    std::string k(32, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(k.data()), int(k.size())) == 1) key = k;
  });
  return key;
}

}  // namespace rampart::guards
