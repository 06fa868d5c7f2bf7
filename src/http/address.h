#pragma once
// IP addresses and CIDR blocks as plain values (no sockets): for trusted proxies, client keys
// and allow lists. IPv4 addresses are kept as IPv4-mapped IPv6 so that one comparison serves both.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::http {

struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  bool is_v4() const;
  std::string to_string() const;
  bool operator==(const IpAddress&) const = default;

  // "203.0.113.7", "2001:db8::1", "[2001:db8::1]", "::ffff:1.2.3.4"; nullopt otherwise.
  static std::optional<IpAddress> parse(std::string_view text);
};

struct Cidr {
  IpAddress base;
  int prefix = 128;  // in IPv6 bits (an IPv4 /24 is stored as /120)
  bool contains(const IpAddress& a) const;
  // "10.0.0.0/8", "::1", "2001:db8::/32"; a bare address is a single host.
  static std::optional<Cidr> parse(std::string_view text);
};

class CidrSet {
 public:
  void add(const Cidr& c) { blocks_.push_back(c); }
  bool contains(const IpAddress& a) const;
  bool empty() const { return blocks_.empty(); }

 private:
  std::vector<Cidr> blocks_;
};

}  // namespace rampart::http
