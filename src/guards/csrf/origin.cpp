#include "guards/csrf/origin.h"

#include "common/strings.h"

namespace rampart::guards {
namespace {

bool is_scheme_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

// Host characters allowed in an origin: a registered name (letters, digits, '-', '.', '_'), an
// IPv4 address, or a bracketed IPv6 address.
bool valid_host(std::string_view h) {
  if (h.empty() || h.size() > 255) return false;
  if (h.front() == '[') {
    if (h.size() < 4 || h.back() != ']') return false;
    for (char c : h.substr(1, h.size() - 2)) {
      bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.';
      if (!ok) return false;
    }
    return true;
  }
  for (char c : h) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
    if (!ok) return false;
  }
  return h.front() != '.';
}

// "host[:port]" into host and effective port; false when malformed.
bool split_authority(std::string_view authority, std::string_view scheme, Origin& out) {
  std::string auth = to_lower(authority);
  std::string_view a = auth;
  std::string_view host = a;
  std::string_view port_text;
  if (!a.empty() && a.front() == '[') {
    size_t close = a.find(']');
    if (close == std::string_view::npos) return false;
    host = a.substr(0, close + 1);
    std::string_view rest = a.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port_text = rest.substr(1);
      if (port_text.empty()) return false;
    }
  } else if (size_t colon = a.find(':'); colon != std::string_view::npos) {
    host = a.substr(0, colon);
    port_text = a.substr(colon + 1);
    if (port_text.empty()) return false;
  }
  if (host.size() > 1 && host.back() == '.' && host.front() != '[') host.remove_suffix(1);
  if (!valid_host(host)) return false;
  out.host = std::string(host);
  out.scheme = std::string(scheme);
  if (port_text.empty()) {
    out.port = default_port(scheme);
  } else {
    auto n = parse_u64(port_text);
    if (!n || *n == 0 || *n > 65535 || port_text.size() > 5) return false;
    out.port = uint16_t(*n);
  }
  return true;
}

}  // namespace

uint16_t default_port(std::string_view scheme) {
  if (scheme == "http" || scheme == "ws") return 80;
  if (scheme == "https" || scheme == "wss") return 443;
  return 0;
}

std::string Origin::to_string() const {
  std::string s = scheme + "://" + host;
  if (port != default_port(scheme)) s += ":" + std::to_string(port);
  return s;
}

std::optional<Origin> parse_origin(std::string_view text) {
  text = trim(text);
  size_t sep = text.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  std::string scheme = to_lower(text.substr(0, sep));
  for (char c : scheme) {
    if (!is_scheme_char(c)) return std::nullopt;
  }
  std::string_view authority = text.substr(sep + 3);
  if (!authority.empty() && authority.back() == '/') authority.remove_suffix(1);
  if (authority.find_first_of("/?#@ \t") != std::string_view::npos) return std::nullopt;
  Origin o;
  if (!split_authority(authority, scheme, o)) return std::nullopt;
  return o;
}

std::optional<Origin> origin_of_url(std::string_view url) {
  url = trim(url);
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  std::string scheme = to_lower(url.substr(0, sep));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(sep + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  Origin o;
  if (!split_authority(authority, scheme, o)) return std::nullopt;
  return o;
}

std::optional<Origin> origin_from_host(std::string_view scheme, std::string_view host) {
  host = trim(host);
  if (host.empty() || host.find_first_of("/?#@ ") != std::string_view::npos) return std::nullopt;
  Origin o;
  if (!split_authority(host, to_lower(scheme), o)) return std::nullopt;
  return o;
}

bool OriginPattern::matches(const Origin& o) const {
  if (o.scheme != origin.scheme || o.port != origin.port) return false;
  if (!wildcard) return o.host == origin.host;
  return o.host.size() > origin.host.size() + 1 && o.host.ends_with(origin.host) &&
         o.host[o.host.size() - origin.host.size() - 1] == '.';
}

std::optional<OriginPattern> OriginPattern::parse(std::string_view text) {
  text = trim(text);
  OriginPattern p;
  size_t sep = text.find("://");
  if (sep != std::string_view::npos && text.substr(sep + 3, 2) == "*.") {
    std::string rebuilt = std::string(text.substr(0, sep + 3)) + std::string(text.substr(sep + 5));
    auto o = parse_origin(rebuilt);
    if (!o || o->host.front() == '[' || o->host.find('.') == std::string::npos) return std::nullopt;
    p.origin = *o;
    p.wildcard = true;
    return p;
  }
  auto o = parse_origin(text);
  if (!o) return std::nullopt;
  p.origin = *o;
  return p;
}

}  // namespace rampart::guards
