// Undoing the evasions a shell allows inside words (see shell_syntax.h). Written by hand: no
// library parses shell words for a filter's purpose (wordexp(3) would run the expansions).

#include <algorithm>
#include <string>

#include "waf/detect/detector.h"
#include "waf/detect/shell_syntax.h"

namespace rampart::waf::shell {
namespace {

size_t expand_braces(std::string_view in, size_t open, std::string& out, size_t* first_evasion);

}  // namespace

std::string unshell(std::string_view in, size_t* first_evasion) {
  *first_evasion = std::string::npos;
  auto mark = [&](size_t at) {
    if (*first_evasion == std::string::npos) *first_evasion = at;
  };
  std::string out;
  out.reserve(in.size());
  // Where brace lists can be: computed once, so that each '{' and ',' is judged in constant time
  // (a value of commas would otherwise cost a scan per comma).
  const size_t last_close = in.rfind('}');
  const size_t last_comma = in.rfind(',');
  bool quote_open = false;  // a removed quote waits for its partner
  for (size_t i = 0; i < in.size(); ++i) {
    // Ordinary characters are copied a run at a time.
    size_t run = i;
    while (run < in.size() && in[run] != '\\' && in[run] != '\'' && in[run] != '"' &&
           in[run] != '$' && in[run] != '{' && in[run] != '`' && in[run] != '<' && in[run] != '>') {
      ++run;
    }
    if (run > i) {
      out.append(in.data() + i, run - i);
      i = run;
      if (i >= in.size()) break;
    }
    char c = in[i];
    // Empty substitutions glued to a word: "ping``", "pi<()ng", "pi>()ng".
    if (i > 0 && is_word_char(in[i - 1]) &&
        (in.compare(i, 2, "``") == 0 || in.compare(i, 3, "<()") == 0 ||
         in.compare(i, 3, ">()") == 0)) {
      mark(out.size());
      i += in[i] == '`' ? 1 : 2;
      continue;
    }
    // "\n" and "\r" written out before a non-letter are the line breaks a layer that decodes C
    // escapes hands to the shell (";\n.shell id").
    if (c == '\\' && i + 1 < in.size() && (in[i + 1] == 'n' || in[i + 1] == 'r') &&
        (i + 2 >= in.size() || !is_word_char(in[i + 2]))) {
      out.push_back('\n');
      ++i;
      continue;
    }
    if (c == '\\' && i + 1 < in.size() && in[i + 1] != '\n') {
      if (is_word_char(in[i + 1])) mark(out.size());
      continue;  // the next character is taken literally
    }
    if (c == '\'' || c == '"') {
      // A quote the shell would remove has its partner in the same word ("c'a't"); a lone one
      // inside a word is an apostrophe ("I'd", "O'Brien") and stays, or prose would read as
      // commands ("id").
      size_t partner = i + 1;
      while (partner < in.size() && in[partner] != c && in[partner] != ' ' && in[partner] != '\t' &&
             in[partner] != '\n')
        ++partner;
      bool paired = partner < in.size() && in[partner] == c;
      bool inside_word =
          i > 0 && i + 1 < in.size() && is_word_char(in[i - 1]) && is_word_char(in[i + 1]);
      if (inside_word && !paired && !quote_open) {
        out.push_back(c);
        continue;
      }
      // A quoted piece glued to a word ("'-'9", "e't'c", "\"\"p") only splits the word.
      bool glued = paired && !quote_open &&
                   ((i > 0 && is_word_char(in[i - 1])) ||
                    (partner + 1 < in.size() && is_word_char(in[partner + 1])) || partner == i + 1);
      if (inside_word || glued) mark(out.size());
      quote_open = !quote_open;
      continue;
    }
    if (c == '$' && i + 1 < in.size()) {
      std::string_view rest = in.substr(i);
      bool glued_left = i > 0 && is_word_char(in[i - 1]);
      // Special parameters ("$@", "$!", "$$", "$1") expand to nothing useful inside a word:
      // "c$!at", "una$$me", "w$@hoami".
      if (std::string_view("@*!?-_$#0123456789").find(rest[1]) != std::string_view::npos &&
          (rest[1] == '@' || rest[1] == '*' || glued_left ||
           (rest.size() > 2 && is_word_char(rest[2])))) {
        mark(out.size());
        ++i;
        continue;
      }
      // Empty substitutions: "pi$()ng".
      if (rest.substr(0, 3) == "$()") {
        mark(out.size());
        i += 2;
        continue;
      }
      // ANSI-C and locale quoting: "$'whoami'" is the word whoami.
      if (rest[1] == '\'' || rest[1] == '"') {
        mark(out.size());
        continue;
      }
      // "uname$u", "sh$XX": an unset variable glued to a word splits a command name.
      if (glued_left && is_word_char(rest[1]) && !(rest[1] >= '0' && rest[1] <= '9')) {
        size_t e = 1;
        while (e < rest.size() && e < 34 && is_word_char(rest[e])) ++e;
        mark(out.size());
        i += e - 1;
        continue;
      }
      if (rest.substr(0, 6) == "${ifs}" || rest.substr(0, 4) == "$ifs") {
        mark(out.size());
        out.push_back(' ');
        i += rest[1] == '{' ? 5 : 3;
        continue;
      }
      // "c${kk}url": a variable expanded inside a word, empty when unset, splits a command name.
      if (rest.size() > 3 && rest[1] == '{' && i > 0 && is_word_char(in[i - 1])) {
        size_t close = 2;
        while (close < rest.size() && close < 34 && is_word_char(rest[close])) ++close;
        if (close > 2 && close < rest.size() && rest[close] == '}') {
          mark(out.size());
          i += close;
          continue;
        }
      }
    }
    if (c == '{' && last_comma != std::string_view::npos && last_comma > i &&
        last_close != std::string_view::npos && last_close > i) {
      size_t consumed = expand_braces(in, i, out, first_evasion);
      if (consumed) {
        i += consumed - 1;
        continue;
      }
    }
    out.push_back(c);
  }
  return out;
}

namespace {

// Bash brace expansion of the list that opens at in[open], written to `out` in place of the
// word's prefix already copied there: "c{a,oun}t" -> "cat count", "{,ip,a}" -> "ip a",
// "{cat,/etc/passwd}" -> "cat /etc/passwd". Returns the input bytes consumed from `open` (through
// the word's suffix), 0 when in[open] opens no list. Only what prose never writes (a list glued
// to a word, an empty member, a member that is an option, a path or an expansion) marks evasion.
size_t expand_braces(std::string_view in, size_t open, std::string& out, size_t* first_evasion) {
  size_t close = open + 1;
  bool comma = false;
  while (close < in.size() && close - open < 96 && in[close] != '}') {
    char c = in[close];
    if (is_blank(c) || c == '{' || c == '\n' || c == '\r') return 0;
    comma = comma || c == ',';
    ++close;
  }
  if (close >= in.size() || in[close] != '}' || !comma) return 0;
  size_t suffix_end = close + 1;
  while (suffix_end < in.size() && suffix_end - close < 64 && !is_blank(in[suffix_end]) &&
         !is_sep(in[suffix_end]))
    ++suffix_end;
  size_t word_start = out.size();
  while (word_start > 0 && !is_blank(out[word_start - 1]) && !is_sep(out[word_start - 1]))
    --word_start;
  std::string prefix = out.substr(word_start);
  std::string_view suffix = in.substr(close + 1, suffix_end - close - 1);
  std::string_view list = in.substr(open + 1, close - open - 1);
  out.resize(word_start);
  bool shell_only = !prefix.empty() || !suffix.empty();
  bool first = true;
  for (size_t from = 0; from <= list.size();) {
    size_t to = std::min(list.find(',', from), list.size());
    std::string_view alt = list.substr(from, to - from);
    shell_only = shell_only || alt.empty() || alt[0] == '-' || alt[0] == '/' || alt[0] == '$';
    size_t inner = std::string::npos;
    std::string word = prefix + unshell(alt, &inner) + std::string(suffix);
    shell_only = shell_only || inner != std::string::npos;
    if (!word.empty()) {
      if (!first) out.push_back(' ');
      out += word;
      first = false;
    }
    from = to + 1;
  }
  if (shell_only && *first_evasion == std::string::npos) *first_evasion = word_start;
  return suffix_end - open;
}

}  // namespace
}  // namespace rampart::waf::shell
