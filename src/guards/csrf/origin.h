#pragma once
// Web origins (RFC 6454): scheme, host and port, as the csrf guard compares them. Parsed by hand:
// the Origin header is a fixed, tiny grammar ("https://example.com:8443"), and of a Referer only
// the same three parts matter, compared after the same normalisation (lower case, default port)
// as the Origin; a general URL parser would accept far more than an origin may hold.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart::guards {

struct Origin {
  std::string scheme;  // lower case: "https"
  std::string host;    // lower case; IPv6 in brackets: "[::1]"
  uint16_t port = 0;   // the effective port (443 for https when none was written)

  bool operator==(const Origin&) const = default;
  // "https://example.com" (default ports left out).
  std::string to_string() const;
};

// The port a scheme implies: 80 for http and ws, 443 for https and wss, 0 otherwise.
uint16_t default_port(std::string_view scheme);

// An Origin header value: "scheme://host[:port]" and nothing else (a trailing '/' is tolerated).
// nullopt for "null" and anything malformed.
std::optional<Origin> parse_origin(std::string_view text);

// The origin of an absolute URL (a Referer): its scheme, host and port; the path, query and any
// userinfo are ignored. nullopt when it is not an absolute http(s) URL.
std::optional<Origin> origin_of_url(std::string_view url);

// An origin from the gateway's view of a request: the scheme and the Host value ("example.com",
// "example.com:8443", "[::1]:8080"). nullopt when the host is empty or malformed.
std::optional<Origin> origin_from_host(std::string_view scheme, std::string_view host);

// A trusted_origins entry: an exact origin, or "scheme://*.example.com[:port]", which matches
// every subdomain of example.com at any depth (not example.com itself).
struct OriginPattern {
  Origin origin;          // for a wildcard, host is the suffix without "*." ("example.com")
  bool wildcard = false;  // "*." before the host
  bool matches(const Origin& o) const;
  // nullopt when the text is neither an origin nor a wildcard pattern.
  static std::optional<OriginPattern> parse(std::string_view text);
};

}  // namespace rampart::guards
