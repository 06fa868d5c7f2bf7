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

// The line after a break, read as a command of SMTP, POP3 or IMAP (tagged): a value that
// smuggles a line into a mail session the application holds open.
bool mail_command_line(std::string_view line) {
  auto word_at = [&](size_t from, size_t* end) {
    size_t e = from;
    while (e < line.size() && line[e] != ' ' && line[e] != '\r' && line[e] != '\n') ++e;
    *end = e;
    return line.substr(from, e - from);
  };
  size_t e;
  std::string_view verb = word_at(0, &e);
  bool alone = e >= line.size() || line[e] == '\r' || line[e] == '\n';
  bool arg = !alone && e + 1 < line.size() && line[e + 1] != ' ';
  // SMTP and POP3.
  if (line.substr(0, 10) == "mail from:" || line.substr(0, 8) == "rcpt to:") return true;
  constexpr std::string_view kAlone[] = {"data",     "quit", "rset", "noop",
                                         "starttls", "stat", "uidl", "capa"};
  constexpr std::string_view kWithArg[] = {"helo", "ehlo", "vrfy", "expn", "help", "auth", "user",
                                           "pass", "list", "retr", "dele", "top",  "apop"};
  if (alone && std::find(std::begin(kAlone), std::end(kAlone), verb) != std::end(kAlone))
    return true;
  if (arg && std::find(std::begin(kWithArg), std::end(kWithArg), verb) != std::end(kWithArg))
    return true;
  // IMAP: a short tag with a digit, then a command.
  bool digit = false;
  for (char c : verb) digit = digit || (c >= '0' && c <= '9');
  if (verb.empty() || verb.size() > 8 || !digit || alone) return false;
  std::string_view cmd = word_at(e + 1, &e);
  constexpr std::string_view kImap[] = {
      "login",  "authenticate", "select",     "examine", "create",    "delete",
      "rename", "list",         "lsub",       "status",  "append",    "check",
      "close",  "expunge",      "search",     "fetch",   "store",     "copy",
      "uid",    "logout",       "capability", "noop",    "subscribe", "unsubscribe"};
  return std::find(std::begin(kImap), std::end(kImap), cmd) != std::end(kImap);
}

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
    // A header line needs a value: "\r\nLocation:\r\n" sets nothing.
    size_t value = colon + 1;
    while (value < t.size() && (t[value] == ' ' || t[value] == '\t')) ++value;
    bool header_line = !name.empty() && colon < t.size() && t[colon] == ':' && value < t.size() &&
                       t[value] != '\r' && t[value] != '\n';
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
    // A mail command after a break: anywhere in a single-line part; in a text field only when
    // the value opens with the break (typed text does not start with an empty line).
    bool opens = skip_spaces(t, 0) == p || t.find_first_not_of(" \t\r\n") >= p;
    if ((single_line_part || opens) && mail_command_line(t.substr(k, 200))) {
      out.push_back(Hit{AttackClass::kCrlf, 7, kLikely, p, t.size(), "mail command injection"});
      return;
    }
  }
}

}  // namespace rampart::waf
