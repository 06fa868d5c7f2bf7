#pragma once
// Open connections per client, across all worker threads, for limits.max_connections_per_client.
// A client is an IPv4 address or an IPv6 /64 (as the rate_limit guard counts them). Sharded
// under small locks; the keyed hash keeps chosen addresses from piling into one bucket.

#include <array>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "http/address.h"
#include "state/key_hash.h"

namespace rampart::net {

class ClientConnections {
 public:
  // Takes one of `max` slots for `client`; false (and nothing taken) when all are held.
  bool acquire(const http::IpAddress& client, uint64_t max);
  void release(const http::IpAddress& client);
  uint64_t held(const http::IpAddress& client);

 private:
  struct Key {
    uint64_t hi, lo;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const { return size_t(k.lo); }  // lo is already the hash
  };
  struct alignas(64) Shard {
    std::mutex mu;
    std::unordered_map<Key, uint64_t, KeyHash> counts;
  };
  Key key_of(const http::IpAddress& a) const;

  state::KeyHasher hash_;
  std::array<Shard, 16> shards_;
};

}  // namespace rampart::net
