// Ban messages as they arrive on the Redis pub/sub channel or in a ban key, written by anything
// that can reach the Redis server: parse_ban_message never crashes, and what it accepts is a
// sane ban (a key, a level from 1 to 1000, an end not before its start).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "state/ban_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto m = rampart::state::parse_ban_message(in);
  if (!m) return 0;
  if (m->ban.key.empty()) std::abort();
  if (!m->lifted && (m->ban.level < 1 || m->ban.level > 1000 || m->ban.until < m->ban.since)) {
    std::abort();
  }
  return 0;
}
