#pragma once
// A keyed 64-bit hash of state keys (SipHash-2-4 from libsodium, with a random key per
// process), so that clients who choose their keys (IPv6 addresses, header values) cannot aim
// them at one hash bucket.

#include <cstdint>
#include <string_view>

namespace rampart::state {

class KeyHasher {
 public:
  KeyHasher();  // a fresh random key
  uint64_t operator()(std::string_view key) const;

 private:
  unsigned char key_[16];
};

}  // namespace rampart::state
