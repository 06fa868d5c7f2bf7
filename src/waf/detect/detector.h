#pragma once
// What every detector sees and reports. A detector reads one decoded value and appends hits; it
// never throws and never reads outside the value. Each detector is one free function, listed in
// the inspector's table (inspector.cpp).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "waf/policy.h"
#include "waf/signatures.h"
#include "waf/types.h"

namespace rampart::waf {

// How sure a detector is. kCertain hits are reported at every sensitivity, kLikely from level 2
// (the default), kSuspicious only at level 3.
enum Level : int { kCertain = 1, kLikely = 2, kSuspicious = 3 };

struct Hit {
  AttackClass attack;
  int score;    // 1..10; the policy threshold (default 5) filters
  int level;    // Level
  size_t from;  // the matched fragment, as offsets in Scan::text
  size_t to;
  std::string_view reason;  // static text
};

// Which bytes occur in a value: computed once, so that every detector can skip a value that
// lacks the characters its syntax needs without scanning it again.
struct CharMask {
  uint64_t bits[4] = {0, 0, 0, 0};

  static CharMask of(std::string_view s) {
    CharMask m;
    if (s.size() < 256) {
      for (unsigned char c : s) m.bits[c >> 6] |= uint64_t(1) << (c & 63);
      return m;
    }
    // Long values: one store per byte, then the 256 flags packed (fewer instructions per byte
    // than the read-modify-write above).
    bool seen[256] = {};
    for (unsigned char c : s) seen[c] = true;
    for (int c = 0; c < 256; ++c) m.bits[c >> 6] |= uint64_t(seen[c]) << (c & 63);
    return m;
  }
  bool has(char c) const {
    auto u = static_cast<unsigned char>(c);
    return (bits[u >> 6] >> (u & 63)) & 1;
  }
  bool any(std::string_view set) const {
    for (char c : set) {
      if (has(c)) return true;
    }
    return false;
  }
};

// First index at or after pos of a byte in `set` (a table lookup per byte, unlike
// string_view::find_first_of which searches the set for every byte).
inline size_t find_any(std::string_view s, std::string_view set, size_t pos = 0) {
  bool table[256] = {};
  for (unsigned char c : set) table[c] = true;
  for (size_t i = pos; i < s.size(); ++i) {
    if (table[static_cast<unsigned char>(s[i])]) return i;
  }
  return std::string_view::npos;
}

struct Scan {
  std::string_view raw;    // the value before the inspector's decoders
  std::string_view text;   // fully decoded value
  std::string_view lower;  // text with ASCII letters lower-cased (same offsets)
  Part part;
  std::string_view name;  // the argument, header or cookie name the value came with
  bool is_name;           // the text is an argument name, not a value
  const SigHits* sigs;
  CharMask chars;  // bytes present in text (and lower)
  // The request's Host header, lower-cased (empty when absent): a URL to another host is
  // told from a link back to this site.
  std::string_view host = {};
  // The policy being applied (null: every level counts). Detectors may skip work whose hits the
  // policy's sensitivity would drop anyway.
  const Policy* policy = nullptr;
};

using Hits = std::vector<Hit>;

// Detectors (one file each in detect/).
void detect_sqli(const Scan& s, Hits& out);
void detect_xss(const Scan& s, Hits& out);
void detect_traversal(const Scan& s, Hits& out);
void detect_remote_inclusion(const Scan& s, Hits& out);
void detect_command_injection(const Scan& s, Hits& out);
void detect_php_injection(const Scan& s, Hits& out);
void detect_template_injection(const Scan& s, Hits& out);
void detect_code_injection(const Scan& s, Hits& out);
void detect_ssrf(const Scan& s, Hits& out);
void detect_nosql(const Scan& s, Hits& out);
void detect_crlf(const Scan& s, Hits& out);
void detect_xxe(const Scan& s, Hits& out);
void detect_ldap(const Scan& s, Hits& out);
void detect_jndi(const Scan& s, Hits& out);
void detect_protocol(const Scan& s, Hits& out);

// Small helpers shared by detectors.
inline bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
// True when [from, to) of s is a whole word (no word character on either side).
inline bool whole_word(std::string_view s, size_t from, size_t to) {
  return (from == 0 || !is_word_char(s[from - 1])) && (to >= s.size() || !is_word_char(s[to]));
}
inline size_t skip_spaces(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
                          s[i] == '\v' || s[i] == '\f'))
    ++i;
  return i;
}

}  // namespace rampart::waf
