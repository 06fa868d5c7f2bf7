#pragma once
// URLs found inside values, and the address forms a server-side fetch would resolve: dotted,
// decimal, octal and hex IPv4, short forms ("127.1"), IPv6 with embedded IPv4. Shared by the SSRF
// and remote-inclusion detectors.

#include <cstdint>
#include <optional>
#include <string_view>

namespace rampart::waf {

struct FoundUrl {
  std::string_view scheme;  // lower-case, without ':'
  std::string_view host;    // without brackets and port
  std::string_view rest;    // from the path on
  size_t from = 0;          // offset of the scheme
  bool ipv6 = false;
};

// The first URL ("scheme://...") at or after `pos` in lower-cased text.
std::optional<FoundUrl> find_url(std::string_view lower, size_t pos = 0);
// IPv4 in any inet_aton form ("2130706433", "0x7f.1", "0177.0.0.1").
std::optional<uint32_t> parse_ipv4_any(std::string_view host);
// Loopback, private, link-local, carrier-grade NAT, unspecified or cloud-metadata address.
bool internal_ipv4(uint32_t addr);
// Same for an IPv6 literal (loopback, unspecified, ULA, link-local, mapped internal IPv4).
bool internal_ipv6(std::string_view host);

}  // namespace rampart::waf
