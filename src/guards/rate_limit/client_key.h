#pragma once
// The key a client is counted under: its IPv4 address, or its IPv6 network (/64 by default,
// since one subscriber usually holds a whole /64 and could otherwise take a fresh address for
// every request). "203.0.113.7", "2001:db8:1:2::/64".

#include <string>

#include "http/address.h"

namespace rampart::guards {

// `v4_prefix` from 1 to 32, `v6_prefix` from 1 to 128.
std::string client_key(const http::IpAddress& address, int v4_prefix, int v6_prefix);

}  // namespace rampart::guards
