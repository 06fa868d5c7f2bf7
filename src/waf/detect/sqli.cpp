// SQL injection: the value is lexed as SQL in each context an injection can start from (bare,
// as a number, after a single quote, a double quote or a backtick), and token sequences that
// form SQL are scored: a break-out followed by a boolean, a clause or a comment, tautologies
// between literals, UNION SELECT and its siblings, stacked statements, time and file functions,
// and the fragments probes send alone: a call of a built-in cut off at "(", a condition that
// opens with AND/OR and ends where the application's text takes over, a clause or statement
// that opens the value (FROM t WHERE ..., SET @x, VALUES (...)), CASE WHEN ... THEN. Keywords
// alone score nothing, so prose that uses SQL words ("union was a great select") passes, and
// code pasted in a comment field ("len(x) == 1", "'<td>'") reads as code.

#include <algorithm>
#include <array>
#include <span>

#include "waf/detect/detector.h"
#include "waf/detect/sql_lexer.h"
#include "waf/detect/sql_words.h"
#include "waf/detect/sqli_paranoid.h"

namespace rampart::waf {
namespace {

using namespace sql_words;  // NOLINT: the detector's own vocabulary

// Whether w starts with p, compared in place (on every word of a value; a library compare per
// call cost more than the rest of the word's checks).
inline bool starts(std::string_view w, std::string_view p) {
  if (w.size() < p.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (w[i] != p[i]) return false;
  }
  return true;
}

struct Evidence {
  int score = 0;
  int level = kSuspicious;
  size_t from = 0;
  std::string_view reason;
  int rules = 0;

  void add(int s, int l, size_t at, std::string_view why) {
    ++rules;
    if (s > score || (s == score && l < level)) {
      score = s;
      level = l;
      from = at;
      reason = why;
    }
  }
};

class Scorer {
 public:
  Scorer(std::string_view lower, const std::vector<SqlToken>& all, char context)
      : s_(lower), context_(context), all_(all) {
    // Without comments (most values) the scorer reads the lexer's tokens in place.
    bool comments = std::any_of(all.begin(), all.end(),
                                [](const SqlToken& t) { return t.kind == SqlTok::kComment; });
    if (!comments) {
      t_ = std::span<const SqlToken>(all.data(), all.size());
      comment_after_.assign(all.size(), 0);
      comment_at_.assign(all.size(), 0);
      return;
    }
    owned_.reserve(all.size());
    comment_after_.reserve(all.size());
    comment_at_.reserve(all.size());
    for (const SqlToken& t : all) {
      if (t.kind == SqlTok::kComment) {
        if (!owned_.empty()) {
          comment_after_.back() = true;
          comment_at_.back() = t.from;
        } else {
          leading_comment_ = true;
        }
        continue;
      }
      owned_.push_back(t);
      comment_after_.push_back(false);
      comment_at_.push_back(0);
    }
    t_ = std::span<const SqlToken>(owned_.data(), owned_.size());
  }
  // t_ may view owned_: not copied.
  Scorer(const Scorer&) = delete;
  Scorer& operator=(const Scorer&) = delete;

  Evidence run() {
    Evidence ev;
    size_t n = t_.size();
    if (n == 0) return ev;
    bool quoted = context_ != 0;
    // A quote context only makes sense when the value really closed the string.
    if (quoted && (!t_[0].closed || t_[0].kind != SqlTok::kString)) return ev;
    // A backtick closes an identifier ("id` from", "`"), not a sentence: text up to a backtick
    // with spaces in it is Markdown's inline code ("the bug is in `if (a < b)`").
    if (context_ == '`' && text(t_[0]).find_first_of(" \t\n") != std::string_view::npos) return ev;

    for (size_t i = 0; i < n; ++i) {
      const SqlToken& t = t_[i];
      std::string_view w = text(t);
      switch (t.kind) {
        case SqlTok::kUnion: {
          size_t j = i + 1;
          while (j < n && (kind(j) == SqlTok::kLParen ||
                           (kind(j) == SqlTok::kKeyword &&
                            (text(t_[j]) == "all" || text(t_[j]) == "distinct")))) {
            ++j;
          }
          if (j < n && kind(j) == SqlTok::kSelect) {
            // "union select example in the docs": a word then more prose is someone writing
            // about SQL; a select list (a literal, a call, a column then ',' or FROM) is SQL.
            size_t k = j + 1;
            while (k < n && kind(k) == SqlTok::kKeyword &&
                   (text(t_[k]) == "all" || text(t_[k]) == "distinct" || text(t_[k]) == "top"))
              ++k;
            bool prose = k + 1 < n && kind(k) == SqlTok::kWord && !comment_after_[k] &&
                         (kind(k + 1) == SqlTok::kWord || kind(k + 1) == SqlTok::kCompare ||
                          kind(k + 1) == SqlTok::kLogic);
            if (prose)
              ev.add(4, kSuspicious, t.from, "union select in prose");
            else
              ev.add(10, kCertain, t.from, "union select");
          } else if (i > 0 && (literal(i - 1) || kind(i - 1) == SqlTok::kRParen) &&
                     (comment_after_[j - 1] || (j > i + 1 && kind(j) == SqlTok::kLParen) ||
                      (j >= n && kind(i - 1) != SqlTok::kString))) {
            // "-1 union", "-1 union all (", "1 union all--": a union started after a value.
            // "9'union all" ending the value leaves the application's quote nothing to close.
            ev.add(6, kLikely, t.from, "union after value");
          }
          break;
        }
        case SqlTok::kSelect:
          select_rule(i, ev);
          break;
        case SqlTok::kSemicolon:
          stacked_rule(i, ev);
          break;
        case SqlTok::kLogic:
          logic_rule(i, ev);
          break;
        case SqlTok::kFunction:
          function_rule(i, ev);
          break;
        case SqlTok::kKeyword:
          keyword_rule(i, ev);
          break;
        case SqlTok::kVariable:
          if (w.size() > 2 && w.substr(0, 2) == "@@" && i > 0 && operator_before(i)) {
            ev.add(7, kCertain, t.from, "system variable");
          } else if (w.size() > 2 && w.substr(0, 2) == "@@") {
            ev.add(5, kLikely, t.from, "system variable");
          }
          break;
        case SqlTok::kWord:
          // `information_schema`, information_schema.tables: the catalog is the first part.
          // (Words shorter than any catalog skip the searches: this runs on every word.)
          if (w.size() >= 6 && w[0] == '`') w = w.substr(1, w.size() - 1 - (t.closed ? 1 : 0));
          if (size_t dot = w.size() > 6 ? w.find('.', 6) : std::string_view::npos;
              dot != std::string_view::npos && !in_sorted(kCatalogs, w)) {
            w = w.substr(0, dot);
          }
          // Every catalog name has '_' or '.', or starts with "sys" / "msys".
          if (w.size() >= 6 && w != "dual" &&
              (std::any_of(w.begin(), w.end(), [](char c) { return c == '_' || c == '.'; }) ||
               starts(w, "sys") || starts(w, "msys")) &&
              in_sorted(kCatalogs, w)) {
            // Named where SQL names a table ("from pg_catalog.x", "(select .. sysobjects"); in a
            // sentence ("see the pg_catalog docs") it is a mention.
            bool sql_place = i > 0 && (text(t_[i - 1]) == "from" || text(t_[i - 1]) == "join" ||
                                       text(t_[i - 1]) == "into" || kind(i - 1) == SqlTok::kComma ||
                                       kind(i - 1) == SqlTok::kLParen);
            if (sql_place)
              ev.add(8, kCertain, t.from, "system catalog");
            else
              ev.add(4, kSuspicious, t.from, "system catalog");
          } else if (starts(w, "xp_") || starts(w, "sp_")) {
            if (i > 0 && text(t_[i - 1]) == "exec") ev.add(9, kCertain, t.from, "stored procedure");
          }
          break;
        case SqlTok::kCompare:
          compare_rule(i, ev);
          break;
        case SqlTok::kOperator:
          if (w == "::") cast_rule(i, ev);
          break;
        default:
          break;
      }
    }
    glued_comment_rule(ev);
    if (quoted) {
      breakout_rule(ev);
      quote_led_rule(ev);
    } else {
      cut_off_call_rule(ev);
      statement_start_rule(ev);
      tautology_rule(ev);
      parenthesis_breakout_rule(ev);
    }
    expression_rule(ev);
    if (ev.rules > 1 && ev.score > 0 && ev.score < 10) ++ev.score;
    return ev;
  }

 private:
  SqlTok kind(size_t i) const { return i < t_.size() ? t_[i].kind : SqlTok::kOther; }
  std::string_view text(const SqlToken& t) const { return s_.substr(t.from, t.to - t.from); }
  bool literal(size_t i) const {
    SqlTok k = kind(i);
    if (k == SqlTok::kWord) {
      // SQL's niladic functions read as values: "1=system_user", "or current_user".
      std::string_view w = text(t_[i]);
      return w.size() >= 8 && (w[0] == 'c' || w[0] == 's' || w[0] == 'l' || w[0] == 'u') &&
             in_list(kNiladic, w);
    }
    return i < t_.size() &&
           (k == SqlTok::kNumber || k == SqlTok::kString || k == SqlTok::kVariable);
  }
  bool operator_before(size_t i) const {
    if (i == 0) return true;
    SqlTok k = kind(i - 1);
    return k == SqlTok::kLogic || k == SqlTok::kCompare || k == SqlTok::kOperator ||
           k == SqlTok::kComma || k == SqlTok::kLParen || k == SqlTok::kSelect ||
           k == SqlTok::kNot || (k == SqlTok::kString && context_ && i == 1);
  }

  // Whether what follows a call ending before j continues an expression (a comparison, an
  // operator, a closing parenthesis, a comment, the end) rather than prose:
  // "and ord(mid(user(),1,1))>100" against "and ord('A') for the reverse".
  bool part_of_expression(size_t j) const {
    if (j >= t_.size() || (j > 0 && comment_after_[j - 1])) return true;
    SqlTok k = kind(j);
    return k == SqlTok::kCompare || k == SqlTok::kOperator || k == SqlTok::kRParen ||
           k == SqlTok::kComment || k == SqlTok::kSemicolon || k == SqlTok::kLogic ||
           k == SqlTok::kComma || k == SqlTok::kUnion;
  }

  // End (exclusive) of one operand starting at i: unary operators, then a literal, a word
  // (a.b), a call or a parenthesised expression. Returns 0 when there is no operand.
  // PostgreSQL casts belong to their operand: '{"a":1}'::jsonb, (x)::int.
  size_t skip_casts(size_t j) const {
    while (j + 1 < t_.size() && kind(j) == SqlTok::kOperator && text(t_[j]) == "::" &&
           (kind(j + 1) == SqlTok::kWord || kind(j + 1) == SqlTok::kKeyword)) {
      j += 2;
    }
    return j;
  }

  size_t operand_end(size_t i) const {
    size_t n = t_.size();
    while (i < n &&
           (kind(i) == SqlTok::kNot ||
            (kind(i) == SqlTok::kOperator && (text(t_[i]) == "-" || text(t_[i]) == "+" ||
                                              text(t_[i]) == "~" || text(t_[i]) == "binary")))) {
      ++i;
    }
    if (i >= n) return 0;
    SqlTok k = kind(i);
    if (k == SqlTok::kNumber || k == SqlTok::kString || k == SqlTok::kVariable ||
        k == SqlTok::kWord) {
      size_t j = i + 1;
      while (j + 1 < n && kind(j) == SqlTok::kDot &&
             (kind(j + 1) == SqlTok::kWord || kind(j + 1) == SqlTok::kNumber)) {
        j += 2;
      }
      // PostgreSQL subscripts and arrays: array[id], arr[1].
      if (j < n && kind(j) == SqlTok::kWord && s_[t_[j].from] == '[' && t_[j].from == t_[j - 1].to)
        ++j;
      return skip_casts(j);
    }
    if (k == SqlTok::kFunction || k == SqlTok::kLParen) {
      size_t j = k == SqlTok::kFunction ? i + 1 : i;
      if (kind(j) != SqlTok::kLParen) return j;
      int depth = 0;
      for (; j < n; ++j) {
        if (kind(j) == SqlTok::kLParen) ++depth;
        if (kind(j) == SqlTok::kRParen && --depth == 0) return skip_casts(j + 1);
      }
      return n;  // unclosed: the application's text would close it
    }
    return 0;
  }

  bool has_closing(size_t i) const {
    int depth = 0;
    for (size_t k = i; k < t_.size(); ++k) {
      if (kind(k) == SqlTok::kLParen) ++depth;
      if (kind(k) == SqlTok::kRParen && --depth == 0) return true;
    }
    return false;
  }

  struct ExprStats {
    int binops = 0;
    int logic = 0;
    int literal_compares = 0;      // comparisons with a literal on one side at least
    int constant_compares = 0;     // comparisons of two literals ("1=1", "-8=3")
    int words = 0;                 // bare identifiers (column names or prose)
    int symbol_compares = 0;       // comparisons written with symbols (=, !=, <), not words
    int sql_literal_compares = 0;  // with a literal side, in SQL's symbols (= != <>, not ==)
    int sql_compares = 0;          // comparisons only SQL writes: != <> <=> like regexp is not ...
    int same_compares = 0;         // a literal compared with the same literal ("1=1", "42 like 42")
    int equal_compares = 0;        // literals compared with "=" or "=="
  };

  bool binary_operator(size_t k) const {
    SqlTok kk = kind(k);
    if (kk == SqlTok::kCompare || kk == SqlTok::kLogic) return true;
    if (kk == SqlTok::kOperator) {
      std::string_view w = text(t_[k]);
      return w != "~";
    }
    // "not like", "not in", "not between", "not regexp"
    return kk == SqlTok::kNot && kind(k + 1) == SqlTok::kCompare;
  }

  // An expression: operand (binary-operator operand)*. Returns its end, 0 when none.
  size_t parse_expr(size_t i, ExprStats* st) const {
    size_t e = operand_end(i);
    if (e == 0) return 0;
    size_t first = i;
    while (first < e && (kind(first) == SqlTok::kNot || kind(first) == SqlTok::kOperator)) ++first;
    if (kind(first) == SqlTok::kWord) ++st->words;
    bool prev_literal =
        literal(first) || kind(first) == SqlTok::kFunction || kind(first) == SqlTok::kLParen;
    size_t prev_first = first;
    while (e < t_.size() && binary_operator(e)) {
      size_t k = e;
      if (kind(k) == SqlTok::kNot) ++k;
      SqlTok op = kind(k);
      std::string_view opw = text(t_[k]);
      size_t next = k + 1;
      // "sounds like", "is not", "not in"
      while (next < t_.size() && (kind(next) == SqlTok::kCompare || kind(next) == SqlTok::kNot) &&
             operand_end(next) == 0)
        ++next;
      size_t ne = operand_end(next);
      if (ne == 0) break;
      size_t f2 = next;
      while (f2 < ne && (kind(f2) == SqlTok::kNot || kind(f2) == SqlTok::kOperator)) ++f2;
      bool lit = literal(f2) || kind(f2) == SqlTok::kFunction || kind(f2) == SqlTok::kLParen;
      if (kind(f2) == SqlTok::kWord) ++st->words;
      ++st->binops;
      if (op == SqlTok::kLogic) ++st->logic;
      if (op == SqlTok::kCompare && (lit || prev_literal)) ++st->literal_compares;
      if (op == SqlTok::kCompare && lit && prev_literal) {
        ++st->constant_compares;
        bool same = ne == f2 + 1 && e == prev_first + 1 && text(t_[f2]) == text(t_[prev_first]);
        // Negated ("!=", "not regexp", "is not") a comparison of the same literal is false.
        bool negated = k != e || opw == "!=" || opw == "!==" || opw == "<>" ||
                       (opw == "is" && kind(k + 1) == SqlTok::kNot);
        if (same && !negated) ++st->same_compares;
        if (opw == "=" || opw == "==") ++st->equal_compares;
        // SQL's IS takes NULL, TRUE, FALSE or NOT; "max(3, 4) is 4" is a sentence.
        std::string_view rhs = text(t_[f2]);
        bool is_sql = opw != "is" || kind(k + 1) == SqlTok::kNot || rhs == "null" ||
                      rhs == "true" || rhs == "false" || rhs == "unknown";
        if (opw != "=" && opw != "==" && opw != "<" && opw != ">" && opw != "<=" && opw != ">=" &&
            is_sql && !(same && negated)) {
          ++st->sql_compares;
        }
      }
      if (op == SqlTok::kCompare && !opw.empty() && !is_word_char(opw[0])) ++st->symbol_compares;
      if (op == SqlTok::kCompare && (lit || prev_literal) && !opw.empty() &&
          !is_word_char(opw[0]) && opw != "==" && opw != "===" && opw != "!==") {
        ++st->sql_literal_compares;
      }
      if (op == SqlTok::kCompare && opw == "between" && kind(ne) == SqlTok::kLogic) {
        size_t ne2 = operand_end(ne + 1);
        if (ne2 != 0) ne = ne2;
      }
      prev_literal = lit;
      prev_first = f2;
      e = ne;
    }
    return e;
  }

  // "or 1=1", "and 2771=1709)", "AND deleted = 0)", "|| langCode == '", "&&(e===", "xor 5-": a
  // value that opens with a boolean continues a WHERE clause, often cut off where the
  // application's own text takes over (an operator or an open quote at the end).
  void continuation_rule(Evidence& ev) {
    size_t n = t_.size();
    size_t i = 1;
    while (i < n && kind(i) == SqlTok::kLParen && !has_closing(i)) ++i;
    size_t limit = n;
    if (i < n && kind(i) == SqlTok::kLParen && operand_end(i) == n) {
      ++i;  // "&&(l=!0)": one group that holds the condition
      limit = n - 1;
    }
    if (i >= n) return;
    ExprStats st;
    size_t e = parse_expr(i, &st);
    if (e == 0) return;
    bool cut = e + 1 == n && (kind(e) == SqlTok::kCompare || kind(e) == SqlTok::kOperator);
    bool open_end =
        e >= n && st.binops > 0 &&
        ((kind(n - 1) == SqlTok::kString && !t_[n - 1].closed) || (kind(n - 1) == SqlTok::kLParen));
    bool ends = e >= limit || kind(e) == SqlTok::kRParen || terminating_comment(e - 1) ||
                kind(e) == SqlTok::kSemicolon || kind(e) == SqlTok::kLogic || cut;
    if (!ends) return;
    if (st.constant_compares > 0 || (st.words == 0 && st.literal_compares > 0)) {
      ev.add(st.words == 0 ? 8 : 6, st.words == 0 ? kCertain : kLikely, t_[0].from,
             "boolean continuation");
    } else if (st.sql_literal_compares > 0 || cut || open_end ||
               (n == 2 && kind(1) == SqlTok::kNumber && text(t_[1]) != "null")) {
      // "and x == y" between names is code; "and deleted = 0)", "|| c == '" (the application's
      // quote supplies the rest) and "and uid!=(" are SQL.
      ev.add(6, kLikely, t_[0].from, "boolean continuation");
    }
  }

  // The whole value (or the value after a break-out quote) reads as one SQL condition.
  void expression_rule(Evidence& ev) {
    size_t n = t_.size();
    if (!context_ && n >= 2 && kind(0) == SqlTok::kLogic) {
      continuation_rule(ev);
      return;
    }
    ExprStats st;
    size_t e = parse_expr(0, &st);
    if (e == 0) return;
    // "1='1' or-- -": a condition whose last boolean is cut off by a comment ends there too.
    bool complete =
        e >= n || (!context_ && e + 1 == n && kind(e) == SqlTok::kLogic && terminating_comment(e));
    if (st.binops == 0) {
      // "1--", "@version /*": a lone value and a comment that cuts off whatever follows it.
      if (!context_ && n == 1 && literal(0) && comment_after_[0] &&
          comment_at_[0] + 2 >= s_.size() && s_[comment_at_[0]] != '#') {
        ev.add(6, kLikely, t_[0].from, "expression then comment");
      }
      // "( 1 ) --", "(binary cos('b')) --": a bare parenthesised expression closed by a comment.
      if (!context_ && complete && st.words == 0 && n >= 3 && kind(0) == SqlTok::kLParen &&
          terminating_comment(n - 1)) {
        ev.add(6, kLikely, t_[0].from, "expression then comment");
      }
      return;
    }
    bool clause_after =
        e < n &&
        (kind(e) == SqlTok::kSemicolon || kind(e) == SqlTok::kUnion ||
         (kind(e) == SqlTok::kKeyword &&
          (text(t_[e]) == "order" || text(t_[e]) == "group" || text(t_[e]) == "limit" ||
           text(t_[e]) == "having" || text(t_[e]) == "into" || text(t_[e]) == "procedure")));
    bool comment_end = complete && terminating_comment(n - 1);
    if (context_) {
      // 1' or '1  |  x' and 1=1 --  |  aa'|+'1  : the application's quotes balance it.
      if (!complete && !clause_after) return;
      if (markup(0, e)) return;  // a('<td>'): a tag in quotes, not two comparisons
      bool balanced = complete && kind(n - 1) == SqlTok::kString && !t_[n - 1].closed &&
                      t_[n - 1].quote == context_;
      if (!balanced && !comment_end && !clause_after) return;
      if (balanced && n == 3) {
        // One operator between the quotes: `1' or '1` is an injection, `"LIKE" STAMP` and
        // `SMALL "&" SIGN` are quoted words. Only a boolean with a short literal counts.
        bool short_tail = t_[2].to - t_[2].from >= 2 && t_[2].to - t_[2].from <= 4;
        if (kind(1) == SqlTok::kLogic && short_tail) {
          ev.add(7, kCertain, t_[0].to, "expression after quote");
        }
        return;
      }
      bool call = false;
      for (size_t k = 1; k < e; ++k) {
        if ((kind(k) == SqlTok::kFunction && is_sql_function(text(t_[k]))) ||
            kind(k) == SqlTok::kSelect || kind(k) == SqlTok::kVariable) {
          call = true;
        }
      }
      if (st.logic > 0 || st.literal_compares > 0 || call) {
        ev.add(8, kCertain, t_[0].to, "expression after quote");
      } else {
        // Arithmetic alone between quotes is how people write sizes (36" x 48"); closed by a
        // comment it is not.
        if (comment_end)
          ev.add(7, kCertain, t_[0].to, "expression after quote");
        else
          ev.add(5, kSuspicious, t_[0].to, "expression after quote");
      }
      return;
    }
    if (!complete && !clause_after) return;
    if (complete && st.logic == 0 && st.words == 0 &&
        (st.same_compares > 0 || st.sql_compares > 0 ||
         (st.constant_compares >= 2 && st.equal_compares > 0))) {
      // "1=1", "42<=>42", "11!=1", "'1' not regexp '2'": literals compared with each other, in
      // a way (or a chain) that arithmetic in text ("2+2=4") does not write.
      bool sure = st.same_compares > 0 || st.constant_compares >= 2;  // with '=' (see above)
      ev.add(sure ? 7 : 6, sure ? kCertain : kLikely, t_[0].from, "constant comparison");
    } else if (complete && !context_ && st.constant_compares == 1 && st.binops == 1 && n == 3 &&
               kind(0) == SqlTok::kString && kind(2) == SqlTok::kString && !t_[2].closed &&
               t_[2].quote == t_[0].quote && t_[0].from == 0) {
      // "'1001'='10": the application's closing quote completes the right-hand string.
      ev.add(6, kLikely, t_[0].from, "constant comparison");
    }
    // Column filters typed in a search box ("price < 20 and rating > 4") compare words with
    // literals; injected conditions compare literals with literals ("hope and -8=3").
    if (st.logic > 0 && (st.constant_compares > 0 || (st.words == 0 && st.literal_compares > 0))) {
      ev.add(st.words == 0 ? 8 : 6, st.words == 0 ? kCertain : kLikely, t_[0].from,
             "boolean expression");
    } else if (st.words == 0 && comment_end && n >= 3) {
      ev.add(6, kLikely, t_[0].from, "expression then comment");
    }
  }

  // "<td>", "</p>" between tokens [from, to): an HTML tag glued together, which SQL's
  // comparisons ("a < b", "x<5") never form.
  bool markup(size_t from, size_t to) const {
    for (size_t k = from; k + 2 < to; ++k) {
      if (text(t_[k]) != "<") continue;
      size_t w = k + 1;
      if (text(t_[w]) == "/" && t_[w].from == t_[k].to) ++w;
      if (w + 1 < to && kind(w) == SqlTok::kWord && t_[w].from == t_[w - 1].to &&
          text(t_[w + 1]) == ">" && t_[w + 1].from == t_[w].to) {
        return true;
      }
    }
    return false;
  }

  bool is_sql_function(std::string_view w) const {
    return in_sorted(kSqlFunctions, w) || in_list(kStrongFunctions, w) || w.substr(0, 3) == "xp_" ||
           w.substr(0, 3) == "sp_";
  }

  void select_rule(size_t i, Evidence& ev) {
    // "select-quote", "select-all": a hyphenated word, not a statement.
    if (i + 2 < t_.size() && text(t_[i + 1]) == "-" && t_[i + 1].from == t_[i].to &&
        t_[i + 2].from == t_[i + 1].to && kind(i + 2) == SqlTok::kWord) {
      return;
    }
    // An injected SELECT starts the value, follows a break-out through an operator, '(' or ';',
    // or follows UNION. After prose words or right after a closed string it is a quotation of
    // SQL ("Use SELECT name FROM users WHERE id = ?"), which is only suspicious.
    bool prose = i > 0 && !operator_before(i) && kind(i - 1) != SqlTok::kSemicolon &&
                 kind(i - 1) != SqlTok::kUnion && kind(i - 1) != SqlTok::kKeyword;
    if (context_ && i == 1) prose = true;
    if (prose) {
      Evidence quoted;
      select_rule_body(i, quoted);
      if (quoted.score > 0) ev.add(4, kSuspicious, t_[i].from, "quoted sql statement");
      return;
    }
    select_rule_body(i, ev);
  }

  void select_rule_body(size_t i, Evidence& ev) {
    size_t n = t_.size();
    size_t j = i + 1;
    if (j < n && kind(j) == SqlTok::kKeyword &&
        (text(t_[j]) == "distinct" || text(t_[j]) == "all" || text(t_[j]) == "top")) {
      ++j;
      if (kind(j) == SqlTok::kNumber) ++j;
    }
    if (j >= n) {
      if (i > 0 && operator_before(i)) ev.add(6, kLikely, t_[i].from, "select");
      return;
    }
    bool sqlish = false;  // the select list has something prose does not
    size_t items = 0;
    size_t k = j;
    while (k < n) {
      size_t e = operand_end(k);
      if (text(t_[k]) == "*") {
        sqlish = true;
        e = k + 1;
      }
      if (e == 0) break;
      if (kind(k) == SqlTok::kFunction || kind(k) == SqlTok::kNumber ||
          kind(k) == SqlTok::kVariable || kind(k) == SqlTok::kString ||
          kind(k) == SqlTok::kLParen ||
          (kind(k) == SqlTok::kWord && in_list(kStrongFunctions, text(t_[k])))) {
        sqlish = true;  // "select pg_sleep": a routine no prose names
      }
      ++items;
      k = e;
      if (kind(k) == SqlTok::kKeyword && text(t_[k]) == "as") k += 2;
      while (kind(k) == SqlTok::kOperator || kind(k) == SqlTok::kCompare) {
        size_t e2 = operand_end(k + 1);
        if (e2 == 0) break;
        k = e2;
      }
      if (kind(k) == SqlTok::kComma) {
        sqlish = true;
        ++k;
        continue;
      }
      break;
    }
    if (items == 0) return;
    bool from = k < n && kind(k) == SqlTok::kKeyword && text(t_[k]) == "from";
    bool end = k >= n || kind(k) == SqlTok::kRParen || kind(k) == SqlTok::kSemicolon ||
               (k > 0 && comment_after_[k - 1]) || kind(k) == SqlTok::kUnion;
    bool inner = i > 0 && (kind(i - 1) == SqlTok::kLParen || operator_before(i));
    if (from && k + 1 >= n && (sqlish || inner)) {
      // "in ( select * from": the table left to the application's text.
      ev.add(7, kCertain, t_[i].from, "select from");
    } else if (from && k + 1 < n &&
               (kind(k + 1) == SqlTok::kWord || kind(k + 1) == SqlTok::kLParen)) {
      if (sqlish || inner) {
        ev.add(9, kCertain, t_[i].from, "select from");
      } else if ((k + 3 < n &&
                  (kind(k + 2) == SqlTok::kKeyword || kind(k + 2) == SqlTok::kUnion)) ||
                 terminating_comment(k + 1) || kind(k + 2) == SqlTok::kSemicolon ||
                 kind(k + 2) == SqlTok::kRParen) {
        // "select name from users where id=1": one column, a table and a clause that goes on.
        ev.add(7, kLikely, t_[i].from, "select from");
      }
    } else if ((sqlish || inner) && end) {
      // "select 'and'" alone is a phrase with quotes; a call, a variable or a list is not.
      bool lone_string = items == 1 && kind(j) == SqlTok::kString && !inner;
      ev.add(inner ? 8 : 6, inner ? kCertain : (lone_string ? kSuspicious : kLikely), t_[i].from,
             "select expression");
    }
  }

  void stacked_rule(size_t i, Evidence& ev) {
    size_t n = t_.size();
    if (i + 1 >= n) {
      // A trailing ';' after a break-out terminates the application's statement.
      if (context_ && i > 0 && comment_after_[i])
        ev.add(6, kLikely, t_[i].from, "terminated statement");
      return;
    }
    std::string_view w = text(t_[i + 1]);
    if (!in_list(kStatements, w)) return;
    bool follows_sql = i > 0 && (literal(i - 1) || kind(i - 1) == SqlTok::kRParen);
    bool shaped = false;
    std::string_view next = i + 2 < n ? text(t_[i + 2]) : std::string_view();
    if (w == "drop" || w == "create" || w == "alter" || w == "truncate") {
      shaped = next == "table" || next == "database" || next == "user" || next == "procedure" ||
               next == "function" || next == "view" || next == "index" ||
               (w != "create" && w != "alter" && i + 2 >= n) ||
               (w == "drop" && kind(i + 2) == SqlTok::kWord &&
                (i + 3 >= n || comment_after_[i + 2] || kind(i + 3) == SqlTok::kSemicolon)) ||
               (w == "truncate" && i + 2 < n);
    } else if (w == "shutdown") {
      shaped = i + 2 >= n || comment_after_[i + 1] || kind(i + 2) == SqlTok::kSemicolon;
    } else if (w == "load") {
      // "load data infile", "load xml local infile"
      for (size_t k = i + 2; k < n && k < i + 6 && !shaped; ++k) shaped = text(t_[k]) == "infile";
    } else if (w == "begin") {
      shaped = i + 2 < n && in_list(kStatements, next) && next != "begin";
    } else if (w == "waitfor") {
      shaped = next == "delay" || next == "time";
    } else if (w == "exec" || w == "execute") {
      shaped = i + 2 < n && (next.substr(0, 3) == "xp_" || next.substr(0, 3) == "sp_" ||
                             next.substr(0, 6) == "master" || kind(i + 2) == SqlTok::kVariable ||
                             kind(i + 2) == SqlTok::kLParen || kind(i + 2) == SqlTok::kString);
    } else if (w == "declare" || w == "set") {
      // "set @a=", "declare @cmd": a named variable ("; set @" alone names none).
      shaped = i + 2 < n && named_variable(i + 2);
    } else if (w == "insert" || w == "replace") {
      // "insert into t", "replace/**/t(id) values (1)": a row written somewhere.
      shaped = next == "into";
      for (size_t k = i + 2; k < n && k < i + 12 && !shaped; ++k) {
        shaped = text(t_[k]) == "values" || kind(k) == SqlTok::kSelect;
      }
    } else if (w == "update") {
      // "update t set", or "update users" where the value ends.
      shaped =
          (i + 3 < n && text(t_[i + 3]) == "set") || (i + 3 == n && kind(i + 2) == SqlTok::kWord);
    } else if (w == "delete") {
      // "delete from t", "delete low_priority from t"
      shaped = next == "from" || (i + 3 < n && text(t_[i + 3]) == "from");
    } else if (w == "select") {
      // "; select 1", "; select * from t"; "; select a seat" is a sentence.
      Evidence body;
      if (i + 2 < n && kind(i + 2) == SqlTok::kWord) select_rule_body(i + 1, body);
      shaped = i + 2 < n && (next == "*" || body.score > 0 ||
                             (kind(i + 2) != SqlTok::kWord && operand_end(i + 2) != 0));
    } else {
      SqlTok nk = kind(i + 2);
      shaped = follows_sql &&
               (nk == SqlTok::kLParen || nk == SqlTok::kVariable || nk == SqlTok::kNumber ||
                nk == SqlTok::kString || nk == SqlTok::kSelect || nk == SqlTok::kFunction);
    }
    if (shaped)
      ev.add(9, kCertain, t_[i].from, "stacked statement");
    else if (follows_sql)
      ev.add(5, kSuspicious, t_[i].from, "stacked statement");
  }

  // "@a", "@@version": a variable with a name ("set @" alone, a value cut short, names none).
  bool named_variable(size_t k) const {
    if (kind(k) != SqlTok::kVariable) return false;
    std::string_view v = text(t_[k]);
    return v.find_first_not_of('@') != std::string_view::npos;
  }

  // X op Y where both sides are literals (or the same word): a condition that is always true
  // or false, the core of boolean-based injection.
  bool constant_comparison(size_t i, size_t* end, bool* compared = nullptr) const {
    if (compared) *compared = false;
    // "or (1=1": a parenthesis the application's own text closes.
    while (kind(i) == SqlTok::kLParen && !has_closing(i)) ++i;
    size_t a_end = operand_end(i);
    if (a_end == 0) return false;
    size_t k = a_end;
    if (kind(k) == SqlTok::kNot) ++k;
    if (kind(k) != SqlTok::kCompare) {
      // A lone literal or call after OR/AND is itself a condition ("or 1", "or sleep(5)").
      *end = a_end;
      size_t v = i;
      while (v < a_end && kind(v) == SqlTok::kNot) ++v;
      if (kind(v) == SqlTok::kLParen && v + 1 < a_end) {
        // "or (7319=8742)": the condition is inside the parentheses.
        size_t inner_end = 0;
        bool inner_compared = false;
        if (constant_comparison(v + 1, &inner_end, &inner_compared) && inner_compared &&
            kind(inner_end) == SqlTok::kRParen) {
          if (compared) *compared = true;
          return true;
        }
      }
      return literal(v) || kind(v) == SqlTok::kFunction || kind(v) == SqlTok::kLParen;
    }
    if (compared) *compared = true;
    std::string_view op = text(t_[k]);
    size_t b_end = operand_end(k + 1);
    if (op == "between") {
      if (b_end == 0 || kind(b_end) != SqlTok::kLogic) return false;
      b_end = operand_end(b_end + 1);
    }
    if (b_end == 0) {
      // "is null", "is not null"
      if (op == "is" && (kind(k + 1) == SqlTok::kNumber || kind(k + 1) == SqlTok::kNot)) {
        *end = k + 2;
        return true;
      }
      // "x' or 1=": after a break-out quote, a comparison of a literal cut off at its operator
      // (the probe's author lets the application's text supply the right side).
      size_t v = i;
      while (v < a_end && (kind(v) == SqlTok::kNot || kind(v) == SqlTok::kOperator)) ++v;
      if (context_ && k + 1 >= t_.size() && literal(v) && kind(1) == SqlTok::kLogic && i <= 3) {
        *end = t_.size();
        return true;
      }
      return false;
    }
    *end = b_end;
    while (i < a_end && (kind(i) == SqlTok::kNot || kind(i) == SqlTok::kOperator)) ++i;
    bool left_lit = literal(i) || kind(i) == SqlTok::kFunction || kind(i) == SqlTok::kLParen;
    bool right_lit = literal(k + 1) || kind(k + 1) == SqlTok::kFunction ||
                     kind(k + 1) == SqlTok::kLParen || kind(k + 1) == SqlTok::kNot ||
                     kind(k + 1) == SqlTok::kOperator;
    // The same column on both sides ("a=a"); "data[0] == data[-1]" compares two elements.
    bool same_word = kind(i) == SqlTok::kWord && kind(k + 1) == SqlTok::kWord &&
                     s_.substr(t_[i].from, t_[a_end - 1].to - t_[i].from) ==
                         s_.substr(t_[k + 1].from, t_[b_end - 1].to - t_[k + 1].from);
    // "==" is how code compares; SQL (SQLite aside) writes "=". A call compared with "==" is
    // code ("len(x) == 1"); two plain literals are a tautology in any language.
    if (op == "==" || op == "===" || op == "!==") {
      return same_word || (literal(i) && literal(k + 1) && b_end == k + 2);
    }
    // A column compared with a literal is a condition only after a break-out quote.
    return (left_lit && right_lit) || same_word ||
           (context_ && left_lit && kind(k + 1) == SqlTok::kWord && kind(k) == SqlTok::kCompare) ||
           (context_ && kind(i) == SqlTok::kWord && right_lit && kind(k) == SqlTok::kCompare);
  }

  void logic_rule(size_t i, Evidence& ev) {
    if (comment_after_[i] && s_[comment_at_[i]] == '/' && i > 0 && literal(i - 1) &&
        i + 1 < t_.size() && literal(i + 1)) {
      // "9999 or /*+ hint */ true": a comment inside a condition hides it from filters.
      ev.add(7, kCertain, t_[i].from, "comment inside sql");
    }
    size_t end = 0;
    bool compared = false;
    if (!constant_comparison(i + 1, &end, &compared)) return;
    // "name=and 1=1" (a key=value pair read whole) starts like a value too.
    bool assignment = i == 2 && kind(0) == SqlTok::kWord && text(t_[1]) == "=";
    bool before_ok = i == 0 || literal(i - 1) || kind(i - 1) == SqlTok::kRParen ||
                     kind(i - 1) == SqlTok::kWord || assignment;
    if (!before_ok) return;
    bool tail = end >= t_.size() || comment_after_[end - 1] || kind(end) == SqlTok::kLogic ||
                kind(end) == SqlTok::kSemicolon || kind(end) == SqlTok::kRParen ||
                kind(end) == SqlTok::kKeyword || kind(end) == SqlTok::kUnion ||
                (kind(end) == SqlTok::kString && !t_[end].closed);
    if (!tail) return;
    bool strong_left = i == 0 || literal(i - 1) || kind(i - 1) == SqlTok::kRParen;
    // "1' and '1": a short literal, the application's own quote closing it. Longer quoted text
    // ("foo" and "bar") is how people search.
    bool short_literal = kind(i + 1) == SqlTok::kNumber ||
                         (kind(i + 1) == SqlTok::kString && t_[i + 1].to - t_[i + 1].from <= 4);
    // "1 or 1=1", "' or 'a'='a", "x' and 1=1--": certain. "5 and 6" in prose is not: a lone
    // literal needs a break-out or comment to count.
    if (compared && (strong_left || context_)) {
      ev.add(9, kCertain, t_[i].from, "tautology");
    } else if (compared) {
      ev.add(6, kLikely, t_[i].from, "boolean condition");
    } else if (comment_after_[end - 1] ||
               (kind(i + 1) == SqlTok::kFunction && is_sql_function(text(t_[i + 1]))) ||
               (context_ && i == 1 && end >= t_.size() && kind(i + 1) == SqlTok::kString &&
                !t_[i + 1].closed && short_literal && t_[i + 1].to - t_[i + 1].from >= 2)) {
      bool call = kind(i + 1) == SqlTok::kFunction && is_sql_function(text(t_[i + 1]));
      ev.add(call || context_ ? 8 : 6, call || context_ ? kCertain : kLikely, t_[i].from,
             "boolean condition");
    }
  }

  void function_rule(size_t i, Evidence& ev) {
    std::string_view w = text(t_[i]);
    if (!is_sql_function(w)) return;
    size_t end = operand_end(i);
    // Arguments: something, not prose in parentheses.
    bool args_sql = false;
    for (size_t k = i + 2; k + 1 < end && k < t_.size(); ++k) {
      SqlTok kk = kind(k);
      if (kk == SqlTok::kNumber || kk == SqlTok::kFunction || kk == SqlTok::kSelect ||
          kk == SqlTok::kVariable || kk == SqlTok::kComma || kk == SqlTok::kString ||
          kk == SqlTok::kCompare || kk == SqlTok::kOperator) {
        args_sql = true;
      }
    }
    bool empty_args = end == i + 3;  // version(), user()
    if ((w == "if" || w == "iif") && i + 3 < t_.size() && end >= t_.size()) {
      // "if(2=", "if(1234=": a condition cut off inside SQL's IF(); code writes "==".
      for (size_t k = i + 2; k < end && k < t_.size(); ++k) {
        std::string_view op = text(t_[k]);
        if (kind(k) == SqlTok::kCompare && (op == "=" || op == "<>") &&
            (literal(k - 1) || literal(k + 1))) {
          ev.add(6, kLikely, t_[i].from, "sql function");
          return;
        }
      }
    }
    bool strong = in_list(kStrongFunctions, w) || w.substr(0, 3) == "xp_";
    bool in_expr = operator_before(i) && i > 0;
    bool info = w == "database" || w == "user" || w == "current_user" || w == "version" ||
                w == "db_name" || w == "schema" || w == "system_user";
    bool nested =
        i >= 2 && kind(i - 1) == SqlTok::kLParen && kind(i - 2) == SqlTok::kFunction &&
        (is_sql_function(text(t_[i - 2])) || in_sorted(kBuiltinFunctions, text(t_[i - 2])));
    if ((strong || info || is_sql_function(w)) && end >= t_.size() && end == i + 2) {
      ev.add(6, kLikely, t_[i].from, "sql function");  // "benchmark(" with the rest cut off
    } else if (info && empty_args && nested) {
      // "length(version())", "charset(current_user())": the server's identity taken apart, the
      // way blind extraction reads it character by character.
      ev.add(7, kCertain, t_[i - 2].from, "sql function");
    } else if (strong && (args_sql || empty_args)) {
      ev.add(in_expr || context_ ? 9 : 7, kCertain, t_[i].from, "sql function");
    } else if (in_expr && (args_sql || empty_args) && kind(i - 1) != SqlTok::kLParen &&
               part_of_expression(end)) {
      ev.add(context_ ? 8 : 6, context_ ? kCertain : kLikely, t_[i].from, "sql function");
    } else if (args_sql && (end >= t_.size() || comment_after_[end - 1])) {
      ev.add(4, kSuspicious, t_[i].from, "sql function");
    }
  }

  void keyword_rule(size_t i, Evidence& ev) {
    std::string_view w = text(t_[i]);
    size_t n = t_.size();
    std::string_view next = i + 1 < n ? text(t_[i + 1]) : std::string_view();
    bool after_value = i > 0 && (literal(i - 1) || kind(i - 1) == SqlTok::kRParen ||
                                 (kind(i - 1) == SqlTok::kWord && context_));
    if ((w == "order" || w == "group") && next == "by" && i + 2 < n) {
      size_t e = operand_end(i + 2);
      bool tail = e != 0 && (e >= n || comment_after_[e - 1] || kind(e) == SqlTok::kComma ||
                             kind(e) == SqlTok::kKeyword || kind(e) == SqlTok::kSemicolon ||
                             (kind(e) == SqlTok::kString && !t_[e].closed));
      if (tail && after_value)
        ev.add(8, kCertain, t_[i].from, "order by");
      else if (tail && kind(i + 2) == SqlTok::kNumber && i == 0)
        ev.add(5, kLikely, t_[i].from, "order by");
    } else if (w == "from" && i > 0 && kind(i - 1) == SqlTok::kRParen && i + 2 < n &&
               kind(i + 1) == SqlTok::kWord && text(t_[i + 2]) == "where") {
      ev.add(8, kCertain, t_[i].from, "closing parenthesis then clause");
    } else if (w == "as" && i > 0 && i + 2 < n &&
               (kind(i + 1) == SqlTok::kWord || kind(i + 1) == SqlTok::kString) &&
               text(t_[i + 2]) == "from" && (kind(i - 1) == SqlTok::kRParen || literal(i - 1))) {
      // ") AS alias FROM": the end of a select list, cut from a query.
      bool paren = kind(i - 1) == SqlTok::kRParen;
      ev.add(paren ? 7 : 6, paren ? kCertain : kLikely, t_[i].from, "select list end");
    } else if (w == "into" && (next == "outfile" || next == "dumpfile")) {
      ev.add(10, kCertain, t_[i].from, "into outfile");
    } else if (w == "waitfor" && (next == "delay" || next == "time")) {
      ev.add(10, kCertain, t_[i].from, "waitfor delay");
    } else if ((w == "having" || w == "where") && (after_value || w == "having")) {
      size_t end = 0;
      bool compared = false;
      if (constant_comparison(i + 1, &end, &compared) && compared) {
        ev.add(8, kCertain, t_[i].from, "injected condition");
      }
    } else if ((w == "exec" || w == "execute") && i + 1 < n &&
               (i == 0 || kind(i - 1) != SqlTok::kDot) &&
               s_[t_[i].from - (t_[i].from > 0)] != '.' &&
               (next.substr(0, 3) == "xp_" || next.substr(0, 3) == "sp_" ||
                next == "master..xp_cmdshell" ||
                (next == "master" && kind(i + 2) == SqlTok::kDot) ||
                (kind(i + 1) == SqlTok::kLParen && i + 2 < n &&
                 (kind(i + 2) == SqlTok::kString || kind(i + 2) == SqlTok::kVariable)))) {
      ev.add(9, kCertain, t_[i].from, "stored procedure");
    } else if ((w == "limit" || w == "offset") && after_value && i + 1 < n &&
               kind(i + 1) == SqlTok::kNumber && context_) {
      ev.add(6, kLikely, t_[i].from, "limit clause");
    } else if (w == "when" && i > 0 &&
               (kind(i - 1) == SqlTok::kRParen ||
                (text(t_[i - 1]) == "case" && (i == 1 || operator_before(i - 1))) ||
                (i == 2 && text(t_[0]) == "case" && literal(1)))) {
      // "case 1 when 2 then": the simple CASE compares an operand with each WHEN.
      // "case when c then r", ") when 234 then": a CASE expression, its condition one expression.
      ExprStats st;
      size_t e = parse_expr(i + 1, &st);
      if (e != 0 && e < n && text(t_[e]) == "then" && (e + 1 >= n || operand_end(e + 1) != 0)) {
        bool open = kind(i - 1) != SqlTok::kRParen;
        size_t at = text(t_[0]) == "case" ? 0 : i - 1;
        ev.add(open ? 7 : 6, open ? kCertain : kLikely, t_[at].from, "case expression");
      }
    } else if ((w == "except" || w == "intersect" || w == "minus") && i + 1 < n &&
               (i == 0 || literal(i - 1) || kind(i - 1) == SqlTok::kRParen) &&
               (kind(i + 1) == SqlTok::kSelect ||
                (next == "values" && kind(i + 1) == SqlTok::kFunction))) {
      // UNION's siblings: "except values(1,2)", "1 intersect select ...".
      ev.add(8, kCertain, t_[i].from, "set operation");
    } else if (w == "procedure" && next == "analyse") {
      ev.add(9, kCertain, t_[i].from, "procedure analyse");
    } else if ((w == "drop" || w == "truncate" || w == "create" || w == "alter") &&
               (next == "table" || next == "database") && i + 2 < n &&
               kind(i + 2) == SqlTok::kWord && (i == 0 || context_ || operator_before(i))) {
      ev.add(7, kLikely, t_[i].from, "drop table");
    }
  }

  // A block comment glued to SQL on both sides stands in for a space ("select/**/password",
  // "union/*x*/select") or splits a keyword ("DR/**/OP"): a filter evasion, not prose or code.
  void glued_comment_rule(Evidence& ev) {
    for (size_t i = 0; i + 1 < all_.size(); ++i) {
      const SqlToken& c = all_[i];
      if (c.kind != SqlTok::kComment || i == 0 || s_[c.from] != '/' || !c.closed) continue;
      const SqlToken& a = all_[i - 1];
      const SqlToken& b = all_[i + 1];
      if (a.to != c.from || b.from != c.to) continue;
      auto sqlish = [](SqlTok k) {
        return k == SqlTok::kSelect || k == SqlTok::kUnion || k == SqlTok::kKeyword ||
               k == SqlTok::kLogic;
      };
      bool split =
          a.kind == SqlTok::kWord && b.kind == SqlTok::kWord && classify_joined(text(a), text(b));
      if (sqlish(a.kind) || sqlish(b.kind) || split) {
        ev.add(8, kCertain, a.from, "comment inside sql");
        return;
      }
    }
  }

  bool classify_joined(std::string_view x, std::string_view y) const {
    std::string w(x);
    w += y;
    std::vector<SqlToken> one = sql_lex(w, 0, 2);
    return one.size() == 1 && (one[0].kind == SqlTok::kSelect || one[0].kind == SqlTok::kUnion ||
                               one[0].kind == SqlTok::kKeyword || one[0].kind == SqlTok::kLogic);
  }

  // PostgreSQL's cast syntax on a call or a literal, "unistr(password)::int", "'1'::jsonb": no
  // language but SQL writes a type after "::" this way.
  void cast_rule(size_t i, Evidence& ev) {
    static constexpr std::string_view kTypes[] = {
        "int",     "integer", "bigint",    "smallint", "text",  "varchar", "char",
        "numeric", "decimal", "float",     "real",     "bool",  "boolean", "json",
        "jsonb",   "date",    "timestamp", "regclass", "oid",   "bytea",   "uuid",
        "xml",     "inet",    "int4",      "int8",     "double"};
    if (i == 0 || i + 1 >= t_.size() || !in_list(kTypes, text(t_[i + 1]))) return;
    if (kind(i - 1) == SqlTok::kRParen) {
      ev.add(7, kCertain, t_[i].from, "sql cast");
    } else if (kind(i - 1) == SqlTok::kWord && i >= 2 && operator_before(i - 1)) {
      ev.add(7, kCertain, t_[i].from, "sql cast");  // "1+current_user::int"
    } else if (kind(i - 1) == SqlTok::kWord && i == 1 && i + 2 >= t_.size()) {
      ev.add(6, kLikely, t_[i].from, "sql cast");  // the whole value: "password::int"
    } else if (kind(i - 1) == SqlTok::kString && t_[i - 1].closed) {
      ev.add(6, kLikely, t_[i].from, "sql cast");
    }
  }

  void compare_rule(size_t i, Evidence& ev) {
    // "1' = '1" after a break-out, or "admin' like 'a%": a comparison right after the string.
    // ("'\\'' == x[-1:]" is code.)
    if (context_ && i == 1 && text(t_[i]) != "==" && text(t_[i]) != "===" && text(t_[i]) != "!==") {
      size_t e = operand_end(2);
      if (e != 0 &&
          (comment_after_[e - 1] || kind(e) == SqlTok::kLogic || kind(e) == SqlTok::kSemicolon)) {
        ev.add(7, kCertain, t_[i].from, "comparison after quote");
      } else if (e != 0) {
        ev.add(4, kSuspicious, t_[i].from, "comparison after quote");
      }
    }
  }

  // After a break-out quote: what follows the closed string must continue a SQL expression.
  void breakout_rule(Evidence& ev) {
    size_t n = t_.size();
    if (n == 1) {
      if (terminating_comment(0)) ev.add(7, kCertain, t_[0].to, "quote then comment");
      return;
    }
    size_t i = 1;
    while (i < n && kind(i) == SqlTok::kRParen) ++i;
    if (i >= n) {
      if (terminating_comment(n - 1)) ev.add(7, kCertain, t_[0].to, "quote then comment");
      return;
    }
    SqlTok k = kind(i);
    if (k == SqlTok::kSemicolon && comment_after_[i]) {
      ev.add(7, kCertain, t_[0].to, "quote then statement end");
    } else if (k == SqlTok::kSemicolon && i + 1 >= n) {
      // "admin@example.com';": one token (a user name, an address) closed by the quote and
      // ended by ';' is a probe; after words of text it is punctuation.
      std::string_view first = text(t_[0]);
      bool one_token =
          i == 1 && first.size() > 2 &&
          first.substr(0, first.size() - 1).find_first_of(" \t\n") == std::string_view::npos;
      ev.add(one_token ? 7 : 5, one_token ? kLikely : kSuspicious, t_[0].to,
             "quote then statement end");
    }
    if (k == SqlTok::kOperator || k == SqlTok::kLogic) {
      // 'x'+sleep(5)+'  or  '||(select ...)||'
      if (kind(i + 1) == SqlTok::kFunction && is_sql_function(text(t_[i + 1]))) {
        ev.add(8, kCertain, t_[0].to, "concatenated call");
      } else if (kind(i + 1) == SqlTok::kLParen && kind(i + 2) == SqlTok::kSelect) {
        ev.add(9, kCertain, t_[0].to, "concatenated subquery");
      }
    }
    breakout_clause_rule(ev);
  }

  // "ABS(", "now (", "length||(", "quarter. (": the value ends by opening a call of a SQL
  // built-in, the arguments and the rest of the query left to the application's text.
  void cut_off_call_rule(Evidence& ev) {
    size_t n = t_.size();
    if (n < 2 || n > 6 || kind(n - 1) != SqlTok::kLParen) return;
    size_t k = n - 2;
    while (k > 0 &&
           (kind(k) == SqlTok::kOperator || kind(k) == SqlTok::kCompare ||
            kind(k) == SqlTok::kLogic || kind(k) == SqlTok::kNot || kind(k) == SqlTok::kOther ||
            kind(k) == SqlTok::kRParen || kind(k) == SqlTok::kDot)) {
      --k;
    }
    if (k != 0) return;
    SqlTok k0 = kind(0);
    std::string_view w = text(t_[0]);
    bool call_word =
        (k0 == SqlTok::kWord || k0 == SqlTok::kFunction || k0 == SqlTok::kKeyword ||
         k0 == SqlTok::kCompare) &&
        (is_sql_function(w) || in_sorted(kBuiltinFunctions, w) || w == "in" || w == "values" ||
         w == "exists" || w == "insert" || w == "left" || w == "exec" || w == "execute");
    if (call_word) ev.add(6, kLikely, t_[0].from, "sql function");
  }

  // A value that opens a statement: "set @x", "declare @b", "DROP t;--", "CREATE FUNCTION f (",
  // "EXECUTE IMMEDIATE '...", "values ('a', 'b')", "from t where id=1 limit".
  void statement_start_rule(Evidence& ev) {
    size_t n = t_.size();
    if (n >= 5 && text(t_[0]) == "in" && kind(1) == SqlTok::kLParen &&
        kind(n - 1) == SqlTok::kRParen) {
      // "in (0,1)", "IN (815914, 815913)": a list of literals for a WHERE ... IN.
      size_t literals = 0;
      for (size_t k = 2; k + 1 < n; ++k) {
        if (literal(k)) {
          ++literals;
        } else if (kind(k) != SqlTok::kComma &&
                   !(kind(k) == SqlTok::kOperator && text(t_[k]) == "-")) {
          return;
        }
      }
      if (literals >= 2) ev.add(6, kLikely, t_[0].from, "in list");
      return;
    }
    size_t i = 0;
    while (i < n && (kind(i) == SqlTok::kOperator || kind(i) == SqlTok::kCompare ||
                     kind(i) == SqlTok::kOther || kind(i) == SqlTok::kSemicolon))
      ++i;
    if (i >= n) return;
    std::string_view w = text(t_[i]);
    std::string_view next = i + 1 < n ? text(t_[i + 1]) : std::string_view();
    SqlTok nk = kind(i + 1);
    if ((w == "set" || w == "declare") && named_variable(i + 1)) {
      ev.add(7, kCertain, t_[i].from, "sql statement");
    } else if ((w == "drop" || w == "truncate") && i + 1 < n &&
               (nk == SqlTok::kWord || nk == SqlTok::kFunction) &&
               (i + 2 >= n ? comment_after_[i + 1] : kind(i + 2) == SqlTok::kSemicolon)) {
      ev.add(7, kCertain, t_[i].from, "sql statement");
    } else if ((w == "create" || w == "alter") &&
               (next == "function" || next == "procedure" || next == "trigger" || next == "view" ||
                next == "table" || next == "user") &&
               i + 2 < n && (kind(i + 2) == SqlTok::kWord || kind(i + 2) == SqlTok::kFunction)) {
      ev.add(7, kCertain, t_[i].from, "sql statement");
    } else if ((w == "delete" && next == "from") || (w == "insert" && next == "into") ||
               w == "update") {
      // "DELETE FROM users;--", "insert into t values": a statement, ended or shaped as one.
      // "Delete from cart" (a button) has neither an end nor a clause.
      size_t j = w == "update" ? i + 1 : i + 2;
      if (kind(j) != SqlTok::kWord) return;
      ++j;
      while (j + 1 < n && kind(j) == SqlTok::kDot && kind(j + 1) == SqlTok::kWord) j += 2;
      std::string_view after = j < n ? text(t_[j]) : std::string_view();
      bool ended = (j < n && kind(j) == SqlTok::kSemicolon) || (j >= n && comment_after_[j - 1]);
      bool shaped = (w == "update" && after == "set" && kind(j + 2) == SqlTok::kCompare) ||
                    (w == "insert" && (after == "values" || kind(j) == SqlTok::kSelect ||
                                       (kind(j) == SqlTok::kLParen && has_closing(j)))) ||
                    (w == "delete" && after == "where" && kind(j + 2) == SqlTok::kCompare);
      if (ended || shaped) ev.add(7, kCertain, t_[i].from, "sql statement");
    } else if (w == "limit" && i == 0 && nk == SqlTok::kNumber && kind(2) == SqlTok::kComma &&
               kind(3) == SqlTok::kNumber && (n == 4 ? comment_after_[3] : false)) {
      // "limit 0,1--": MySQL's row window, the rest of the query cut off.
      ev.add(6, kLikely, t_[i].from, "limit clause");
    } else if ((w == "execute" || w == "exec") && next == "immediate") {
      ev.add(8, kCertain, t_[i].from, "sql statement");
    } else if (w == "values" && nk == SqlTok::kLParen) {
      // A row of literals: VALUES ('192.168.0.1', 'test'). "values (honesty, trust)" is prose.
      size_t literals = 0, commas = 0, k = i + 2;
      for (; k < n && kind(k) != SqlTok::kRParen; ++k) {
        if (literal(k)) {
          ++literals;
        } else if (kind(k) == SqlTok::kComma) {
          ++commas;
        } else if (!(kind(k) == SqlTok::kOperator && text(t_[k]) == "-")) {
          return;
        }
      }
      if (literals >= 2 && commas + 1 == literals) ev.add(7, kCertain, t_[i].from, "values list");
    } else if (w == "from") {
      from_clause_rule(i, ev);
    } else if (w == "having" && i == 0 && i + 2 < n && kind(n - 1) == SqlTok::kCompare &&
               literal(i + 1) && n == i + 3) {
      ev.add(6, kLikely, t_[i].from, "injected condition");  // "having 1=" cut off
    }
  }

  // "from `db`.`t` limit", "from t where id = 25 limit", "FROM t GROUP BY c": the tail of a
  // query. "from London where it rains" has no comparison, "from home limit 5 per day" goes on.
  void from_clause_rule(size_t i, Evidence& ev) {
    size_t n = t_.size();
    size_t j = i + 1;
    if (kind(j) != SqlTok::kWord) return;
    ++j;
    while (j + 1 < n && kind(j) == SqlTok::kDot && kind(j + 1) == SqlTok::kWord) j += 2;
    if (j >= n) return;
    std::string_view c = text(t_[j]);
    bool clause = false;
    if (c == "limit") {
      clause = j + 1 >= n || (kind(j + 1) == SqlTok::kNumber &&
                              (j + 2 >= n || comment_after_[j + 1] ||
                               kind(j + 2) == SqlTok::kComma || text(t_[j + 2]) == "offset"));
    } else if (c == "where" || c == "having") {
      ExprStats st;
      size_t e = parse_expr(j + 1, &st);
      bool tail = e != 0 && (e >= n || comment_after_[e - 1] || kind(e) == SqlTok::kSemicolon ||
                             kind(e) == SqlTok::kKeyword || kind(e) == SqlTok::kUnion);
      clause = tail && (st.literal_compares > 0 || st.symbol_compares > 0);
    } else if ((c == "group" || c == "order") && j + 1 < n && text(t_[j + 1]) == "by") {
      clause = j + 2 < n && operand_end(j + 2) != 0;
    }
    if (clause) ev.add(7, kCertain, t_[i].from, "from clause");
  }

  // "1=1", "b,1=1", "'admin', '1'='1'", "42 like 42": a literal compared with itself where a
  // condition starts, the tautology of boolean-based injection.
  void tautology_rule(Evidence& ev) {
    size_t n = t_.size();
    for (size_t i = 1; i + 1 < n; ++i) {
      if (kind(i) != SqlTok::kCompare) continue;
      std::string_view op = text(t_[i]);
      if (op != "=" && op != "==" && op != "like" && op != "<=>" && op != ">=" && op != "<=")
        continue;
      if (!literal(i - 1) || !literal(i + 1) || text(t_[i - 1]) != text(t_[i + 1])) continue;
      if (kind(i - 1) == SqlTok::kString && !t_[i + 1].closed) continue;
      bool before = i < 2 || kind(i - 2) == SqlTok::kComma || kind(i - 2) == SqlTok::kLParen ||
                    kind(i - 2) == SqlTok::kLogic || text(t_[i - 2]) == "where" ||
                    text(t_[i - 2]) == "having";
      bool after = i + 2 >= n || comment_after_[i + 1] || kind(i + 2) == SqlTok::kLogic ||
                   kind(i + 2) == SqlTok::kRParen || kind(i + 2) == SqlTok::kSemicolon;
      if (before && after) {
        ev.add(7, kCertain, t_[i - 1].from, "tautology");
        return;
      }
    }
  }

  // ") like (", "))or((": a value that closes the application's parenthesis and opens another.
  void parenthesis_breakout_rule(Evidence& ev) {
    size_t n = t_.size();
    size_t i = 0;
    while (i < n && kind(i) == SqlTok::kRParen) ++i;
    if (i == 0 || i + 1 >= n) return;
    if ((kind(i) == SqlTok::kCompare || kind(i) == SqlTok::kLogic) &&
        kind(i + 1) == SqlTok::kLParen) {
      ev.add(6, kLikely, t_[0].from, "parenthesis break-out");
    }
  }

  // "'or 1", "'||true", "';print'", "` < 0) and `", "'alter a": the value opens by closing the
  // application's quote and goes straight on with SQL.
  void quote_led_rule(Evidence& ev) {
    size_t n = t_.size();
    if (n < 2) return;
    // Only quotes before the break-out ("'", "'''"): nothing of the application's value.
    std::string_view first = text(t_[0]);
    if (first.find_first_not_of(context_) != std::string_view::npos) return;
    SqlTok k = kind(1);
    std::string_view w = text(t_[1]);
    bool semicolon = k == SqlTok::kSemicolon;
    bool sql = k == SqlTok::kLogic || k == SqlTok::kCompare || k == SqlTok::kUnion ||
               k == SqlTok::kSelect || semicolon ||
               (k == SqlTok::kOperator && (w == "*" || w == "+" || w == "|" || w == "&")) ||
               ((k == SqlTok::kKeyword || k == SqlTok::kFunction) && in_list(kStatements, w)) ||
               (k == SqlTok::kComma && kind(2) == SqlTok::kNumber);
    if (!sql) return;
    auto glued = [&](size_t j) { return j < n && t_[j].from == t_[j - 1].to; };
    // "'set-cookie", "'<td>": a hyphenated word or markup, not SQL.
    if ((w == "<" && kind(2) == SqlTok::kWord && glued(2)) ||
        (text(t_[2 < n ? 2 : 1]) == "-" && glued(2) && is_word_char(w[0])))
      return;
    // "'+-----": a rule of punctuation.
    if (k == SqlTok::kOperator && kind(2) == SqlTok::kOperator && glued(2)) return;
    // A statement word then words after a run of quotes is a docstring ("\"\"\"Create text
    // iterator."); the break-out is one quote ("'alter a").
    if ((k == SqlTok::kKeyword || k == SqlTok::kFunction) && first.size() > 1) return;
    size_t words = 0;
    for (size_t j = 2; j < n && j < 10; ++j) {
      // A quotation closes soon after ("'or' is", "'alter ego' means", "'**'"): a string glued
      // to the token before it. After ';' the probe closes its own quote: "';print'".
      bool closes = (kind(j) == SqlTok::kString || kind(j) == SqlTok::kWord) &&
                    t_[j].quote == context_ && glued(j);
      if (closes && !(semicolon && j > 2)) return;
      SqlTok kj = kind(j);
      if (kj == SqlTok::kWord || kj == SqlTok::kKeyword || kj == SqlTok::kFunction ||
          (kj == SqlTok::kString && t_[j].closed)) {
        ++words;
      }
    }
    // A quoted sentence or a docstring ("AND WHEN THE KIDS ARE OLD", """Like f() but ...""")
    // runs on in words.
    if (words >= 3) return;
    ev.add(6, kLikely, t_[0].from, "quote then sql");
  }

  // A collation name: SQLite's own (nocase, binary, rtrim), MySQL's and SQL Server's
  // (charset_..._ci, Latin1_General_CS_AS), or a quoted name ("C", `utf8mb4_bin`, U&"...").
  bool collation(size_t k) const {
    if (k >= t_.size()) return false;
    std::string_view w = text(t_[k]);
    if (kind(k) == SqlTok::kString || (kind(k) == SqlTok::kWord && t_[k].quote)) return true;
    if (w == "u" && text(t_[k + 1 < t_.size() ? k + 1 : k]) == "&") return true;
    if (kind(k) != SqlTok::kWord) return false;
    auto ends = [&](std::string_view suffix) {
      return w.size() > suffix.size() && w.substr(w.size() - suffix.size()) == suffix;
    };
    return w == "nocase" || w == "binary" || w == "rtrim" || ends("_ci") || ends("_cs") ||
           ends("_bin") || ends("_as") || ends("_ai") || ends("_ks") || ends("_ws");
  }

  // "z'or email notnull--", "user'collate nocase--", "' is not?--": after the break-out, a few
  // SQL words and a comment (or ';') that cuts off the application's query.
  void breakout_clause_rule(Evidence& ev) {
    size_t n = t_.size();
    if (n < 2 || n > 12) return;
    auto sqlword = [&](size_t k) {
      SqlTok kk = kind(k);
      std::string_view w = text(t_[k]);
      // COLLATE parses only with a collation after it: "collate foo" fails in every database.
      if (w == "collate") return collation(k + 1);
      return kk == SqlTok::kKeyword || kk == SqlTok::kLogic || kk == SqlTok::kCompare ||
             kk == SqlTok::kNot || kk == SqlTok::kUnion || kk == SqlTok::kSelect ||
             w == "notnull" || w == "isnull";
    };
    std::string_view first = text(t_[0]);
    bool bare_quote = first.size() == 1;
    bool one_token = first.find_first_of(" \t\n") == std::string_view::npos;
    bool glued = t_[1].from == t_[0].to;
    if (!bare_quote && !(one_token && (glued ? sqlword(1) : kind(1) == SqlTok::kLogic))) return;
    bool terminated = terminating_comment(n - 1) || kind(n - 1) == SqlTok::kSemicolon;
    if (!terminated) return;
    // "must supply either home or prefix -- not both": a sentence with a dash.
    size_t words = 0;
    for (size_t k = 1; k < n; ++k) words += kind(k) == SqlTok::kWord;
    if (words > 4) return;
    for (size_t k = 1; k < n; ++k) {
      if (sqlword(k)) {
        ev.add(7, kCertain, t_[0].to, "quote then clause");
        return;
      }
    }
  }

  std::string_view s_;
  char context_;
  const std::vector<SqlToken>& all_;    // with the comments
  std::vector<SqlToken> owned_;         // the tokens but comments, when there are comments
  std::span<const SqlToken> t_;         // the tokens but comments
  std::vector<uint8_t> comment_after_;  // bytes, not std::vector<bool>: read on every token
  std::vector<uint32_t> comment_at_;
  bool leading_comment_ = false;

  // A comment that ends the application's query: "--" and "/*" always; "#" only when nothing
  // but spaces follows and it is glued to the quote ("admin'#"), since "#2" and "#tag" are text.
  bool terminating_comment(size_t i) const {
    if (!comment_after_[i]) return false;
    size_t c = comment_at_[i];
    if (s_[c] != '#') return true;
    for (size_t k = c + 1; k < s_.size(); ++k) {
      if (s_[k] != ' ' && s_[k] != '\t') return false;
    }
    return c > 0 && (s_[c - 1] == '\'' || s_[c - 1] == '"') && c > 1 && s_[c - 2] != ' ';
  }
};

// The first word of a value, after leading spaces and punctuation ("/CREATE", ">SET").
std::string_view first_word(std::string_view v) {
  size_t i = 0;
  while (i < v.size() && i < 4 && !is_word_char(v[i])) ++i;
  size_t j = i;
  while (j < v.size() && is_word_char(v[j])) ++j;
  return v.substr(i, j - i);
}

// English words that are SQL operators too, seen as whole words in lower-cased text: booleans
// ("or", "and", "xor") and comparisons ("is", "in", "like", "between", "div", "mod", "sounds").
struct WeakWords {
  bool logic = false;
  bool compare = false;
};

WeakWords weak_words(std::string_view lower) {
  WeakWords out;
  size_t n = lower.size();
  for (size_t i = 0; i < n;) {
    if (!is_word_char(lower[i])) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < n && is_word_char(lower[j])) ++j;
    std::string_view w = lower.substr(i, j - i);
    i = j;
    switch (w.size()) {
      case 2:
        if (w == "or") out.logic = true;
        if (w == "is" || w == "in") out.compare = true;
        break;
      case 3:
        if (w == "and" || w == "xor") out.logic = true;
        if (w == "div" || w == "mod") out.compare = true;
        break;
      case 4:
        if (w == "like") out.compare = true;
        break;
      case 6:
        if (w == "sounds") out.compare = true;
        break;
      case 7:
        if (w == "between") out.compare = true;
        break;
      default:
        break;
    }
    if (out.logic && out.compare) break;
  }
  return out;
}

bool worth_lexing(const Scan& s) {
  if (s.sigs->has(SigGroup::kSqlWord)) return true;
  // A value that opens with a clause or a boolean ("or 88", "case when a then b", "create
  // table t") continues or starts a statement whatever else it holds.
  static constexpr std::string_view kOpeners[] = {"or",     "and",    "xor",    "case",
                                                  "create", "alter",  "set",    "declare",
                                                  "from",   "values", "having", "where"};
  if (in_list(kOpeners, first_word(s.lower))) return true;
  // Without SQL punctuation, a short value needs a comparison word and a number ("42 like 42",
  // "1 is not 2") to be worth a look; longer prose needs a boolean too ("1 or 1 like 1").
  if (s.chars.any("0123456789")) {
    WeakWords weak = weak_words(s.lower);
    if (weak.compare && (weak.logic || s.lower.size() <= 48)) return true;
  }
  for (char c : s.lower) {
    switch (c) {
      case '\'':
      case '"':
      case '`':
      case ';':
      case '(':
      case ')':
      case '#':
      case '=':
      case '@':
      case '<':
      case '>':
      case '|':
      case '&':
        return true;
      default:
        break;
    }
  }
  return s.lower.find("--") != std::string_view::npos ||
         s.lower.find("/*") != std::string_view::npos ||
         s.lower.find("::") != std::string_view::npos;
}

// SQL Server and Oracle procedures and packages that only an attacker names: alone (or with
// arguments) as the whole value they are a payload; inside longer text, a mention.
constexpr std::string_view kDangerousRoutines[] = {
    "xp_cmdshell",   "xp_dirtree",     "xp_regread",  "xp_fileexist",   "xp_servicecontrol",
    "sp_executesql", "sp_password",    "sp_oacreate", "sp_makewebtask", "sp_configure",
    "openrowset",    "opendatasource", "utl_http",    "utl_inaddr",     "dbms_pipe",
    "dbms_ldap",     "dbms_java"};

constexpr std::string_view kCatalogNames[] = {
    "information_schema", "pg_catalog",  "pg_shadow",  "sqlite_master", "msysobjects",
    "msysaccessobjects",  "sysobjects",  "syscolumns", "mysql.user",    "mysql.db",
    "all_tables",         "user_tables", "dba_users"};

void routine_rule(std::string_view lower, Evidence& best) {
  for (std::string_view r : kCatalogNames) {
    size_t p = lower.find(r);
    if (p == std::string_view::npos || !whole_word(lower, p, p + r.size())) continue;
    if (lower.size() <= r.size() + 4 && best.score < 7) {
      best.score = 7;
      best.level = kLikely;
      best.from = p;
      best.reason = "system catalog";
    }
    break;
  }
  for (std::string_view r : kDangerousRoutines) {
    size_t p = lower.find(r);
    if (p == std::string_view::npos || !whole_word(lower, p, p + r.size())) continue;
    bool alone = lower.size() <= r.size() * 2 + 8;
    int score = alone ? 7 : 4;
    int level = alone ? kLikely : kSuspicious;
    if (score > best.score) {
      best.score = score;
      best.level = level;
      best.from = p;
      best.reason = "dangerous sql routine";
    }
    return;
  }
}

// MySQL executable comments ("/*!50000select", "/*!union"): SQL that MySQL runs and other
// parsers skip. A minified script's licence header ("/*! jQuery v3") has neither.
void executable_comment_rule(std::string_view lower, Evidence& best) {
  for (size_t p = lower.find("/*!"); p != std::string_view::npos; p = lower.find("/*!", p + 3)) {
    size_t k = p + 3;
    size_t digits = 0;
    while (k < lower.size() && lower[k] >= '0' && lower[k] <= '9') ++k, ++digits;
    size_t w = k;
    while (w < lower.size() && is_word_char(lower[w])) ++w;
    std::string_view word = lower.substr(k, w - k);
    bool sql = digits >= 4 || word == "select" || word == "union" || word == "from" ||
               word == "and" || word == "or" || word == "where" || word == "order" ||
               word == "insert" || word == "update" || word == "delete" || word == "sleep";
    if (sql && best.score < 8) {
      best.score = 8;
      best.level = kCertain;
      best.from = p;
      best.reason = "mysql executable comment";
      return;
    }
  }
}

// Lexes `text` in each context an injection starts from and keeps the strongest evidence;
// `shift` is the offset of `text` in the scanned value; `chars` holds (at least) its bytes.
void score_contexts(std::string_view text, size_t shift, const CharMask& chars, Evidence& best) {
  for (char ctx : {'\0', '\'', '"', '`'}) {
    if (ctx && !chars.has(ctx)) continue;
    std::vector<SqlToken> tokens = sql_lex(text, ctx);
    Evidence ev = Scorer(text, tokens, ctx).run();
    ev.from += shift;
    if (ev.score > best.score || (ev.score == best.score && ev.level < best.level)) best = ev;
  }
}

// The reading of a value that the SQL lexer gets: quote look-alikes that databases with a
// lenient collation fold into ' (U+2018, U+2019, U+00B4) become ', and a '+' in a path (which
// many servers decode as a space there too) becomes a space. Lengths are kept (padding before
// the quote), so offsets still point into the value. Empty when nothing changes.
std::string sql_reading(std::string_view text, bool path) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t len = 0;
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0x98 ||
         static_cast<unsigned char>(text[i + 2]) == 0x99)) {
      len = 3;
    } else if (c == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0xB4) {
      len = 2;
    } else if (!(path && c == '+')) {
      continue;
    }
    if (out.empty()) out.assign(text);
    if (len == 0) {
      out[i] = ' ';
    } else {
      out.replace(i, len, std::string(len - 1, ' ') + "'");
      i += len - 1;
    }
  }
  return out;
}

}  // namespace

// Whether the paranoid rules' hits (sensitivity 3) can count under the scan's policy.
bool paranoid_level(const Scan& s) {
  return s.policy == nullptr || s.policy->level(AttackClass::kSqli) >= kSuspicious;
}

void detect_sqli(const Scan& s, Hits& out) {
  Evidence best;
  // The same window as the lexer's: a long value costs no more than 4 KiB of it.
  std::string_view head = s.lower.substr(0, 4096);
  if (s.sigs->has(SigGroup::kSqlWord) || s.chars.has('_')) routine_rule(head, best);
  if (s.chars.has('!') && s.chars.has('*')) executable_comment_rule(head, best);
  if (!worth_lexing(s)) {
    if (best.score > 0) {
      out.push_back(Hit{AttackClass::kSqli, best.score, best.level, best.from,
                        std::min(s.text.size(), best.from + kMaxFragment), best.reason});
    } else if (paranoid_level(s)) {
      paranoid_sql(s, out);
    }
    return;
  }
  std::string_view text = head;
  std::string reading;
  CharMask chars = s.chars;
  if (s.chars.has('\xE2') || s.chars.has('\xC2') || (s.part == Part::kPath && s.chars.has('+'))) {
    reading = sql_reading(text, s.part == Part::kPath);
    if (!reading.empty()) {
      text = reading;
      chars = CharMask::of(reading);
    }
  }
  score_contexts(text, 0, chars, best);
  if (s.is_name) {
    // A form body without '=' arrives whole as a name: "pay=or 1=1" holds a value after '='.
    size_t eq = text.find('=');
    if (eq != std::string_view::npos && eq > 0 && eq + 1 < text.size() &&
        std::all_of(text.begin(), text.begin() + eq, is_word_char)) {
      score_contexts(text.substr(eq + 1), eq + 1, chars, best);
    }
  }
  if (best.score > 0) {
    out.push_back(Hit{AttackClass::kSqli, best.score, best.level, best.from,
                      std::min(s.text.size(), best.from + kMaxFragment), best.reason});
  } else if (paranoid_level(s)) {
    paranoid_sql(s, out);
  }
}

}  // namespace rampart::waf
