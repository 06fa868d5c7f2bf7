#include "net/client_connections.h"

#include <cstring>
#include <string_view>

namespace rampart::net {

ClientConnections::Key ClientConnections::key_of(const http::IpAddress& a) const {
  http::IpAddress masked = a;
  if (!a.is_v4()) std::memset(masked.bytes.data() + 8, 0, 8);  // the /64
  Key k;
  std::memcpy(&k.hi, masked.bytes.data(), 8);
  k.lo = hash_(std::string_view(reinterpret_cast<const char*>(masked.bytes.data()), 16));
  return k;
}

bool ClientConnections::acquire(const http::IpAddress& client, uint64_t max) {
  Key k = key_of(client);
  Shard& s = shards_[k.lo >> 60];
  std::lock_guard lock(s.mu);
  uint64_t& n = s.counts[k];
  if (n >= max) {
    if (n == 0) s.counts.erase(k);
    return false;
  }
  ++n;
  return true;
}

void ClientConnections::release(const http::IpAddress& client) {
  Key k = key_of(client);
  Shard& s = shards_[k.lo >> 60];
  std::lock_guard lock(s.mu);
  auto it = s.counts.find(k);
  if (it == s.counts.end()) return;
  if (--it->second == 0) s.counts.erase(it);
}

uint64_t ClientConnections::held(const http::IpAddress& client) {
  Key k = key_of(client);
  Shard& s = shards_[k.lo >> 60];
  std::lock_guard lock(s.mu);
  auto it = s.counts.find(k);
  return it == s.counts.end() ? 0 : it->second;
}

}  // namespace rampart::net
