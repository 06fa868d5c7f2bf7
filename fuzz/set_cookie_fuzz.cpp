// Set-Cookie values from an application, hardened by the cookies guard.
#include <cstddef>
#include <cstdint>
#include <string>

#include "guards/cookies/cookies_guard.h"
#include "http/set_cookie.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  rampart::guards::CookieFlags flags;
  auto out = rampart::guards::harden_set_cookie(input, flags, true);
  if (out) {
    // A hardened cookie is still a cookie, and hardening it again changes nothing.
    auto again = rampart::guards::harden_set_cookie(*out, flags, true);
    if (!again || *again != *out) __builtin_trap();
  }
  rampart::http::for_each_cookie(input, [](std::string_view, std::string_view) {});
  return 0;
}
