#include "waf/decode/decode.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace rampart::waf {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_hex(std::string_view s, size_t pos, size_t n, uint32_t* out) {
  if (pos + n > s.size()) return false;
  uint32_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    int h = hex_value(s[pos + i]);
    if (h < 0) return false;
    v = v * 16 + uint32_t(h);
  }
  *out = v;
  return true;
}

// Appends a code point as UTF-8; surrogates and out-of-range values become U+FFFD.
void append_utf8(std::string& out, uint32_t cp) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(char(cp));
  } else if (cp < 0x800) {
    out.push_back(char(0xC0 | (cp >> 6)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(char(0xE0 | (cp >> 12)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(char(0xF0 | (cp >> 18)));
    out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  }
}

struct NamedEntity {
  std::string_view name;
  std::string_view text;
};
// The entities that matter for hiding markup and code; names are case-sensitive in HTML5 but
// browsers accept the common ones in upper case too, so both are listed where they exist.
constexpr std::array<NamedEntity, 38> kEntities = {{
    {"lt", "<"},     {"LT", "<"},     {"gt", ">"},     {"GT", ">"},     {"amp", "&"},
    {"AMP", "&"},    {"quot", "\""},  {"QUOT", "\""},  {"apos", "'"},   {"nbsp", " "},
    {"colon", ":"},  {"lpar", "("},   {"rpar", ")"},   {"Tab", "\t"},   {"NewLine", "\n"},
    {"sol", "/"},    {"bsol", "\\"},  {"period", "."}, {"comma", ","},  {"semi", ";"},
    {"equals", "="}, {"plus", "+"},   {"excl", "!"},   {"grave", "`"},  {"lsqb", "["},
    {"rsqb", "]"},   {"lbrack", "["}, {"rbrack", "]"}, {"lcub", "{"},   {"rcub", "}"},
    {"lbrace", "{"}, {"rbrace", "}"}, {"num", "#"},    {"percnt", "%"}, {"dollar", "$"},
    {"ast", "*"},    {"quest", "?"},  {"vert", "|"},
}};

}  // namespace

std::string ascii_lowercase(std::string_view in) {
  // By table: prose is mostly letters, and a compare and branch per byte cost more.
  static constexpr std::array<char, 256> kLower = [] {
    std::array<char, 256> t{};
    for (int b = 0; b < 256; ++b) t[size_t(b)] = char(b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b);
    return t;
  }();
  std::string out(in.size(), '\0');
  // Through raw pointers: a char store may alias anything, and through the string the compiler
  // reloads its pointers after every byte.
  char* o = out.data();
  const char* p = in.data();
  const size_t n = in.size();
  for (size_t i = 0; i < n; ++i) o[i] = kLower[static_cast<unsigned char>(p[i])];
  return out;
}

std::string url_decode(std::string_view in, bool plus_is_space) {
  // Written through a pointer into a buffer of the input's size (the output is never longer):
  // form bodies are mostly '+' and short runs, where appending byte by byte dominated.
  std::string out(in.size(), '\0');
  char* o = out.data();
  const size_t n = in.size();
  for (size_t i = 0; i < n; ++i) {
    char c = in[i];
    if (c == '+' && plus_is_space) {
      *o++ = ' ';
    } else if (c == '%') {
      uint32_t v;
      if ((i + 1 < n) && (in[i + 1] == 'u' || in[i + 1] == 'U') && parse_hex(in, i + 2, 4, &v)) {
        // IIS-style %uXXXX (6 bytes in, at most 3 out); the fullwidth forms are folded later by
        // normalize_utf8.
        std::string cp;
        append_utf8(cp, v);
        for (char b : cp) *o++ = b;
        i += 5;
      } else if (parse_hex(in, i + 1, 2, &v)) {
        *o++ = char(v);
        i += 2;
      } else {
        *o++ = c;
      }
    } else {
      *o++ = c;
    }
  }
  out.resize(size_t(o - out.data()));
  return out;
}

std::string html_entity_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '&' || i + 2 >= in.size()) {
      out.push_back(in[i]);
      continue;
    }
    if (in[i + 1] == '#') {
      size_t j = i + 2;
      bool hex = j < in.size() && (in[j] == 'x' || in[j] == 'X');
      if (hex) ++j;
      uint32_t v = 0;
      size_t digits = 0;
      while (j < in.size()) {
        int d = hex ? hex_value(in[j]) : (in[j] >= '0' && in[j] <= '9' ? in[j] - '0' : -1);
        if (d < 0) break;
        v = v * (hex ? 16 : 10) + uint32_t(d);
        if (v > 0x10FFFF) v = 0x110000;  // saturate; append_utf8 maps it to U+FFFD
        ++j;
        ++digits;
      }
      if (digits == 0) {
        out.push_back(in[i]);
        continue;
      }
      if (j < in.size() && in[j] == ';') ++j;
      append_utf8(out, v);
      i = j - 1;
      continue;
    }
    bool matched = false;
    for (const NamedEntity& e : kEntities) {
      if (in.substr(i + 1, e.name.size()) == e.name) {
        size_t end = i + 1 + e.name.size();
        if (end < in.size() && in[end] == ';') {
          ++end;
        } else if (e.name.size() > 4) {
          continue;  // long names need their ';' (as browsers require for most)
        }
        out.append(e.text);
        i = end - 1;
        matched = true;
        break;
      }
    }
    if (!matched) out.push_back(in[i]);
  }
  return out;
}

std::string js_unescape(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\\' || i + 1 >= in.size()) {
      out.push_back(in[i]);
      continue;
    }
    char n = in[i + 1];
    uint32_t v;
    if (n == 'u' && parse_hex(in, i + 2, 4, &v)) {
      // A surrogate pair becomes one code point.
      uint32_t lo;
      if (v >= 0xD800 && v <= 0xDBFF && i + 7 < in.size() && in[i + 6] == '\\' &&
          in[i + 7] == 'u' && parse_hex(in, i + 8, 4, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00));
        i += 11;
      } else {
        append_utf8(out, v);
        i += 5;
      }
    } else if (n == 'u' && i + 2 < in.size() && in[i + 2] == '{') {
      size_t j = i + 3;
      uint32_t cp = 0;
      while (j < in.size() && j < i + 11 && hex_value(in[j]) >= 0)
        cp = cp * 16 + hex_value(in[j++]);
      if (j < in.size() && in[j] == '}' && j > i + 3) {
        append_utf8(out, cp);
        i = j;
      } else {
        out.push_back(in[i]);
      }
    } else if (n == 'x' && parse_hex(in, i + 2, 2, &v)) {
      out.push_back(char(v));
      i += 3;
    } else if (n == '\'' || n == '"' || n == '\\' || n == '/') {
      out.push_back(n);
      ++i;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

std::string normalize_utf8(std::string_view in) {
  // Plain ASCII without NUL (the common case) is already normal.
  bool plain = true;
  for (char c : in) {
    auto b = static_cast<unsigned char>(c);
    if (b == 0 || b >= 0xC0) {
      plain = false;
      break;
    }
  }
  if (plain) return std::string(in);
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    auto b = uint8_t(in[i]);
    if (b == 0) continue;
    if ((b == 0xC0 || b == 0xC1) && i + 1 < in.size() && (uint8_t(in[i + 1]) & 0xC0) == 0x80) {
      char c = char(((b & 0x1F) << 6) | (uint8_t(in[i + 1]) & 0x3F));
      if (c != 0) out.push_back(c);
      ++i;
      continue;
    }
    if (b == 0xE0 && i + 2 < in.size() && (uint8_t(in[i + 1]) & 0xE0) == 0x80 &&
        (uint8_t(in[i + 2]) & 0xC0) == 0x80) {
      // Overlong three-byte form of a code point below U+0800.
      uint32_t cp = ((uint8_t(in[i + 1]) & 0x3F) << 6) | (uint8_t(in[i + 2]) & 0x3F);
      if (cp != 0) append_utf8(out, cp);
      i += 2;
      continue;
    }
    if (b == 0xE2 && i + 2 < in.size() && uint8_t(in[i + 1]) == 0x91 &&
        uint8_t(in[i + 2]) >= 0xA0 && uint8_t(in[i + 2]) <= 0xA8) {
      out.push_back(char('1' + (uint8_t(in[i + 2]) - 0xA0)));  // U+2460..U+2468 circled 1-9
      i += 2;
      continue;
    }
    if (b == 0xE2 && i + 2 < in.size() && uint8_t(in[i + 1]) == 0x93 &&
        uint8_t(in[i + 2]) == 0xAA) {
      out.push_back('0');  // U+24EA circled zero
      i += 2;
      continue;
    }
    if (b == 0xE2 && i + 2 < in.size() &&
        (uint8_t(in[i + 1]) == 0x92 || uint8_t(in[i + 1]) == 0x93)) {
      // Circled letters U+24B6..U+24CF (A-Z) and U+24D0..U+24E9 (a-z).
      uint32_t cp = 0x2000 | ((uint8_t(in[i + 1]) & 0x3F) << 6) | (uint8_t(in[i + 2]) & 0x3F);
      if (cp >= 0x24B6 && cp <= 0x24CF) {
        out.push_back(char('A' + (cp - 0x24B6)));
        i += 2;
        continue;
      }
      if (cp >= 0x24D0 && cp <= 0x24E9) {
        out.push_back(char('a' + (cp - 0x24D0)));
        i += 2;
        continue;
      }
    }
    if ((b == 0xE3 && i + 2 < in.size() && uint8_t(in[i + 1]) == 0x80 &&
         uint8_t(in[i + 2]) == 0x82) ||
        (b == 0xEF && i + 2 < in.size() && uint8_t(in[i + 1]) == 0xBD &&
         uint8_t(in[i + 2]) == 0xA1)) {
      out.push_back('.');  // U+3002 and U+FF61, full stops that URL parsers read as '.'
      i += 2;
      continue;
    }
    if (b == 0xEF && i + 2 < in.size()) {
      uint32_t cp =
          ((b & 0x0F) << 12) | ((uint8_t(in[i + 1]) & 0x3F) << 6) | (uint8_t(in[i + 2]) & 0x3F);
      if ((uint8_t(in[i + 1]) & 0xC0) == 0x80 && (uint8_t(in[i + 2]) & 0xC0) == 0x80 &&
          cp >= 0xFF01 && cp <= 0xFF5E) {
        out.push_back(char(cp - 0xFF01 + 0x21));
        i += 2;
        continue;
      }
    }
    out.push_back(char(b));
  }
  return out;
}

std::string decode_value(std::string_view in) {
  // Nothing to undo in a value without '%', '&' or '\\', NUL or a byte that can start a
  // multi-byte sequence (normalize_utf8's plain case): the first round would change nothing.
  static constexpr std::array<bool, 256> kDecodes = [] {
    std::array<bool, 256> t{};
    t['%'] = t['&'] = t['\\'] = t[0] = true;
    for (int b = 0xC0; b < 256; ++b) t[size_t(b)] = true;
    return t;
  }();
  if (std::none_of(in.begin(), in.end(),
                   [](char c) { return kDecodes[static_cast<unsigned char>(c)]; })) {
    return std::string(in);
  }
  std::string cur(in);
  for (int round = 0; round < kMaxDecodeRounds; ++round) {
    std::string next = cur.find('%') != std::string::npos ? url_decode(cur, false) : cur;
    if (next.find('&') != std::string::npos) next = html_entity_decode(next);
    if (next.find('\\') != std::string::npos) next = js_unescape(next);
    next = normalize_utf8(next);
    if (next == cur) break;
    cur = std::move(next);
  }
  return cur;
}

std::optional<std::string> decode_base64_text(std::string_view in) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  if (in.size() < 16 || in.size() % 4 == 1) return std::nullopt;
  // Mostly printable: at most a tenth of the decoded bytes may be anything else. Counted while
  // decoding, so that a long run of letters that only happens to be base64 ("xxxx...", a hex
  // digest) stops at its first few bytes.
  const size_t out_size = in.size() * 6 / 8;
  std::string out;
  out.reserve(out_size);
  size_t unprintable = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else
      return std::nullopt;
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      auto b = uint8_t((acc >> bits) & 0xFF);
      out.push_back(char(b));
      if (!((b >= 0x20 && b < 0x7F) || b == '\n' || b == '\r' || b == '\t') &&
          ++unprintable * 10 > out_size) {
        return std::nullopt;
      }
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace rampart::waf
