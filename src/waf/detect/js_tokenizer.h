#pragma once
// A JavaScript tokenizer for fragments: identifiers, string and template literals, numbers and
// punctuation, with whitespace and comments dropped, as the engine reads them. Tolerant of
// fragments: an unterminated string or comment runs to the end of the text. Written here: the
// detectors need the token stream of a few hundred bytes of a value, not a parser (esprima,
// QuickJS) that rejects the partial code an injection is.

#include <cstddef>
#include <string_view>
#include <vector>

namespace rampart::waf {

enum class JsKind : unsigned char { kIdent, kString, kTemplate, kNumber, kPunct };

struct JsToken {
  JsKind kind;
  std::string_view text;  // the token as written (strings with their quotes)
  size_t from = 0;        // offset in the text

  bool is(char punct) const {
    return kind == JsKind::kPunct && text.size() == 1 && text[0] == punct;
  }
  bool ident(std::string_view name) const { return kind == JsKind::kIdent && text == name; }
  bool literal() const { return kind == JsKind::kString || kind == JsKind::kTemplate; }
};

// Tokens of `text` (read as lower-cased input by the detectors), at most max_tokens.
std::vector<JsToken> js_tokens(std::string_view text, size_t max_tokens = 512);

}  // namespace rampart::waf
