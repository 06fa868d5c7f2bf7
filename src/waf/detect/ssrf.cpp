// Server-side request forgery: URLs in values whose host is an internal address in any spelling
// (loopback, private, link-local, metadata; decimal, octal, hex and short IPv4 forms; IPv6 with
// embedded IPv4; "localhost" names), and schemes a fetcher should never follow (file:, gopher:,
// dict:, ...).

#include <optional>
#include <string>

#include "waf/detect/detector.h"
#include "waf/detect/url_parts.h"

namespace rampart::waf {
namespace {

constexpr std::string_view kDangerousSchemes[] = {"gopher", "dict",   "file",      "ldap",
                                                  "ldaps",  "tftp",   "jar",       "netdoc",
                                                  "sftp",   "expect", "local_file"};

constexpr std::string_view kInternalNames[] = {"localhost",
                                               "metadata.google.internal",
                                               "metadata",
                                               "instance-data",
                                               "metadata.azure.com",
                                               "kubernetes.default",
                                               "kubernetes.default.svc",
                                               "0",
                                               "localtest.me",
                                               "metadata.packet.net",
                                               "metadata.platformequinix.com",
                                               "ip6-loopback",
                                               "ipv6-loopback",
                                               "ip6-localhost",
                                               "ipv6-localhost"};

// Public names that resolve to the loopback address (development helpers an SSRF filter that
// only knows "localhost" lets through), and suffixes of cluster-internal names.
constexpr std::string_view kLoopbackDomains[] = {"lvh.me", "localtest.me", "vcap.me", "localh.st",
                                                 "127.0.0.1.nip.io"};
constexpr std::string_view kInternalSuffixes[] = {".localhost", ".internal", ".cluster.local",
                                                  ".svc"};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A host written as one integer too large for IPv4 ("7147006462", "0x41414141a9fea9fe"): some
// resolvers keep its low 32 bits, which is the address the writer means.
std::optional<uint32_t> overflowed_ipv4(std::string_view host) {
  if (host.size() < 2 || host.size() > 24) return std::nullopt;
  bool hex = host.substr(0, 2) == "0x";
  std::string_view digits = hex ? host.substr(2) : host;
  if (digits.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : digits) {
    int d = c >= '0' && c <= '9' ? c - '0' : (hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1);
    if (d < 0) return std::nullopt;
    v = v * (hex ? 16 : 10) + uint64_t(d);  // wraps modulo 2^64, which keeps the low 32 bits
  }
  return uint32_t(v & 0xFFFFFFFFu);
}

// A host spelled in one integer or in hex, or with backslash escapes ("\\l\\o\\c..." that
// glibc's resolver reads as "loc..."): nobody writes an address so but to get past a filter.
bool obfuscated_host(std::string_view host) {
  if (host.empty()) return false;
  if (host.find('.') == std::string_view::npos) {
    bool digits = true;
    for (char c : host) digits = digits && c >= '0' && c <= '9';
    if (digits && host.size() >= 8) return true;
  }
  // Hex counts from the full eight digits of an address; "0xabcdef" may be anything.
  return host.substr(0, 2) == "0x" && host.size() >= 10 && host.find('.') == std::string_view::npos;
}

bool internal_name(std::string_view host) {
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  for (std::string_view n : kInternalNames) {
    if (host == n) return true;
  }
  for (std::string_view suffix : kInternalSuffixes) {
    if (host.size() > suffix.size() && ends_with(host, suffix)) return true;
  }
  for (std::string_view d : kLoopbackDomains) {
    if (host == d ||
        (host.size() > d.size() && ends_with(host, d) && host[host.size() - d.size() - 1] == '.'))
      return true;
  }
  // Wildcard DNS services that resolve to the address written in the name.
  for (std::string_view w :
       {std::string_view(".nip.io"), std::string_view(".xip.io"), std::string_view(".sslip.io")}) {
    if (host.size() > w.size() && host.substr(host.size() - w.size()) == w) {
      std::string_view ip = host.substr(0, host.size() - w.size());
      size_t dash = ip.find_last_of("-");
      if (dash != std::string_view::npos) ip = ip.substr(dash + 1);
      auto a = parse_ipv4_any(ip);
      if (a && internal_ipv4(*a)) return true;
    }
  }
  return false;
}

}  // namespace

void detect_ssrf(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  // Referer and Origin name this site's own pages; a fetch never follows them.
  if (s.part == Part::kHeader && (s.name == "referer" || s.name == "origin")) return;
  if (!s.is_name && s.part != Part::kHeader && s.part != Part::kPath) {
    // A bare host given where a URL is expected: "localhost/", "127.0.0.1:8080/admin".
    size_t end = find_any(t.substr(0, 80), "/:?");
    std::string_view host = t.substr(0, end);
    if (end != std::string_view::npos && !host.empty() && host.size() < 64) {
      auto a = parse_ipv4_any(host);
      if ((a && internal_ipv4(*a) && host.find('.') != std::string_view::npos) ||
          (!a && (internal_name(host) || host.substr(0, 9) == "localhost"))) {
        out.push_back(Hit{AttackClass::kSsrf, 6, kLikely, 0, t.size(), "internal host"});
        return;
      }
    }
  }
  if (t.find("://") == std::string_view::npos && t.find(':') == std::string_view::npos) return;
  // A value that is a data: URL of text: what a fetcher or PHP's include reads as the content
  // of a remote document (images, the common data URLs of uploads, pass).
  size_t lead0 = skip_spaces(t, 0);
  if (t.compare(lead0, 5, "data:") == 0) {
    std::string_view type = t.substr(lead0 + 5, 40);
    if (type.substr(0, 5) == "text/" || type.substr(0, 17) == "application/x-php" ||
        type.substr(0, 22) == "application/x-httpd-php") {
      out.push_back(Hit{AttackClass::kSsrf, 6, kLikely, lead0, t.size(), "data URL"});
      return;
    }
  }
  // Java's jar: and netdoc: URLs wrap another URL: "jar:http://evil/x.zip!/a".
  size_t lead = skip_spaces(t, 0);
  if (t.compare(lead, 4, "jar:") == 0 || t.compare(lead, 7, "netdoc:") == 0) {
    out.push_back(Hit{AttackClass::kSsrf, 8, kCertain, lead, t.size(), "dangerous URL scheme"});
    return;
  }
  size_t pos = 0;
  for (int n = 0; n < 8; ++n) {
    auto u = find_url(t, pos);
    if (!u) break;
    pos = u->from + u->scheme.size() + 3;
    // URL parsers stop a scheme at '_'; PHP's and Java's wrappers do not ("local_file://").
    std::string_view scheme = u->scheme;
    size_t sb = u->from;
    while (sb > 0 && (is_word_char(t[sb - 1]))) --sb;
    if (sb < u->from) scheme = t.substr(sb, u->from + u->scheme.size() - sb);
    bool dangerous = false;
    for (std::string_view d : kDangerousSchemes) dangerous = dangerous || scheme == d;
    if (dangerous && scheme != "file") {
      out.push_back(
          Hit{AttackClass::kSsrf, 8, kCertain, u->from, t.size(), "dangerous URL scheme"});
      return;
    }
    // "http://\\l\\o\\c\\a\\l\\h\\o\\s\\t/": the URL parser sees no host; the resolver sees one.
    std::string unescaped;
    std::string_view host = u->host;
    if (host.empty() && !u->rest.empty() && u->rest[0] == '\\') {
      for (char c : u->rest.substr(0, u->rest.find_first_of("/?#@ "))) {
        if (c != '\\') unescaped.push_back(c);
      }
      host = unescaped;
      if (unescaped.size() >= 2) {
        out.push_back(
            Hit{AttackClass::kSsrf, 7, kCertain, u->from, t.size(), "escaped host name in URL"});
        return;
      }
    }
    bool internal = false;
    if (u->ipv6) {
      internal = internal_ipv6(host);
    } else if (auto a = parse_ipv4_any(host)) {
      internal = internal_ipv4(*a);
    } else if (auto o = overflowed_ipv4(host)) {
      internal = internal_ipv4(*o);
    } else {
      internal = internal_name(host);
    }
    if (internal && u->scheme != "file") {
      bool plain = u->host == "localhost" || u->host == "127.0.0.1";
      // "open http://localhost:8000/ in your browser": a loopback URL inside prose is advice,
      // not a URL the application will fetch.
      if (plain && u->from != skip_spaces(t, 0)) continue;
      // A URL to a plain "localhost" is common in development; metadata addresses and obscured
      // spellings are not.
      bool metadata =
          u->host == "169.254.169.254" || u->host.find("metadata") != std::string_view::npos;
      out.push_back(Hit{AttackClass::kSsrf, plain ? 6 : 8, plain ? kLikely : kCertain, u->from,
                        t.size(), metadata ? "cloud metadata address" : "internal address in URL"});
      return;
    }
    if (!u->ipv6 && obfuscated_host(host)) {
      out.push_back(
          Hit{AttackClass::kSsrf, 6, kLikely, u->from, t.size(), "obfuscated address in URL"});
      return;
    }
  }
  // URL parser confusion: "http://good.example:80 &@127.0.0.1:22/#@good.example/".
  if (t.find("://") != std::string_view::npos) {
    for (size_t at = t.find('@'); at != std::string_view::npos; at = t.find('@', at + 1)) {
      size_t e = at + 1;
      while (e < t.size() && (is_word_char(t[e]) || t[e] == '.')) ++e;
      auto a = parse_ipv4_any(t.substr(at + 1, e - at - 1));
      if (a && internal_ipv4(*a)) {
        out.push_back(
            Hit{AttackClass::kSsrf, 8, kCertain, at, t.size(), "internal address in URL"});
        return;
      }
    }
  }
  // Scheme-relative or bare internal hosts in URL-ish parameters: "//169.254.169.254/".
  size_t m = t.find("169.254.169.254");
  if (m != std::string_view::npos) {
    out.push_back(Hit{AttackClass::kSsrf, 7, kCertain, m, t.size(), "cloud metadata address"});
  }
}

}  // namespace rampart::waf
