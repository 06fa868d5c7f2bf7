#include "http/address.h"

#include <arpa/inet.h>

#include <cstring>

#include "common/strings.h"

namespace rampart::http {

bool IpAddress::is_v4() const {
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(bytes.data(), kMapped, 12) == 0;
}

std::string IpAddress::to_string() const {
  if (is_v4()) {
    // Dotted quads by hand: inet_ntop goes through printf, and this runs for every request.
    char buf[16];
    char* p = buf;
    for (int i = 12; i < 16; ++i) {
      unsigned v = bytes[size_t(i)];
      if (v >= 100) *p++ = char('0' + v / 100);
      if (v >= 10) *p++ = char('0' + v / 10 % 10);
      *p++ = char('0' + v % 10);
      if (i < 15) *p++ = '.';
    }
    return std::string(buf, size_t(p - buf));
  }
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  return buf;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress a;
  if (inet_pton(AF_INET, buf, a.bytes.data() + 12) == 1) {
    a.bytes[10] = a.bytes[11] = 0xff;
    return a;
  }
  if (inet_pton(AF_INET6, buf, a.bytes.data()) == 1) return a;
  return std::nullopt;
}

bool Cidr::contains(const IpAddress& a) const {
  int full = prefix / 8;
  if (std::memcmp(a.bytes.data(), base.bytes.data(), size_t(full)) != 0) return false;
  int rest = prefix % 8;
  if (rest == 0) return true;
  uint8_t mask = uint8_t(0xff << (8 - rest));
  return (a.bytes[size_t(full)] & mask) == (base.bytes[size_t(full)] & mask);
}

std::optional<Cidr> Cidr::parse(std::string_view text) {
  text = trim(text);
  size_t slash = text.find('/');
  auto addr = IpAddress::parse(text.substr(0, slash));
  if (!addr) return std::nullopt;
  Cidr c;
  c.base = *addr;
  int max_bits = addr->is_v4() ? 32 : 128;
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    auto n = parse_u64(text.substr(slash + 1));
    if (!n || *n > uint64_t(max_bits)) return std::nullopt;
    bits = int(*n);
  }
  c.prefix = addr->is_v4() ? 96 + bits : bits;
  return c;
}

bool CidrSet::contains(const IpAddress& a) const {
  for (const auto& b : blocks_) {
    if (b.contains(a)) return true;
  }
  return false;
}

}  // namespace rampart::http
