#pragma once
// A SQL lexer tolerant enough for fragments: it reads any bytes, never fails, and folds the
// dialects attackers use (MySQL, PostgreSQL, SQL Server, Oracle, SQLite) into one token stream.
// MySQL executable comments ("/*!50000 union*/") are read as code, other comments become
// kComment tokens. Written here: no maintained C++ library lexes SQL fragments for detection.

#include <cstdint>
#include <string_view>
#include <vector>

namespace rampart::waf {

enum class SqlTok : uint8_t {
  kString,   // '...', "...", with `closed` false when the input ends inside it
  kNumber,   // 12, 1.5e3, 0x1f, 0b101
  kWord,     // identifier or unknown word (also `backticked` and [bracketed])
  kKeyword,  // a SQL keyword other than the ones below
  kUnion,
  kSelect,
  kFunction,  // word directly followed by '(' (comments allowed between)
  kLogic,     // and, or, xor, &&, ||
  kNot,       // not, !
  kCompare,   // = <> != < > <= >= <=> like rlike regexp is in between sounds
  kOperator,  // + - * / % & | ^ ~ :=
  kLParen,
  kRParen,
  kComma,
  kSemicolon,
  kDot,
  kVariable,  // @x, @@x
  kComment,   // -- ..., # ..., /* ... */
  kOther,     // any other byte
};

struct SqlToken {
  SqlTok kind;
  bool closed = true;  // strings, block comments, `names`: the terminator was seen
  char quote = 0;      // strings: the quote character; names: '`' when backticked
  uint32_t from = 0;   // offsets in the lexed text
  uint32_t to = 0;
};

// Lexes lower-cased `text`. When `open_quote` is ', " or `, the text is read as if it continued a
// string literal opened by the application: the first token is that string, up to the first
// unescaped quote. At most `max_tokens` tokens are produced.
std::vector<SqlToken> sql_lex(std::string_view text, char open_quote, size_t max_tokens = 256);

}  // namespace rampart::waf
