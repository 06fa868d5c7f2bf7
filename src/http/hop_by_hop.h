#pragma once
// Which header fields a proxy must not pass on as they are: one table for all such decisions
// (RFC 9110 section 7.6.1 and the framing rules of RFC 9112), instead of checks scattered through
// the gateway.

#include <string_view>

#include "http/headers.h"

namespace rampart::http {

enum class FieldRole {
  kEndToEnd,    // passed on
  kHopByHop,    // Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-*: dropped
  kFraming,     // Content-Length, Transfer-Encoding: the gateway writes its own
  kForwarding,  // X-Forwarded-*, Forwarded, X-Real-IP: the gateway writes its own (request side)
};

FieldRole field_role(std::string_view name);

// Removes the hop-by-hop and framing fields, and every field that a Connection header names.
// Forwarding fields are removed too when `request` is true.
void strip_hop_by_hop(Headers& headers, bool request);

}  // namespace rampart::http
