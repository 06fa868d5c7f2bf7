// The XSS detector's JavaScript rules: the value read as JavaScript tokens (js_tokenizer.h), as
// the engine would read it once injected, comments and whitespace aside.

#include <vector>

#include "waf/detect/js_tokenizer.h"
#include "waf/detect/xss_rules.h"

namespace rampart::waf::xss {
namespace {

// Globals that scripts index to reach a function by a computed name.
constexpr std::string_view kGlobals[] = {"self",       "window",   "top",  "parent",  "frames",
                                         "globalthis", "document", "this", "content", "opener"};

// Functions whose call is code being run or smuggled, wherever the call starts a statement.
constexpr std::string_view kCallSinks[] = {
    "eval", "settimeout", "setinterval", "setimmediate", "execscript", "atob",
    "btoa", "alert",      "prompt",      "confirm",      "fetch",      "importscripts"};

bool statement_start(std::string_view t, const std::vector<JsToken>& tk, size_t i) {
  if (i == 0) return true;
  const JsToken& p = tk[i - 1];
  if (p.kind != JsKind::kPunct) return p.ident("return") || p.ident("void") || p.ident("new");
  // "-alert(1)-" breaks out of a string; "pre-fetch(x)" is a hyphenated word.
  if ((p.is('-') || p.is('+')) && p.from > 0 && is_word_char(t[p.from - 1])) return false;
  return find_any(p.text, ";,=({}:?!&|+-*") != std::string_view::npos;
}

// The tokens of a call's arguments read as JavaScript: two names in a row ("fetch (or pull)")
// are prose, since arguments separate names with operators or commas.
bool code_arguments(const std::vector<JsToken>& tk, size_t open) {
  int depth = 0;
  for (size_t j = open; j < tk.size() && j < open + 48; ++j) {
    if (tk[j].is('(')) ++depth;
    if (tk[j].is(')') && --depth == 0) return true;
    if (j > open && tk[j].kind == JsKind::kIdent && tk[j - 1].kind == JsKind::kIdent) {
      std::string_view w = tk[j - 1].text;
      if (w != "new" && w != "typeof" && w != "void" && w != "await" && w != "in" &&
          w != "instanceof" && w != "of" && w != "return" && w != "delete" && w != "function")
        return false;
    }
  }
  return true;
}

}  // namespace

void script_tokens(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  std::vector<JsToken> tk = js_tokens(t.substr(0, 4096), 256);
  for (size_t i = 0; i < tk.size(); ++i) {
    if (tk[i].kind != JsKind::kIdent) continue;
    std::string_view id = tk[i].text;
    if (in_list(kGlobals, id)) {
      size_t j = i + 1;
      if (i > 0 && tk[i - 1].is('(') && j < tk.size() && tk[j].is(')')) ++j;
      if (j + 1 < tk.size() && tk[j].is('[')) {
        const JsToken& k = tk[j + 1];
        bool computed =
            k.literal() || (k.kind == JsKind::kIdent && j + 2 < tk.size() && tk[j + 2].is('('));
        if (computed) {
          out.push_back(Hit{AttackClass::kXss, 8, kCertain, tk[i].from, tk[i].from + kMaxFragment,
                            "obfuscated script access"});
          return;
        }
      }
    }
    // The call needs something after its '(' ("eval(" alone is a word in a path).
    if (in_list(kCallSinks, id) && i + 2 < tk.size() && tk[i + 1].is('(') &&
        statement_start(t, tk, i) && !(i > 0 && tk[i - 1].is('.')) && code_arguments(tk, i + 1)) {
      out.push_back(
          Hit{AttackClass::kXss, 7, kLikely, tk[i].from, tk[i].from + kMaxFragment, "script call"});
      return;
    }
    if (id == "import" && statement_start(t, tk, i) && i + 1 < tk.size()) {
      // import {a, b} from "m"; import x from "m"; import * as x from "m"; import "m"
      size_t j = i + 1;
      if (tk[j].is('{')) {
        while (j < tk.size() && j < i + 40 && !tk[j].is('}')) ++j;
        ++j;
      } else if (tk[j].is('*') && j + 2 < tk.size() && tk[j + 1].ident("as")) {
        j += 3;
      } else if (tk[j].kind == JsKind::kIdent) {
        ++j;
      }
      bool from = j + 1 < tk.size() && tk[j].ident("from") && tk[j + 1].kind == JsKind::kString;
      bool bare = j == i + 1 && tk[j].kind == JsKind::kString && tk.size() <= i + 3;
      if (from || bare) {
        out.push_back(Hit{AttackClass::kXss, 6, kLikely, tk[i].from, tk[i].from + kMaxFragment,
                          "module import"});
        return;
      }
    }
  }
}

void string_breakout_assignment(std::string_view t, Hits& out) {
  // Backticks are Markdown's code spans far more often than template strings to leave.
  size_t q = skip_spaces(t, 0);
  if (q >= t.size() || (t[q] != '"' && t[q] != '\'')) return;
  size_t i = skip_spaces(t, q + 1);
  bool op = false;
  if (i < t.size() && find_any(t.substr(i, 1), ";,+|&)") != std::string_view::npos) {
    op = true;
    i = skip_spaces(t, i + 1);
  } else if (t.compare(i, 3, "in ") == 0 || t.compare(i, 11, "instanceof ") == 0) {
    op = true;
    i = skip_spaces(t, t.find(' ', i));
  }
  size_t chain = i;
  bool dotted = false;
  while (i < t.size() && (is_word_char(t[i]) || t[i] == '$')) {
    while (i < t.size() && (is_word_char(t[i]) || t[i] == '$')) ++i;
    if (i + 1 < t.size() && t[i] == '.' && (is_word_char(t[i + 1]) || t[i + 1] == '$')) {
      dotted = true;
      ++i;
    }
  }
  if (i == chain || (!op && !dotted)) return;
  size_t eq = skip_spaces(t, i);
  if (eq >= t.size() || t[eq] != '=' || (eq + 1 < t.size() && t[eq + 1] == '=')) return;
  // The value stops at the assignment (a probe for the filter), or assigns code; a quoted
  // setting in prose ("\"gitcvs.enabled = true\"") does neither.
  std::string_view rhs = t.substr(eq + 1);
  size_t at;
  if (skip_spaces(t, eq + 1) == t.size() || has_sink(rhs, &at) ||
      rhs.find('(') != std::string_view::npos) {
    out.push_back(Hit{AttackClass::kXss, 7, kLikely, q, eq + 1, "script string breakout"});
  }
}

}  // namespace rampart::waf::xss
