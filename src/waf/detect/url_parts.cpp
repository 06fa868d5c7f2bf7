#include "waf/detect/url_parts.h"

#include <arpa/inet.h>

#include <string>

namespace rampart::waf {

namespace {

// "http:host", "http:/host", "https:\\\\host": for the special schemes URL parsers (WHATWG,
// browsers, Node's fetch) read any run of slashes and backslashes, none included, as "//".
// Returns the offset of the scheme and sets *host_at; npos when there is none before `limit`.
size_t special_scheme_url(std::string_view s, size_t pos, size_t limit, size_t* host_at) {
  for (size_t c = s.find(':', pos); c != std::string_view::npos && c < limit;
       c = s.find(':', c + 1)) {
    size_t b = c;
    while (b > 0 && s[b - 1] >= 'a' && s[b - 1] <= 'z') --b;
    std::string_view scheme = s.substr(b, c - b);
    if (scheme != "http" && scheme != "https" && scheme != "ws" && scheme != "wss" &&
        scheme != "ftp")
      continue;
    if (b > 0 && ((s[b - 1] >= '0' && s[b - 1] <= '9') || s[b - 1] == '_')) continue;
    size_t h = c + 1;
    while (h < s.size() && (s[h] == '/' || s[h] == '\\')) ++h;
    if (h - (c + 1) == 2 && s[c + 1] == '/' && s[c + 2] == '/') continue;  // the usual form
    if (h >= s.size() || s[h] == ' ') continue;
    *host_at = h;
    return b;
  }
  return std::string_view::npos;
}

// The URL whose scheme runs from `from` to `colon` and whose authority starts at `host_at`.
FoundUrl url_at(std::string_view s, size_t from, size_t colon, size_t host_at) {
  FoundUrl u;
  u.from = from;
  u.scheme = s.substr(from, colon - from);
  size_t end = host_at;
  while (end < s.size() && s[end] != '/' && s[end] != '?' && s[end] != '#' && s[end] != ' ' &&
         s[end] != '\\' && s[end] != '"' && s[end] != '\'')
    ++end;
  std::string_view authority = s.substr(host_at, end - host_at);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    u.host =
        authority.substr(1, close == std::string_view::npos ? authority.size() - 1 : close - 1);
    u.ipv6 = true;
  } else {
    u.host = authority.substr(0, authority.find(':'));
  }
  u.rest = s.substr(end);
  return u;
}

}  // namespace

std::optional<FoundUrl> find_url(std::string_view s, size_t pos) {
  while (true) {
    size_t sep = s.find("://", pos);
    size_t odd_host = 0;
    size_t odd =
        special_scheme_url(s, pos, sep == std::string_view::npos ? s.size() : sep, &odd_host);
    if (odd != std::string_view::npos) {
      return url_at(s, odd, s.find(':', odd), odd_host);
    }
    if (sep == std::string_view::npos || sep == 0) return std::nullopt;
    size_t b = sep;
    while (b > 0 && ((s[b - 1] >= 'a' && s[b - 1] <= 'z') || (s[b - 1] >= '0' && s[b - 1] <= '9') ||
                     s[b - 1] == '+' || s[b - 1] == '.' || s[b - 1] == '-'))
      --b;
    if (b == sep) {
      pos = sep + 3;
      continue;
    }
    return url_at(s, b, sep, sep + 3);
  }
}

std::optional<uint32_t> parse_ipv4_any(std::string_view host) {
  if (host.empty() || host.size() > 64) return std::nullopt;
  uint64_t parts[4];
  int n = 0;
  size_t i = 0;
  while (i <= host.size()) {
    if (n == 4) return std::nullopt;
    size_t dot = host.find('.', i);
    if (dot == std::string_view::npos) dot = host.size();
    std::string_view p = host.substr(i, dot - i);
    if (p.empty()) return std::nullopt;
    int base = 10;
    if (p.size() > 2 && p[0] == '0' && p[1] == 'x') {
      base = 16;
      p.remove_prefix(2);
    } else if (p.size() > 1 && p[0] == '0') {
      base = 8;
      p.remove_prefix(1);
    }
    uint64_t v = 0;
    for (char c : p) {
      int d;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else
        return std::nullopt;
      if (d >= base) return std::nullopt;
      v = v * uint64_t(base) + uint64_t(d);
      if (v > 0xFFFFFFFFull) return std::nullopt;
    }
    parts[n++] = v;
    i = dot + 1;
    if (dot == host.size()) break;
  }
  // inet_aton: the last part fills the remaining bytes.
  uint64_t addr = 0;
  for (int k = 0; k < n - 1; ++k) {
    if (parts[k] > 255) return std::nullopt;
    addr |= parts[k] << (24 - 8 * k);
  }
  uint64_t last_max =
      n == 1 ? 0xFFFFFFFFull : (n == 2 ? 0xFFFFFFull : (n == 3 ? 0xFFFFull : 0xFFull));
  if (parts[n - 1] > last_max) return std::nullopt;
  addr |= parts[n - 1];
  return uint32_t(addr);
}

bool internal_ipv4(uint32_t a) {
  uint8_t b0 = a >> 24, b1 = (a >> 16) & 0xFF;
  // Of 0.0.0.0/8 only 0.0.0.0 itself reaches anything (the local host, on Linux).
  return b0 == 127 || b0 == 10 || a == 0 || (b0 == 172 && (b1 & 0xF0) == 16) ||
         (b0 == 192 && b1 == 168) || (b0 == 169 && b1 == 254) || (b0 == 100 && (b1 & 0xC0) == 64);
}

bool internal_ipv6(std::string_view host) {
  std::string h(host.substr(0, host.find('%')));  // drop a zone id
  unsigned char buf[16];
  if (inet_pton(AF_INET6, h.c_str(), buf) != 1) return false;
  bool zero10 = true;
  for (int i = 0; i < 10; ++i) zero10 = zero10 && buf[i] == 0;
  if (zero10 && ((buf[10] == 0xFF && buf[11] == 0xFF) || (buf[10] == 0 && buf[11] == 0))) {
    uint32_t v4 =
        (uint32_t(buf[12]) << 24) | (uint32_t(buf[13]) << 16) | (uint32_t(buf[14]) << 8) | buf[15];
    if (buf[10] == 0 && v4 <= 1) return true;  // :: and ::1
    return internal_ipv4(v4);
  }
  return (buf[0] & 0xFE) == 0xFC || (buf[0] == 0xFE && (buf[1] & 0xC0) == 0x80);
}

}  // namespace rampart::waf
