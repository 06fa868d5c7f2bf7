#pragma once
// Who the client is, and what the gateway tells the application about it. The peer address is
// the truth unless the peer is a trusted proxy: then X-Forwarded-For (or Forwarded) is walked from
// the right, past every trusted hop, to the first address that is not trusted. Scheme and host
// from X-Forwarded-Proto / -Host are believed only from a trusted peer too.

#include <string>

#include "http/address.h"
#include "http/headers.h"

namespace rampart::http {

struct ClientView {
  IpAddress address;          // the client as resolved
  std::string address_text;   // address.to_string(), made once
  std::string scheme;         // "https" or "http"
  std::string host;           // the host the client asked for (may be empty)
  std::string forwarded_for;  // the X-Forwarded-For chain to send on, ending with the peer
};

// `headers` are the request's fields as received; `own_scheme` is what this connection is.
ClientView resolve_client(const IpAddress& peer, const Headers& headers,
                          const CidrSet& trusted_proxies, std::string_view own_scheme);

// Sets X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Host, X-Real-IP and Forwarded on the
// request to the upstream (any that the client sent have been removed before).
void set_forwarding_headers(Headers& headers, const ClientView& client);

}  // namespace rampart::http
