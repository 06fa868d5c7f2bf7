#include "state/key_hash.h"

#include <sodium.h>

#include <cstring>

namespace rampart::state {

static_assert(crypto_shorthash_BYTES == 8 && crypto_shorthash_KEYBYTES == 16);

KeyHasher::KeyHasher() {
  if (sodium_init() < 0) {
    // libsodium could not initialise its random source; randombytes_buf would abort.
    std::memset(key_, 0x5a, sizeof key_);
    return;
  }
  randombytes_buf(key_, sizeof key_);
}

uint64_t KeyHasher::operator()(std::string_view key) const {
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, reinterpret_cast<const unsigned char*>(key.data()), key.size(), key_);
  uint64_t h;
  std::memcpy(&h, out, sizeof h);
  return h;
}

}  // namespace rampart::state
