// Server-side request forgery: URLs in values whose host is an internal address in any spelling
// (loopback, private, link-local, metadata; decimal, octal, hex and short IPv4 forms; IPv6 with
// embedded IPv4; "localhost" names), and schemes a fetcher should never follow (file:, gopher:,
// dict:, ...).

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
                                               "localtest.me"};

bool internal_name(std::string_view host) {
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  for (std::string_view n : kInternalNames) {
    if (host == n) return true;
  }
  if (host.size() > 10 && host.substr(host.size() - 10) == ".localhost") return true;
  if (host.size() > 9 && host.substr(host.size() - 9) == ".internal") return true;
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
          (!a && (internal_name(host) || host.substr(0, 9) == "localhost" ||
                  host == "ipv6-localhost" || host == "ip6-localhost"))) {
        out.push_back(Hit{AttackClass::kSsrf, 6, kLikely, 0, t.size(), "internal host"});
        return;
      }
    }
  }
  if (t.find("://") == std::string_view::npos && t.find(':') == std::string_view::npos) return;
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
    bool dangerous = false;
    for (std::string_view d : kDangerousSchemes) dangerous = dangerous || u->scheme == d;
    if (dangerous && u->scheme != "file") {
      out.push_back(
          Hit{AttackClass::kSsrf, 8, kCertain, u->from, t.size(), "dangerous URL scheme"});
      return;
    }
    bool internal = false;
    if (u->ipv6) {
      internal = internal_ipv6(u->host);
    } else if (auto a = parse_ipv4_any(u->host)) {
      internal = internal_ipv4(*a);
    } else {
      internal = internal_name(u->host);
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
