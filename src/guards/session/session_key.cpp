#include "guards/session/session_key.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <mutex>

namespace rampart::guards {

std::string SessionHasher::operator()(std::string_view cookie_name, std::string_view value) const {
  std::string msg;
  msg.reserve(cookie_name.size() + 1 + value.size());
  msg.append(cookie_name);
  msg.push_back('\0');  // the name cannot hold NUL, so name and value cannot run together
  msg.append(value);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), int(key_.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < 16 && i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
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
