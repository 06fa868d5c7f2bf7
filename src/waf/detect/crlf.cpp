// CRLF and header injection: line breaks followed by a header line, in values that end up in
// response headers (redirect targets, cookies) or in headers themselves. Multi-line text fields
// are normal, so in bodies only a known response header after the break counts.

#include <algorithm>

#include "waf/detect/detector.h"

namespace rampart::waf {
namespace {

constexpr std::string_view kHeaders[] = {"set-cookie",
                                         "location",
                                         "content-type",
                                         "content-length",
                                         "refresh",
                                         "host",
                                         "cookie",
                                         "access-control-allow-origin",
                                         "access-control-allow-credentials",
                                         "x-xss-protection",
                                         "content-security-policy",
                                         "transfer-encoding",
                                         "content-disposition",
                                         "cache-control",
                                         "x-forwarded-for",
                                         "x-forwarded-host",
                                         "link",
                                         "strict-transport-security",
                                         "http/1."};

}  // namespace

void detect_crlf(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  if (!s.chars.any("\r\n")) return;
  size_t p = find_any(t, "\r\n");
  if (p == std::string_view::npos) return;
  bool single_line_part = s.part == Part::kPath || s.part == Part::kQuery ||
                          s.part == Part::kHeader || s.part == Part::kCookie || s.is_name;
  for (; p != std::string_view::npos; p = find_any(t, "\r\n", p + 1)) {
    size_t k = p;
    while (k < t.size() && (t[k] == '\r' || t[k] == '\n')) ++k;
    while (k < t.size() && (t[k] == ' ' || t[k] == '\t')) ++k;
    size_t e = k;
    while (e < t.size() && (is_word_char(t[e]) || t[e] == '-' || t[e] == '/' || t[e] == '.')) ++e;
    std::string_view name = t.substr(k, e - k);
    size_t colon = skip_spaces(t, e);
    bool header_line = !name.empty() && colon < t.size() && t[colon] == ':';
    bool known = std::find(std::begin(kHeaders), std::end(kHeaders), name) != std::end(kHeaders) ||
                 name.substr(0, 7) == "http/1.";
    if (header_line && known) {
      out.push_back(Hit{AttackClass::kCrlf, 9, kCertain, p, t.size(), "header injection"});
      return;
    }
    if (single_line_part &&
        (header_line || t.compare(k, 5, "<html") == 0 || t.compare(k, 7, "<script") == 0)) {
      out.push_back(Hit{AttackClass::kCrlf, 8, kCertain, p, t.size(), "header injection"});
      return;
    }
  }
}

}  // namespace rampart::waf
