#include "waf/detect/sql_lexer.h"

#include <algorithm>
#include <array>

namespace rampart::waf {
namespace {

// Character classes by table: the lexer asks for every byte of a value.
enum : uint8_t { kIdentStart = 1, kDigit = 2, kSpace = 4 };
constexpr std::array<uint8_t, 256> kClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0x80)
      t[size_t(c)] |= kIdentStart;
    if (c >= '0' && c <= '9') t[size_t(c)] |= kDigit;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0xA0)
      t[size_t(c)] |= kSpace;
  }
  return t;
}();
inline uint8_t cls(char c) { return kClass[static_cast<unsigned char>(c)]; }
inline bool is_ident_start(char c) { return cls(c) & kIdentStart; }
inline bool is_ident(char c) { return cls(c) & (kIdentStart | kDigit); }
inline bool is_digit(char c) { return cls(c) & kDigit; }
inline bool is_space(char c) { return cls(c) & kSpace; }

struct WordKind {
  std::string_view word;
  SqlTok kind;
};

// Sorted by word.
constexpr std::array<WordKind, 83> kWords = {{
    {"all", SqlTok::kKeyword},       {"alter", SqlTok::kKeyword},
    {"analyse", SqlTok::kKeyword},   {"and", SqlTok::kLogic},
    {"as", SqlTok::kKeyword},        {"asc", SqlTok::kKeyword},
    {"begin", SqlTok::kKeyword},     {"between", SqlTok::kCompare},
    {"binary", SqlTok::kOperator},   {"by", SqlTok::kKeyword},
    {"call", SqlTok::kKeyword},      {"case", SqlTok::kKeyword},
    {"collate", SqlTok::kKeyword},   {"create", SqlTok::kKeyword},
    {"cross", SqlTok::kKeyword},     {"database", SqlTok::kKeyword},
    {"declare", SqlTok::kKeyword},   {"delay", SqlTok::kKeyword},
    {"delete", SqlTok::kKeyword},    {"desc", SqlTok::kKeyword},
    {"distinct", SqlTok::kKeyword},  {"div", SqlTok::kOperator},
    {"drop", SqlTok::kKeyword},      {"dumpfile", SqlTok::kKeyword},
    {"else", SqlTok::kKeyword},      {"end", SqlTok::kKeyword},
    {"escape", SqlTok::kKeyword},    {"except", SqlTok::kKeyword},
    {"exec", SqlTok::kKeyword},      {"execute", SqlTok::kKeyword},
    {"exists", SqlTok::kKeyword},    {"false", SqlTok::kNumber},
    {"fetch", SqlTok::kKeyword},     {"from", SqlTok::kKeyword},
    {"glob", SqlTok::kCompare},      {"grant", SqlTok::kKeyword},
    {"group", SqlTok::kKeyword},     {"having", SqlTok::kKeyword},
    {"ilike", SqlTok::kCompare},     {"in", SqlTok::kCompare},
    {"inner", SqlTok::kKeyword},     {"insert", SqlTok::kKeyword},
    {"intersect", SqlTok::kKeyword}, {"into", SqlTok::kKeyword},
    {"is", SqlTok::kCompare},        {"join", SqlTok::kKeyword},
    {"left", SqlTok::kKeyword},      {"like", SqlTok::kCompare},
    {"limit", SqlTok::kKeyword},     {"load", SqlTok::kKeyword},
    {"match", SqlTok::kKeyword},     {"minus", SqlTok::kKeyword},
    {"mod", SqlTok::kOperator},      {"not", SqlTok::kNot},
    {"null", SqlTok::kNumber},       {"offset", SqlTok::kKeyword},
    {"on", SqlTok::kKeyword},        {"or", SqlTok::kLogic},
    {"order", SqlTok::kKeyword},     {"outer", SqlTok::kKeyword},
    {"outfile", SqlTok::kKeyword},   {"procedure", SqlTok::kKeyword},
    {"regexp", SqlTok::kCompare},    {"rlike", SqlTok::kCompare},
    {"rownum", SqlTok::kWord},       {"select", SqlTok::kSelect},
    {"set", SqlTok::kKeyword},       {"shutdown", SqlTok::kKeyword},
    {"similar", SqlTok::kCompare},   {"sounds", SqlTok::kCompare},
    {"table", SqlTok::kKeyword},     {"then", SqlTok::kKeyword},
    {"top", SqlTok::kKeyword},       {"true", SqlTok::kNumber},
    {"truncate", SqlTok::kKeyword},  {"union", SqlTok::kUnion},
    {"unknown", SqlTok::kNumber},    {"update", SqlTok::kKeyword},
    {"values", SqlTok::kKeyword},    {"waitfor", SqlTok::kKeyword},
    {"when", SqlTok::kKeyword},      {"where", SqlTok::kKeyword},
    {"xor", SqlTok::kLogic},
}};
static_assert(std::is_sorted(kWords.begin(), kWords.end(),
                             [](const WordKind& a, const WordKind& b) { return a.word < b.word; }),
              "kWords stays sorted, for the reader");

// The keywords by first letter and length: kByShape lists the indexes of kWords ordered by
// (first letter, length), and kShapes[letter][length] is the range of kByShape with that shape
// (mostly one word or none).
struct ShapeRange {
  uint8_t begin = 0;
  uint8_t end = 0;
};
static_assert(kWords.size() < 256, "kByShape holds indexes in 8 bits");
constexpr std::array<uint8_t, kWords.size()> kByShape = [] {
  std::array<uint8_t, kWords.size()> order{};
  size_t n = 0;
  for (char first = 'a'; first <= 'z'; ++first) {
    for (size_t len = 0; len < 32; ++len) {
      for (size_t i = 0; i < kWords.size(); ++i) {
        if (kWords[i].word[0] == first && kWords[i].word.size() == len) order[n++] = uint8_t(i);
      }
    }
  }
  return order;
}();
constexpr std::array<std::array<ShapeRange, 32>, 26> kShapes = [] {
  std::array<std::array<ShapeRange, 32>, 26> r{};
  for (size_t k = 0; k < kByShape.size(); ++k) {
    const std::string_view w = kWords[kByShape[k]].word;
    ShapeRange& sr = r[size_t(w[0] - 'a')][w.size()];
    if (sr.begin == sr.end) sr.begin = uint8_t(k);
    sr.end = uint8_t(k + 1);
  }
  return r;
}();

SqlTok classify_word(std::string_view w) {
  if (w.size() < 2 || w.size() > 31 || w[0] < 'a' || w[0] > 'z') return SqlTok::kWord;
  // Compared in place: this runs on every word of a value, and a library compare per
  // candidate cost more than the lexing.
  const ShapeRange r = kShapes[size_t(w[0] - 'a')][w.size()];
  for (size_t k = r.begin; k < r.end; ++k) {
    const WordKind& kw = kWords[kByShape[k]];
    size_t j = 1;
    while (j < w.size() && kw.word[j] == w[j]) ++j;
    if (j == w.size()) return kw.kind;
  }
  return SqlTok::kWord;
}

class Lexer {
 public:
  Lexer(std::string_view s, size_t max_tokens) : s_(s), max_(max_tokens) {}

  std::vector<SqlToken> run(char open_quote) {
    out_.reserve(std::min(max_, s_.size() / 4 + 4));
    if (open_quote) {
      size_t end = string_end(0, open_quote);
      bool closed = end < s_.size();
      push(SqlTok::kString, 0, closed ? end + 1 : s_.size(), closed, open_quote);
      i_ = closed ? end + 1 : s_.size();
    }
    while (i_ < s_.size() && out_.size() < max_) step();
    return std::move(out_);
  }

 private:
  // Index of the quote ending a string whose body starts at `from`, or s_.size().
  size_t string_end(size_t from, char q) const {
    for (size_t j = from; j < s_.size(); ++j) {
      if (s_[j] == '\\') {
        ++j;
      } else if (s_[j] == q) {
        if (j + 1 < s_.size() && s_[j + 1] == q) {
          ++j;  // doubled quote inside the string
        } else {
          return j;
        }
      }
    }
    return s_.size();
  }

  // "--" and "#" comments run to the end of the line (MySQL, PostgreSQL, SQL Server alike).
  void line_comment() {
    size_t end = s_.find('\n', i_);
    if (end == std::string_view::npos) end = s_.size();
    push(SqlTok::kComment, i_, end);
    i_ = end;
  }

  void push(SqlTok k, size_t from, size_t to, bool closed = true, char quote = 0) {
    out_.push_back(SqlToken{k, closed, quote, uint32_t(from), uint32_t(to)});
  }

  // An identifier, keyword or function name starting at i_.
  void word() {
    size_t j = i_;
    while (j < s_.size() &&
           (is_ident(s_[j]) || (s_[j] == '.' && j + 1 < s_.size() && is_ident_start(s_[j + 1])))) {
      ++j;
    }
    std::string_view w = s_.substr(i_, j - i_);
    // Prefixed strings: N'...', x'...', b'...', _utf8'...'.
    if (j < s_.size() && (s_[j] == '\'') &&
        (w == "n" || w == "x" || w == "b" || w == "e" || (w.size() > 1 && w[0] == '_'))) {
      i_ = j;
      return;
    }
    SqlTok kind = classify_word(w);
    if (kind == SqlTok::kWord || kind == SqlTok::kKeyword) {
      // A word followed by '(' (spaces and block comments allowed) is a function call.
      size_t k = j;
      while (k < s_.size()) {
        if (is_space(s_[k])) {
          ++k;
        } else if (s_[k] == '/' && k + 1 < s_.size() && s_[k + 1] == '*') {
          size_t e = s_.find("*/", k + 2);
          if (e == std::string_view::npos) break;
          k = e + 2;
        } else {
          break;
        }
      }
      if (k < s_.size() && s_[k] == '(' && kind == SqlTok::kWord) kind = SqlTok::kFunction;
      if (k < s_.size() && s_[k] == '(' &&
          (w == "exists" || w == "values" || w == "if" || w == "left" || w == "database" ||
           w == "insert")) {
        kind = SqlTok::kFunction;
      }
    }
    push(kind, i_, j);
    i_ = j;
  }

  void step() {
    char c = s_[i_];
    char n = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
    if (is_space(c)) {
      ++i_;
      return;
    }
    // Words first: most bytes of a value start one, and no branch below reads a word's bytes.
    if (is_ident_start(c)) {
      word();
      return;
    }
    if (c == '\'' || c == '"') {
      size_t end = string_end(i_ + 1, c);
      bool closed = end < s_.size();
      push(SqlTok::kString, i_, closed ? end + 1 : s_.size(), closed, c);
      i_ = closed ? end + 1 : s_.size();
      return;
    }
    if (c == '`' || c == '[') {
      char close = c == '`' ? '`' : ']';
      size_t end = s_.find(close, i_ + 1);
      if (c == '[' && (end == std::string_view::npos || end - i_ > 64)) {
        push(SqlTok::kOther, i_, i_ + 1);
        ++i_;
        return;
      }
      size_t stop = end == std::string_view::npos ? s_.size() : end + 1;
      // A backtick name remembers its quote, and whether it closed: in the backtick context the
      // application's own backtick closes the last one.
      push(SqlTok::kWord, i_, stop, end != std::string_view::npos, c == '`' ? '`' : 0);
      i_ = stop;
      return;
    }
    if (c == '/' && n == '*') {
      if (i_ + 2 < s_.size() && s_[i_ + 2] == '!') {
        // MySQL executable comment: its content is code; the closing */ is skipped later.
        i_ += 3;
        while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
        return;
      }
      size_t end = s_.find("*/", i_ + 2);
      bool closed = end != std::string_view::npos;
      size_t stop = closed ? end + 2 : s_.size();
      push(SqlTok::kComment, i_, stop, closed);
      i_ = stop;
      return;
    }
    if (c == '*' && n == '/') {
      i_ += 2;  // end of an executable comment
      return;
    }
    if ((c == '-' && n == '-') &&
        (i_ + 2 >= s_.size() || is_space(s_[i_ + 2]) || s_[i_ + 2] == '-' ||
         static_cast<unsigned char>(s_[i_ + 2]) < 0x20 || s_[i_ + 2] == '+')) {
      line_comment();
      return;
    }
    if (c == '#') {
      line_comment();
      return;
    }
    if (is_digit(c) || (c == '.' && is_digit(n))) {
      size_t j = i_;
      if (c == '0' && (n == 'x' || n == 'b') && i_ + 2 < s_.size() && is_ident(s_[i_ + 2])) {
        j += 2;
        while (j < s_.size() && is_ident(s_[j]) && s_[j] != '$') ++j;
      } else {
        while (j < s_.size() && (is_digit(s_[j]) || s_[j] == '.')) ++j;
        if (j < s_.size() && s_[j] == 'e' && j + 1 < s_.size() &&
            (is_digit(s_[j + 1]) || ((s_[j + 1] == '-' || s_[j + 1] == '+') && j + 2 < s_.size() &&
                                     is_digit(s_[j + 2])))) {
          j += 2;
          while (j < s_.size() && is_digit(s_[j])) ++j;
        }
      }
      push(SqlTok::kNumber, i_, j);
      i_ = j;
      return;
    }
    if (c == '@' && n == '>') {
      push(SqlTok::kCompare, i_, i_ + 2);
      i_ += 2;
      return;
    }
    if (c == '@') {
      size_t j = i_ + 1;
      if (j < s_.size() && s_[j] == '@') ++j;
      if (j < s_.size() && (s_[j] == '`' || s_[j] == '\'' || s_[j] == '"')) {
        size_t end = s_.find(s_[j], j + 1);
        j = end == std::string_view::npos ? s_.size() : end + 1;
      } else {
        while (j < s_.size() && (is_ident(s_[j]) || s_[j] == '.')) ++j;
      }
      push(SqlTok::kVariable, i_, j);
      i_ = j;
      return;
    }
    switch (c) {
      case '(':
        push(SqlTok::kLParen, i_, i_ + 1);
        ++i_;
        return;
      case ')':
        push(SqlTok::kRParen, i_, i_ + 1);
        ++i_;
        return;
      case ',':
        push(SqlTok::kComma, i_, i_ + 1);
        ++i_;
        return;
      case ';':
        push(SqlTok::kSemicolon, i_, i_ + 1);
        ++i_;
        return;
      case '.':
        push(SqlTok::kDot, i_, i_ + 1);
        ++i_;
        return;
      default:
        break;
    }
    if (c == '?' && n != '|' && n != '&' && !out_.empty() && out_.back().kind == SqlTok::kString &&
        out_.back().closed && out_.back().to == i_ - (i_ > 0 && is_space(s_[i_ - 1]))) {
      // PostgreSQL's JSON key test right after a string literal: '{"a":1}' ? 'a'.
      push(SqlTok::kCompare, i_, i_ + 1);
      ++i_;
      return;
    }
    if ((c == '<' && n == '@') || (c == '@' && n == '>') || (c == '-' && n == '>') ||
        (c == '?' && (n == '|' || n == '&'))) {
      // PostgreSQL JSON containment and extraction operators.
      size_t len = (c == '-' && i_ + 2 < s_.size() && s_[i_ + 2] == '>') ? 3 : 2;
      push(SqlTok::kCompare, i_, i_ + len);
      i_ += len;
      return;
    }
    if ((c == '|' && n == '|') || (c == '&' && n == '&')) {
      push(SqlTok::kLogic, i_, i_ + 2);
      i_ += 2;
      return;
    }
    if (c == '<' && n == '=' && i_ + 2 < s_.size() && s_[i_ + 2] == '>') {
      push(SqlTok::kCompare, i_, i_ + 3);
      i_ += 3;
      return;
    }
    if ((c == '=' || c == '!') && n == '=') {
      // "==" (SQLite), and the "===" / "!==" of probes written for several languages at once.
      size_t len = i_ + 2 < s_.size() && s_[i_ + 2] == '=' ? 3 : 2;
      push(SqlTok::kCompare, i_, i_ + len);
      i_ += len;
      return;
    }
    if ((c == '<' && (n == '>' || n == '=')) || (c == '>' && n == '=')) {
      push(SqlTok::kCompare, i_, i_ + 2);
      i_ += 2;
      return;
    }
    if (c == '=' || c == '<' || c == '>') {
      push(SqlTok::kCompare, i_, i_ + 1);
      ++i_;
      return;
    }
    if (c == '!') {
      push(SqlTok::kNot, i_, i_ + 1);
      ++i_;
      return;
    }
    if (c == ':' && n == ':') {
      push(SqlTok::kOperator, i_, i_ + 2);  // PostgreSQL cast
      i_ += 2;
      return;
    }
    if (c == ':' && n == '=') {
      push(SqlTok::kOperator, i_, i_ + 2);
      i_ += 2;
      return;
    }
    if (c == '+' || c == '-' || c == '*' || c == '/' || c == '%' || c == '&' || c == '|' ||
        c == '^' || c == '~') {
      push(SqlTok::kOperator, i_, i_ + 1);
      ++i_;
      return;
    }
    push(SqlTok::kOther, i_, i_ + 1);
    ++i_;
  }

  std::string_view s_;
  size_t max_;
  size_t i_ = 0;
  std::vector<SqlToken> out_;
};

}  // namespace

std::vector<SqlToken> sql_lex(std::string_view text, char open_quote, size_t max_tokens) {
  return Lexer(text, max_tokens).run(open_quote);
}

}  // namespace rampart::waf
