#include "waf/detect/js_tokenizer.h"

namespace rampart::waf {
namespace {

bool ident_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0x80;
}
bool ident_part(unsigned char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

std::vector<JsToken> js_tokens(std::string_view s, size_t max_tokens) {
  std::vector<JsToken> out;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n && out.size() < max_tokens) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c <= 0x20) {
      ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      size_t e = s.find("*/", i + 2);
      i = e == std::string_view::npos ? n : e + 2;
      continue;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '/') {
      size_t e = s.find_first_of("\n\r", i + 2);
      i = e == std::string_view::npos ? n : e + 1;
      continue;
    }
    size_t from = i;
    JsKind kind;
    if (c == '"' || c == '\'' || c == '`') {
      kind = c == '`' ? JsKind::kTemplate : JsKind::kString;
      ++i;
      while (i < n && s[i] != static_cast<char>(c)) i += (s[i] == '\\' && i + 1 < n) ? 2 : 1;
      i = i < n ? i + 1 : n;
    } else if (ident_start(c)) {
      kind = JsKind::kIdent;
      while (i < n && ident_part(static_cast<unsigned char>(s[i]))) ++i;
    } else if (c >= '0' && c <= '9') {
      kind = JsKind::kNumber;
      while (i < n && (ident_part(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    } else {
      kind = JsKind::kPunct;
      ++i;
    }
    out.push_back(JsToken{kind, s.substr(from, i - from), from});
  }
  return out;
}

}  // namespace rampart::waf
