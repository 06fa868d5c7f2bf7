#include "audit/python/taint.h"

#include <algorithm>
#include <optional>
#include <unordered_set>

#include "audit/python/sources.h"
#include "audit/python/syntax.h"

namespace rampart::audit::python {

void Taint::merge(const Taint& o) {
  if (request && o.request) {
    fixed_prefix = fixed_prefix && o.fixed_prefix;
  } else if (o.request) {
    fixed_prefix = o.fixed_prefix;
  } else if (!request) {
    fixed_prefix = fixed_prefix && o.fixed_prefix;
  }
  if (o.request && !request) {
    source = o.source;
    source_line = o.source_line;
  }
  if (request && o.request) {
    cleared &= o.cleared;  // safe only if safe on every path
  } else if (o.request) {
    cleared = o.cleared;
  } else if (!request) {
    // Neither carries request data: what a sanitizer cleared on every path (a constant is safe
    // for every sink), so that `if autoescape: value = escape(value)` leaves value unescaped.
    cleared = (literal ? uint8_t{kSinkAll} : cleared) & (o.literal ? uint8_t{kSinkAll} : o.cleared);
  }
  request = request || o.request;
  request_object = request_object || o.request_object;
  built = built || o.built;
  html = html || o.html;
  literal = literal && o.literal;
  params |= o.params;
}

namespace {

// Names to taint. The keys are views: of the source (identifiers), of a function's parameter
// names, or of dotted names the analysis interned, all alive as long as the analysis, so that
// copying an environment at every branch copies no strings.
using Env = TaintAnalysis::Env;

void merge_env(Env& into, const Env& other) {
  for (const auto& [k, v] : other) {
    auto it = into.find(k);
    if (it == into.end()) {
      into.emplace(k, v);
    } else {
      it->second.merge(v);
    }
  }
}

bool has_html_markup(std::string_view s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] != '<') continue;
    char c = s[i + 1];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!') return true;
  }
  return false;
}

// A literal that fixes where a URL goes: a path ("/x", not "//host"), a query or fragment, or an
// absolute URL whose host is complete ("https://api.example.com/...").
// The sinks a part of a built string is safe for: a constant for every sink, anything else for
// those a sanitizer made it safe for (`"DESCRIBE %s" % ops.quote_name(table)`).
uint8_t part_safe(const Taint& t) { return t.literal ? uint8_t{kSinkAll} : t.cleared; }

// True for a %-format whose conversions all make numbers ("LIMIT %d", "%.2f%%"): whatever the
// operands hold, the result is digits (Python raises TypeError for anything else).
bool numeric_format(std::string_view f) {
  bool any = false;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') continue;
    size_t j = i + 1;
    if (j < f.size() && f[j] == '%') {
      i = j;
      continue;
    }
    if (j < f.size() && f[j] == '(') {
      j = f.find(')', j);
      if (j == std::string_view::npos) return false;
      ++j;
    }
    while (j < f.size() &&
           std::string_view("#0- +.*123456789").find(f[j]) != std::string_view::npos)
      ++j;
    if (j < f.size() && (f[j] == 'h' || f[j] == 'l' || f[j] == 'L')) ++j;
    if (j >= f.size() || std::string_view("diouxXeEfFgG").find(f[j]) == std::string_view::npos)
      return false;
    any = true;
    i = j;
  }
  return any;
}

bool fixes_destination(std::string_view lit) {
  if (lit.empty()) return false;
  if (lit[0] == '?' || lit[0] == '#') return true;
  if (lit[0] == '/') return lit.size() > 1 && lit[1] != '/' && lit[1] != '\\';
  size_t scheme = lit.find("://");
  if (scheme == std::string_view::npos || scheme == 0 || scheme > 10) return false;
  return lit.find('/', scheme + 3) != std::string_view::npos;
}

Taint constant() {
  Taint t;
  t.literal = true;
  return t;
}

}  // namespace

// Walks one function body (or the module body) in statement order.
class FunctionWalker {
 public:
  FunctionWalker(TaintAnalysis& a, FunctionInfo* fn) : a_(a), fn_(fn) {}

  // Nesting deeper than this (only generated or hostile code has it) is not followed, so that
  // the recursion of the walk stays far from the stack's end.
  static constexpr int kMaxDepth = 256;

  struct Deeper {
    explicit Deeper(int& d) : d_(d) { ++d_; }
    ~Deeper() { --d_; }
    int& d_;
  };

  void walk_block(TSNode block, Env& env) {
    if (depth_ > kMaxDepth) return;
    Deeper deeper(depth_);
    for (TSNode s : named_children(block)) walk_statement(s, env);
  }

  void walk_statement(TSNode s, Env& env) {
    std::string_view k = kind(s);
    if (k == "function_definition" || k == "class_definition" || k == "decorated_definition") {
      if (k == "class_definition" && !fn_) walk_block(field(s, "body"), env);
      if (k == "decorated_definition") {
        for (TSNode d : named_children(s)) {
          if (is(d, "decorator")) eval(d, env);
          if (is(d, "class_definition") && !fn_) walk_block(field(d, "body"), env);
        }
      }
      return;
    }
    if (k == "expression_statement") {
      for (TSNode c : named_children(s)) statement_expression(c, env);
    } else if (k == "return_statement") {
      Taint t;
      for (TSNode c : named_children(s)) t.merge(eval(c, env));
      if (fn_) fn_->returns.merge(t);
    } else if (k == "if_statement") {
      TSNode cond = field(s, "condition");
      eval(cond, env);
      auto [checked, negated] = membership_check(cond);
      Env base = env;
      if (!checked.empty() && !negated) clear(checked, env);
      walk_block(field(s, "consequence"), env);
      bool has_else = false;
      for (TSNode c : named_children(s)) {
        if (is(c, "elif_clause")) {
          Env e = base;
          eval(field(c, "condition"), e);
          walk_block(field(c, "consequence"), e);
          merge_env(env, e);
        } else if (is(c, "else_clause")) {
          has_else = true;
          Env e = base;
          walk_block(field(c, "body"), e);
          merge_env(env, e);
        }
      }
      if (!has_else) merge_env(env, base);
      // `if x not in ALLOWED: return` leaves x checked for the rest of the function.
      if (!checked.empty() && negated && exits(field(s, "consequence"))) clear(checked, env);
    } else if (k == "for_statement") {
      Taint it = eval(field(s, "right"), env);
      it.literal = false;
      Env before = env;
      for (int pass = 0; pass < 2; ++pass) {
        bind(field(s, "left"), it, env);
        walk_block(field(s, "body"), env);
      }
      merge_env(env, before);
      TSNode alt = field(s, "alternative");
      if (!is_null(alt)) walk_block(field(alt, "body"), env);
    } else if (k == "while_statement") {
      Env before = env;
      for (int pass = 0; pass < 2; ++pass) {
        eval(field(s, "condition"), env);
        walk_block(field(s, "body"), env);
      }
      merge_env(env, before);
    } else if (k == "with_statement") {
      for (TSNode clause : named_children(s)) {
        if (!is(clause, "with_clause")) continue;
        for (TSNode item : named_children(clause)) {
          TSNode v = field(item, "value");
          if (is(v, "as_pattern")) {
            auto parts = named_children(v);
            Taint t = parts.empty() ? Taint{} : eval(parts.front(), env);
            if (parts.size() > 1) {
              TSNode target = parts.back();
              if (is(target, "as_pattern_target")) target = ts_node_named_child(target, 0);
              bind(target, t, env);
            }
          } else {
            eval(v, env);
          }
        }
      }
      walk_block(field(s, "body"), env);
    } else {
      // try/except/finally, match, raise, assert, del, global...: blocks in order, and every
      // expression evaluated so that the rules find its taint.
      for (TSNode c : named_children(s)) {
        std::string_view ck = kind(c);
        if (ck == "block") {
          walk_block(c, env);
        } else if (ck == "except_clause" || ck == "finally_clause" || ck == "else_clause" ||
                   ck == "case_clause" || ck == "except_group_clause") {
          for (TSNode cc : named_children(c)) {
            if (is(cc, "block"))
              walk_block(cc, env);
            else if (!is(cc, "as_pattern"))
              eval(cc, env);
          }
        } else if (ck != "comment") {
          eval(c, env);
        }
      }
    }
  }

  // `x in ALLOWED` / `x not in ALLOWED` with a name on the left: (name, negated).
  std::pair<std::string, bool> membership_check(TSNode cond) {
    bool negated = false;
    if (is(cond, "not_operator")) {
      negated = true;
      cond = field(cond, "argument");
    }
    if (is(cond, "parenthesized_expression")) cond = ts_node_named_child(cond, 0);
    if (!is(cond, "comparison_operator") || ts_node_named_child_count(cond) != 2) return {};
    TSNode left = ts_node_named_child(cond, 0);
    std::string name = dotted_name(left, a_.src_);
    if (name.empty()) return {};
    for (uint32_t i = 0; i < ts_node_child_count(cond); ++i) {
      TSNode op = ts_node_child(cond, i);
      if (ts_node_is_named(op)) continue;
      std::string_view t = text(op, a_.src_);
      if (t == "in") return {name, negated};
      if (t == "not in") return {name, !negated};
      if (t == "not") negated = !negated;  // "not in" is two tokens
    }
    return {};
  }

  // True when a block always leaves the function (return, raise, abort()).
  bool exits(TSNode block) {
    uint32_t n = ts_node_named_child_count(block);
    if (n == 0) return false;
    TSNode last = ts_node_named_child(block, n - 1);
    if (is(last, "return_statement") || is(last, "raise_statement")) return true;
    if (is(last, "expression_statement")) {
      TSNode e = ts_node_named_child(last, 0);
      if (is(e, "call")) {
        std::string_view f = last_name(field(e, "function"), a_.src_);
        return f == "abort" || f == "exit";
      }
    }
    return false;
  }

  static void clear(const std::string& name, Env& env) {
    auto it = env.find(name);
    if (it != env.end()) it->second.cleared = kSinkAll;
  }

  void statement_expression(TSNode c, Env& env) {
    std::string_view k = kind(c);
    if (k == "assignment") {
      assign(c, env);
    } else if (k == "augmented_assignment") {
      Taint cur = eval(field(c, "left"), env);
      Taint t = eval(field(c, "right"), env);
      std::string_view op = text(field(c, "operator"), a_.src_);
      bool stringish = cur.literal || cur.built || t.literal || t.built;
      cur.merge(t);
      if (op == "+=" && stringish && !(cur.literal && t.literal)) cur.built = true;
      cur.literal = cur.literal && t.literal;
      bind(field(c, "left"), cur, env);
    } else {
      eval(c, env);
    }
  }

  Taint assign(TSNode c, Env& env) {
    TSNode right = field(c, "right");
    if (is_null(right)) return {};
    Taint t = is(right, "assignment") ? assign(right, env) : eval(right, env);
    store(c, t);
    bind(field(c, "left"), t, env);
    return t;
  }

  void bind(TSNode target, const Taint& t, Env& env) {
    if (depth_ > kMaxDepth) return;
    Deeper deeper(depth_);
    std::string_view k = kind(target);
    if (k == "identifier") {
      env[text(target, a_.src_)] = t;
    } else if (k == "pattern_list" || k == "tuple_pattern" || k == "list_pattern" || k == "tuple" ||
               k == "list" || k == "expression_list") {
      Taint e = t;
      e.literal = false;
      for (TSNode c : named_children(target)) bind(c, e, env);
    } else if (k == "list_splat_pattern" || k == "parenthesized_expression") {
      bind(ts_node_named_child(target, 0), t, env);
    } else if (k == "attribute" || k == "subscript") {
      TSNode base = k == "attribute" ? field(target, "object") : field(target, "value");
      if (k == "attribute") {
        std::string d = dotted_name(target, a_.src_);
        if (!d.empty()) slot(env, d) = t;
      } else {
        eval(field(target, "subscript"), env);
      }
      std::string b = dotted_name(base, a_.src_);
      if (!b.empty() && (t.request || t.params)) {
        Taint weak = t;
        weak.literal = false;
        weak.request_object = false;
        slot(env, b).merge(weak);
      }
    }
  }

  // The entry of a dotted name, made with an interned key when new.
  Taint& slot(Env& env, const std::string& name) {
    if (auto it = env.find(std::string_view(name)); it != env.end()) return it->second;
    return env.emplace(a_.intern(name), Taint{}).first->second;
  }

  Taint lookup(const std::string& name, const Env& env) {
    if (auto it = env.find(name); it != env.end()) return it->second;
    if (fn_) {
      if (auto it = a_.globals_.find(name); it != a_.globals_.end()) return it->second;
    }
    return {};
  }

  void store(TSNode n, const Taint& t) {
    auto [it, fresh] = a_.cache_.emplace(n.id, t);
    if (!fresh) it->second.merge(t);
  }

  Taint eval(TSNode n, Env& env) {
    if (is_null(n) || depth_ > kMaxDepth) return {};
    Deeper deeper(depth_);
    Taint t = eval_uncached(n, env);
    store(n, t);
    return t;
  }

  Taint request_source(TSNode n) {
    Taint t;
    t.request = true;
    std::string_view s = text(n, a_.src_);
    t.source = s.substr(0, 80);
    t.source_line = line_of(n);
    return t;
  }

  Taint eval_uncached(TSNode n, Env& env) {
    std::string_view k = kind(n);
    const std::string_view src = a_.src_;
    if (k == "identifier") {
      std::string_view name = text(n, src);
      auto it = env.find(name);
      if (it != env.end()) return it->second;
      if (fn_) {
        if (auto g = a_.globals_.find(name); g != a_.globals_.end()) return g->second;
      }
      // An identifier qualifies to its import's target, or to itself when not imported.
      const std::string* q = a_.imports_.imported_as(std::string(name));
      if (name == "request" ||
          (q && (*q == "flask.request" || *q == "quart.request" || *q == "bottle.request"))) {
        Taint t;
        t.request_object = true;
        return t;
      }
      return {};
    }
    if (k == "attribute") {
      std::string d = dotted_name(n, src);
      if (!d.empty()) {
        if (auto it = env.find(d); it != env.end()) return it->second;
      }
      TSNode obj = field(n, "object");
      std::string_view attr = text(field(n, "attribute"), src);
      Taint o = eval(obj, env);
      if (o.request_object) {
        if (!is_request_attribute(attr)) return {};
        Taint t = request_source(n);
        // The request's own path or URL points at this site: not an open redirect or SSRF.
        if (attr == "path" || attr == "full_path" || attr == "url" || attr == "base_url" ||
            attr == "raw_path" || attr == "rel_url") {
          t.cleared |= kSinkUrl;
        }
        return t;
      }
      if (attr == "request" && (is(obj, "identifier") && text(obj, src) == "self")) {
        Taint t;
        t.request_object = true;
        return t;
      }
      o.literal = false;
      return o;
    }
    if (k == "subscript") {
      Taint v = eval(field(n, "value"), env);
      if (v.request && v.source == text(field(n, "value"), src)) {
        v.source = text(n, src).substr(0, 80);
      }
      for (TSNode c : named_children(n)) {
        if (!ts_node_eq(c, field(n, "value"))) eval(c, env);
      }
      v.request_object = false;
      v.literal = false;
      return v;
    }
    if (k == "call") return eval_call(n, env);
    if (k == "string") {
      Taint t = constant();
      bool first_part = true;
      bool fixed = false;
      uint8_t parts = kSinkAll;
      for (TSNode c : named_children(n)) {
        if (first_part && (is(c, "string_content") || is(c, "interpolation"))) {
          fixed = is(c, "string_content") ? fixes_destination(text(c, src))
                                          : eval(field(c, "expression"), env).fixed_prefix;
          first_part = false;
        }
        if (is(c, "interpolation")) {
          Taint e = eval(field(c, "expression"), env);
          if (!e.literal) t.built = true;
          parts &= part_safe(e);
          e.literal = true;
          t.merge(e);
          t.literal = false;
        } else if (is(c, "string_content") && has_html_markup(text(c, src))) {
          t.html = true;
        }
      }
      if (t.built) t.literal = false;
      if (t.built && !t.request) t.cleared = parts;
      t.fixed_prefix = fixed;
      return t;
    }
    if (k == "concatenated_string") {
      Taint t = constant();
      for (TSNode c : named_children(n)) t.merge(eval(c, env));
      return t;
    }
    if (k == "integer" || k == "float" || k == "true" || k == "false" || k == "none") {
      return constant();
    }
    if (k == "binary_operator") {
      Taint l = eval(field(n, "left"), env);
      Taint r = eval(field(n, "right"), env);
      std::string_view op = text(field(n, "operator"), src);
      // `TEMPLATE % {"title": "Not Found"}`: a container of constants is a constant operand.
      auto constant_container = [&](TSNode c, const Taint& ct) {
        std::string_view ck = kind(c);
        if (ck != "dictionary" && ck != "tuple" && ck != "list") return false;
        if (ct.request || ct.built || ct.params) return false;
        for (TSNode e : named_children(c)) {
          TSNode v = is(e, "pair") ? field(e, "value") : e;
          if (!a_.taint_cached(v).literal) return false;
        }
        return true;
      };
      bool both_const = (l.literal || constant_container(field(n, "left"), l)) &&
                        (r.literal || constant_container(field(n, "right"), r));
      bool stringish = is(field(n, "left"), "string") || is(field(n, "right"), "string") ||
                       l.built || r.built || l.html || r.html;
      Taint t = l;
      t.merge(r);
      t.request_object = false;
      if ((op == "+" || op == "%") && stringish && !both_const) t.built = true;
      if (op == "+" || op == "%") {
        auto lit = string_value(field(n, "left"), src);
        t.fixed_prefix = (lit && fixes_destination(*lit)) || l.fixed_prefix;
        // `self.url % kwargs`: a format the code chose (not request data) decides the shape.
        if (op == "%" && !lit && !l.request && !l.literal && !l.built) t.fixed_prefix = true;
        if (op == "%" && lit && lit->starts_with("%s")) {
          // "%s?%s" % (url, query): the first value decides where the URL goes.
          TSNode right = field(n, "right");
          TSNode first = is(right, "tuple") ? ts_node_named_child(right, 0) : right;
          Taint f = a_.taint_cached(first);
          t.fixed_prefix = f.fixed_prefix || (!f.request && f.literal && f.fixed_prefix);
        }
      }
      if (op != "+" && op != "%") t.built = false;
      t.literal = both_const;
      // "\n" * count: a constant string repeated holds only the code's own characters.
      if (op == "*" &&
          (string_value(field(n, "left"), src) || string_value(field(n, "right"), src))) {
        return constant();
      }
      if (t.built && !t.request) {
        t.cleared = parts_safe(field(n, "left"), l) & parts_safe(field(n, "right"), r);
      }
      if (op == "%") {
        auto format = string_value(field(n, "left"), src);
        if (format && numeric_format(*format)) {
          t.built = false;
          t.cleared = kSinkAll;
        }
      }
      return t;
    }
    if (k == "comparison_operator" || k == "not_operator" || k == "lambda") {
      for (TSNode c : named_children(n)) {
        if (k != "lambda") eval(c, env);
      }
      return {};
    }
    if (k == "list_comprehension" || k == "set_comprehension" || k == "generator_expression" ||
        k == "dictionary_comprehension") {
      Env inner = env;
      Taint t;
      for (TSNode c : named_children(n)) {
        if (is(c, "for_in_clause")) {
          Taint it = eval(field(c, "right"), inner);
          it.literal = false;
          bind(field(c, "left"), it, inner);
        }
      }
      uint8_t elements = 0;
      bool first = true;
      for (TSNode c : named_children(n)) {
        if (is(c, "for_in_clause")) continue;
        Taint e = eval(c, inner);
        t.merge(e);
        // The element (the value of a dict's pair) decides what the sanitizers cleared:
        // [escape(x) for x in xs] is escaped text.
        if (first && !is(c, "if_clause")) {
          elements = is(c, "pair") ? part_safe(a_.taint_cached(field(c, "value"))) : part_safe(e);
          first = false;
        }
      }
      if (!t.request) t.cleared = elements;
      t.literal = false;
      return t;
    }
    if (k == "named_expression") {
      Taint t = eval(field(n, "value"), env);
      bind(field(n, "name"), t, env);
      return t;
    }
    if (k == "conditional_expression") {
      auto parts = named_children(n);
      Taint t = constant();
      for (size_t i = 0; i < parts.size(); ++i) {
        Taint e = eval(parts[i], env);
        if (i != 1) t.merge(e);  // the condition does not flow into the value
      }
      return t;
    }
    // Containers, await, parentheses, unary and boolean operators, keyword arguments...: the
    // union of what they hold.
    Taint t = constant();
    bool any = false;
    for (TSNode c : named_children(n)) {
      if (is(c, "comment")) continue;
      t.merge(eval(c, env));
      any = true;
    }
    if (!any) t.literal = false;
    if (k == "list" || k == "tuple" || k == "set" || k == "dictionary" || k == "pair") {
      t.literal = false;
    }
    if (k != "parenthesized_expression" && k != "await" && k != "keyword_argument") {
      t.request_object = false;
    }
    if (k == "await" || k == "parenthesized_expression") return t;
    return t;
  }

  // part_safe for an operand; the elements of a tuple, list or dict operand one by one
  // (`"%s.%s" % (quote_name(table), column)` is as safe as its least safe element).
  uint8_t parts_safe(TSNode operand, const Taint& t) const {
    std::string_view k = kind(operand);
    if (k != "tuple" && k != "list" && k != "dictionary") return part_safe(t);
    uint8_t out = kSinkAll;
    for (TSNode e : named_children(operand)) {
      if (is(e, "comment")) continue;
      TSNode v = is(e, "pair") ? field(e, "value") : e;
      if (is(e, "list_splat") || is(e, "dictionary_splat")) return 0;
      out &= part_safe(a_.taint_cached(v));
    }
    return out;
  }

  Taint eval_call(TSNode n, Env& env) {
    const std::string_view src = a_.src_;
    TSNode callee = field(n, "function");
    std::string q = a_.imports_.qualify(callee, src);
    std::string_view last = last_name(callee, src);
    Taint recv;
    bool method = is(callee, "attribute");
    if (method)
      recv = eval(field(callee, "object"), env);
    else if (!is(callee, "identifier"))
      recv = eval(callee, env);

    CallArgs args = call_args(n, src);
    // Inline storage: nearly every call has a few arguments, and the walk evaluates every call.
    boost::container::small_vector<Taint, 4> pos;
    boost::container::small_vector<std::pair<std::string_view, Taint>, 4> kw;
    Taint all = constant();
    for (TSNode a : args.positional) {
      pos.push_back(eval(a, env));
      all.merge(pos.back());
    }
    for (const auto& [name, v] : args.keywords) {
      kw.emplace_back(name, eval(v, env));
      all.merge(kw.back().second);
    }
    if (args.has_star) {
      all.literal = false;
      for (TSNode a : named_children(field(n, "arguments"))) {
        if (is(a, "list_splat") || is(a, "dictionary_splat")) all.merge(eval(a, env));
      }
    }

    if (recv.request_object && method && is_request_method(last)) return request_source(n);
    if (recv.request_object && method && last == "get") {
      // Starlette's request.get / Werkzeug's args.get etc. are handled on the attribute; a
      // bare request.get(...) (aiohttp's mapping) is client data too.
      return request_source(n);
    }

    if (method && is_container_mutator(last)) {
      std::string target = dotted_name(field(callee, "object"), src);
      if (!target.empty() && (all.request || all.params || all.built || all.html)) {
        Taint weak = all;
        weak.literal = false;
        slot(env, target).merge(weak);
      }
    }

    // A URL validator clears the value it checked for the rest of the walk: the code that
    // calls it acts on its answer.
    if (last == "url_has_allowed_host_and_scheme" || last == "is_safe_url") {
      TSNode checked = args.get(0, "url");
      std::string name = dotted_name(checked, src);
      if (!name.empty()) {
        auto it = env.find(name);
        if (it != env.end()) it->second.cleared |= kSinkUrl;
      }
      return {};
    }
    // Rows from the database are stored data, not this request's: lookups end the flow.
    // Django's ContentType.get_object_for_this_type and the class-based views' get_object() fetch
    // a row too.
    if (last == "get_object_or_404" || last == "get_list_or_404" ||
        last == "get_object_for_this_type" || last == "get_all_objects_for_this_type" ||
        (method && last == "get_object") ||
        dotted_name(callee, src).find(".objects.") != std::string::npos) {
      return {};
    }
    uint8_t mask = sanitizer_mask(q, last);
    if (mask == kSinkAll) return {};
    // map(escape, values): every element went through the sanitizer.
    if (q == "map" && !args.positional.empty()) {
      TSNode f = args.positional[0];
      mask |= sanitizer_mask(a_.imports_.qualify(f, src), last_name(f, src));
    }
    // Local URLs built by the framework: a path of this site.
    if (last == "reverse" || last == "url_for" || last == "reverse_lazy" || last == "resolve_url") {
      Taint t = all;
      t.literal = false;
      t.built = false;
      t.cleared |= kSinkUrl;
      t.fixed_prefix = true;
      return t;
    }

    if (method && recv.request && recv.source == text(field(callee, "object"), src) &&
        (last == "get" || last == "getlist" || last == "getone")) {
      Taint t = recv;
      t.source = text(n, src).substr(0, 80);
      t.literal = false;
      return t;
    }

    Taint result;
    if (FunctionInfo* f = a_.resolve_call(callee, fn_ ? fn_->class_name : std::string())) {
      // Arguments to parameters: positional in order (after self/cls for methods), then keywords.
      size_t offset = (!f->class_name.empty() && !f->params.empty() &&
                       (f->params[0] == "self" || f->params[0] == "cls"))
                          ? 1
                          : 0;
      auto param_taint = [&](size_t i) -> Taint {
        if (i >= offset && i - offset < pos.size()) return pos[i - offset];
        for (const auto& [name, t] : kw) {
          if (i < f->params.size() && f->params[i] == name) return t;
        }
        return {};
      };
      for (size_t i = 0; i < f->params.size(); ++i) {
        Taint t = param_taint(i);
        if (t.request && f->param_request[i].empty()) {
          std::string d(t.source);
          if (t.source_line) d += " (line " + std::to_string(t.source_line) + ")";
          d += ", passed to " + f->key + "() at line " + std::to_string(line_of(n));
          f->param_request[i] = a_.intern(std::move(d));
          f->dirty_next = true;
        }
      }
      if (fn_) {
        size_t me = static_cast<size_t>(fn_ - a_.functions_.data());
        if (std::find(f->callers.begin(), f->callers.end(), me) == f->callers.end()) {
          f->callers.push_back(me);
        }
      }
      const Taint& r = f->returns;
      result.built = r.built;
      result.html = r.html;
      result.literal = r.literal && !r.params;
      if (r.request) {
        result.request = true;
        result.source = r.source;
        result.source_line = r.source_line;
        result.cleared = r.cleared;
        // A helper that builds a redirect URL from a format or a route of its own.
        result.fixed_prefix = r.fixed_prefix;
      }
      for (size_t i = 0; i < f->params.size() && i < 64; ++i) {
        if (r.params & (1ull << i)) {
          Taint t = param_taint(i);
          t.literal = false;
          result.merge(t);
        }
      }
      return result;
    }

    result = all;
    if (method && !recv.request_object) {
      result.merge(recv);
    }
    result.request_object = false;
    bool string_op = method && is_string_method(last);
    // Keywords no str method takes mean another type's method of the same name
    // (code.replace(co_name=...) on a code object).
    if (string_op && last != "format") {
      static constexpr std::string_view kStrKeywords[] = {
          "sep", "maxsplit", "keepends", "encoding", "errors", "tabsize", "count"};
      for (const auto& [name, v] : args.keywords) {
        if (std::find(std::begin(kStrKeywords), std::end(kStrKeywords), name) ==
            std::end(kStrKeywords))
          string_op = false;
      }
    }
    if (q == "str" || q == "repr") string_op = true;
    if (string_op) {
      bool recv_const = !method || recv.literal;
      bool const_result = recv_const && all.literal;
      if ((last == "format" || last == "join" || last == "format_map") && !const_result) {
        result.built = true;
        if (!result.request) {
          uint8_t parts = method ? part_safe(recv) : uint8_t{kSinkAll};
          for (size_t i = 0; i < pos.size() && i < args.positional.size(); ++i)
            parts &= parts_safe(args.positional[i], pos[i]);
          for (const auto& [name, t] : kw) parts &= part_safe(t);
          for (TSNode a : named_children(field(n, "arguments"))) {
            if (is(a, "list_splat") || is(a, "dictionary_splat"))
              parts &= part_safe(a_.taint_cached(ts_node_named_child(a, 0)));
          }
          result.cleared = parts;
        }
      }
      if (last == "format" && method) {
        // A format string the code chose (a literal with a fixed start, or a value that is not
        // request data, such as a setting or a class attribute) decides where the URL goes.
        auto lit = string_value(field(callee, "object"), src);
        result.fixed_prefix =
            lit ? fixes_destination(*lit) : (!recv.request && !recv.literal && !recv.built);
      }
      result.literal = const_result;
    } else {
      result.built = false;
      result.html = false;
      result.literal = false;
      // A function the walk cannot see returns its URL argument with the other data added to it
      // (add_preserved_filters(context, url), a query-string helper): when request data reaches
      // it only inside containers (a context dict, a list of options) or as URLs of this site
      // (request.path, reverse()), the data does not choose where the result goes. urljoin is
      // the exception: an absolute second URL replaces the first.
      if (last != "urljoin") {
        bool plain = false, plain_request = false;
        auto judge = [&](TSNode node, const Taint& a) {
          std::string_view k = kind(node);
          if (k == "dictionary" || k == "list" || k == "tuple" || k == "set") return;
          plain = true;
          if (a.request && !(a.cleared & kSinkUrl) && !a.fixed_prefix) plain_request = true;
        };
        for (size_t i = 0; i < pos.size() && i < args.positional.size(); ++i)
          judge(args.positional[i], pos[i]);
        for (size_t i = 0; i < kw.size() && i < args.keywords.size(); ++i)
          judge(args.keywords[i].second, kw[i].second);
        if (plain && !plain_request && !args.has_star) result.fixed_prefix = true;
      } else if (pos.size() >= 2) {
        result.fixed_prefix = pos[1].fixed_prefix;
      }
    }
    result.cleared |= mask;
    return result;
  }

 private:
  TaintAnalysis& a_;
  FunctionInfo* fn_;
  int depth_ = 0;
};

void TaintAnalysis::collect_functions(TSNode n, const std::string& class_name, int depth) {
  if (depth > 256) return;  // see FunctionWalker::kMaxDepth
  for (TSNode c : named_children(n)) {
    std::string_view k = kind(c);
    TSNode def = c;
    std::vector<TSNode> decorators;
    if (k == "decorated_definition") {
      for (TSNode d : named_children(c)) {
        if (is(d, "decorator")) decorators.push_back(d);
      }
      def = field(c, "definition");
      k = kind(def);
    }
    if (k == "class_definition") {
      collect_functions(field(def, "body"), std::string(text(field(def, "name"), src_)), depth + 1);
      continue;
    }
    if (k != "function_definition") {
      // Functions inside if/try blocks at module level still count.
      if (k == "if_statement" || k == "try_statement" || k == "block" || k == "else_clause" ||
          k == "elif_clause" || k == "except_clause" || k == "finally_clause" ||
          k == "with_statement") {
        collect_functions(c, class_name, depth + 1);
      }
      continue;
    }
    FunctionInfo f;
    f.node = def;
    f.class_name = class_name;
    std::string name(text(field(def, "name"), src_));
    f.key = class_name.empty() ? name : class_name + "." + name;
    for (TSNode p : named_children(field(def, "parameters"))) {
      std::string_view pk = kind(p);
      TSNode id = p;
      if (pk == "typed_parameter" || pk == "list_splat_pattern" ||
          pk == "dictionary_splat_pattern") {
        id = ts_node_named_child(p, 0);
        if (is(id, "list_splat_pattern") || is(id, "dictionary_splat_pattern")) {
          id = ts_node_named_child(id, 0);
        }
      } else if (pk == "default_parameter" || pk == "typed_default_parameter") {
        id = field(p, "name");
      }
      f.params.emplace_back(is(id, "identifier") ? text(id, src_) : "");
    }
    f.param_request.assign(f.params.size(), std::string_view());
    // Routes: @app.route / @bp.get / @router.post / @api_view ...
    for (TSNode d : decorators) {
      TSNode e = ts_node_named_child(d, 0);
      TSNode call = is(e, "call") ? e : TSNode{};
      TSNode callee = is(e, "call") ? field(e, "function") : e;
      std::string_view last = last_name(callee, src_);
      static constexpr std::string_view kVerbs[] = {"get",   "post", "put",     "delete",
                                                    "patch", "head", "options", "websocket"};
      bool verb = false;
      for (auto v : kVerbs) verb = verb || last == v;
      if (last == "route" || last == "api_route" || last == "api_view" || verb) {
        std::string q = imports_.qualify(callee, src_);
        if (starts_with(q, "requests.") || starts_with(q, "httpx.")) continue;
        f.is_route = true;
        if (verb) {
          std::string up(last);
          for (char& ch : up) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
          f.http_methods.push_back(up);
        }
        if (!is_null(call)) {
          CallArgs a = call_args(call, src_);
          TSNode methods = a.keyword("methods");
          if (last == "api_view" && !a.positional.empty()) methods = a.positional[0];
          for (TSNode m : named_children(methods)) {
            if (auto s = string_value(m, src_)) {
              std::string up = *s;
              for (char& ch : up) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
              f.http_methods.push_back(up);
            }
          }
        }
        if (f.http_methods.empty()) f.http_methods.push_back("GET");
        f.flask_route = last == "route" || (verb && !imports_.imports_module("fastapi"));
      }
    }
    by_start_[ts_node_start_byte(def)] = functions_.size();
    by_key_.emplace(f.key, functions_.size());
    functions_.push_back(std::move(f));
    collect_functions(field(def, "body"), "", depth + 1);  // nested functions
  }
}

FunctionInfo* TaintAnalysis::resolve_call(TSNode callee, const std::string& class_name) {
  std::string key;
  if (is(callee, "identifier")) {
    key = std::string(text(callee, src_));
  } else if (is(callee, "attribute")) {
    TSNode obj = field(callee, "object");
    std::string_view o = text(obj, src_);
    if (is(obj, "identifier") && (o == "self" || o == "cls") && !class_name.empty()) {
      key = class_name + "." + std::string(text(field(callee, "attribute"), src_));
    } else {
      return nullptr;
    }
  } else {
    return nullptr;
  }
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : &functions_[it->second];
}

namespace {

// The parameters of a view that carry client data.
// A Django view by its shape: `def name(request, ...)` that nothing in the module calls (a
// function the module calls is a helper, whose parameters carry what its callers pass), or a
// class-based view's handler `def get(self, request, ...)`.
bool django_view(const FunctionInfo& f, const std::unordered_set<std::string>& called) {
  if (f.is_route || f.params.empty()) return false;
  std::string name = f.key.substr(f.key.rfind('.') == std::string::npos ? 0 : f.key.rfind('.') + 1);
  if (f.params[0] == "request") return f.class_name.empty() && !called.count(name);
  if (f.params[0] == "self" && f.params.size() > 1 && f.params[1] == "request") {
    static constexpr std::string_view kHandlers[] = {"get",    "post", "put",     "patch",
                                                     "delete", "head", "options", "dispatch"};
    for (auto h : kHandlers) {
      if (name == h) return true;
    }
  }
  return false;
}

Taint parameter_taint(TaintAnalysis& a, const FunctionInfo& f, size_t i, TSNode param,
                      std::string_view src, bool web, bool fastapi,
                      const std::string& route_pattern, bool django) {
  Taint t;
  if (i < 64) t.params = 1ull << i;
  const std::string& name = f.params[i];
  std::string_view annotation;
  TSNode ann = field(param, "type");
  if (!is_null(ann)) annotation = text(ann, src);
  // `req` names a request only where a web framework is imported (elsewhere it is as often a
  // requirement or a urllib Request the code built itself).
  if (is_request_parameter(name, annotation) && (name != "req" || web || !annotation.empty())) {
    t.request_object = true;
    return t;
  }
  bool tainted = false;
  if (f.is_route && name != "self" && name != "cls") {
    if (fastapi) {
      TSNode def = field(param, "value");
      std::string_view dflt = text(def, src);
      bool depends = starts_with(dflt, "Depends(") || starts_with(dflt, "Security(") ||
                     starts_with(dflt, "fastapi.Depends(");
      tainted = !depends && !is_clean_annotation(annotation);
    } else if (!route_pattern.empty()) {
      // Flask: <name>, <string:name>, <path:name> carry text; <int:name>, <float:name>,
      // <uuid:name> are converted before the view sees them.
      for (size_t p = route_pattern.find('<'); p != std::string::npos;
           p = route_pattern.find('<', p + 1)) {
        size_t e = route_pattern.find('>', p);
        if (e == std::string::npos) break;
        std::string inner = route_pattern.substr(p + 1, e - p - 1);
        std::string conv, pname = inner;
        if (auto colon = inner.find(':'); colon != std::string::npos) {
          conv = inner.substr(0, colon);
          pname = inner.substr(colon + 1);
        }
        if (pname == name && conv != "int" && conv != "float" && conv != "uuid") tainted = true;
      }
    } else {
      tainted = !is_clean_annotation(annotation);
    }
  } else if (django && i > 0 && name != "self" && name != "request") {
    // Django views: the URL's keyword arguments follow the request.
    tainted = !is_clean_annotation(annotation) && name != "args" && name != "kwargs";
    if (name == "args" || name == "kwargs") tainted = true;
  }
  if (tainted) {
    t.request = true;
    t.source = a.intern("route parameter '" + name + "'");
    t.source_line = line_of(param);
  }
  return t;
}

std::string route_pattern(const FunctionInfo& f, std::string_view src) {
  TSNode parent = parent_of(f.node);
  if (!is(parent, "decorated_definition")) return "";
  for (TSNode d : named_children(parent)) {
    TSNode e = ts_node_named_child(d, 0);
    if (!is(d, "decorator") || !is(e, "call")) continue;
    CallArgs a = call_args(e, src);
    if (a.positional.empty()) continue;
    if (auto s = string_value(a.positional[0], src)) return *s;
  }
  return "";
}

}  // namespace

void TaintAnalysis::run(TSNode root) {
  // The analysis asks for children and fields all the time: index the tree unless the caller
  // already did.
  std::optional<SyntaxIndex> own_index;
  std::optional<SyntaxIndex::Scope> scope;
  if (!SyntaxIndex::for_node(root)) {
    own_index.emplace(root);
    scope.emplace(*own_index);
  }
  collect_functions(root, "", 0);
  bool fastapi = imports_.imports_module("fastapi") || imports_.imports_module("starlette");
  bool web = fastapi;
  for (std::string_view m : {"flask", "django", "aiohttp", "quart", "bottle", "falcon", "sanic",
                             "tornado", "pyramid", "werkzeug", "litestar"}) {
    web = web || imports_.imports_module(m);
  }
  std::vector<std::string> patterns;
  for (auto& f : functions_) patterns.push_back(route_pattern(f, src_));
  // Names the module calls, to tell Django views from helpers that take a request.
  std::unordered_set<std::string> called;
  bool maybe_django = false;
  for (auto& f : functions_)
    maybe_django = maybe_django || (!f.params.empty() && f.params[0] == "request");
  if (maybe_django) {
    for (TSNode n : SyntaxIndex::for_node(root)->named_preorder()) {
      if (is(n, "call")) {
        TSNode fn = field(n, "function");
        if (is(fn, "identifier")) called.emplace(text(fn, src_));
      }
    }
  }
  std::vector<char> django;
  for (auto& f : functions_) django.push_back(django_view(f, called));
  // Taint only grows from one round to the next, so the cache keeps merging across rounds.
  cache_.clear();
  if (const SyntaxIndex* index = SyntaxIndex::for_node(root))
    cache_.reserve(index->named_preorder().size() / 2);
  for (int round = 0; round < 6; ++round) {
    Env module_env;
    globals_.clear();
    FunctionWalker(*this, nullptr).walk_block(root, module_env);
    globals_ = std::move(module_env);
    for (size_t fi = 0; fi < functions_.size(); ++fi) {
      FunctionInfo& f = functions_[fi];
      if (!f.dirty) continue;
      Env env;
      size_t i = 0;
      for (TSNode p : named_children(field(f.node, "parameters"))) {
        if (i >= f.params.size()) break;
        Taint t = parameter_taint(*this, f, i, p, src_, web, fastapi, patterns[fi], django[fi]);
        if (!f.param_request[i].empty() && !t.request) {
          t.request = true;
          t.source = f.param_request[i];
          t.source_line = 0;
        }
        if (!f.params[i].empty()) env[f.params[i]] = t;
        ++i;
      }
      Taint before = f.returns;
      FunctionWalker(*this, &f).walk_block(field(f.node, "body"), env);
      if (!(before == f.returns)) {
        for (size_t c : f.callers) functions_[c].dirty_next = true;
      }
    }
    bool any = false;
    for (auto& f : functions_) {
      f.dirty = f.dirty_next;
      f.dirty_next = false;
      any = any || f.dirty;
    }
    if (!any) break;
  }
}

std::string_view TaintAnalysis::intern(std::string s) {
  return *descriptions_.insert(std::move(s)).first;
}

Taint TaintAnalysis::taint_cached(TSNode expr) const {
  auto it = cache_.find(expr.id);
  return it == cache_.end() ? Taint{} : it->second;
}

Taint TaintAnalysis::taint_of(TSNode expr) const {
  auto it = cache_.find(expr.id);
  if (it != cache_.end()) return it->second;
  // Not met by the walk (a lambda body, a default value): judge it without context.
  auto* self = const_cast<TaintAnalysis*>(this);
  Env env;
  auto saved = self->cache_.size();
  (void)saved;
  FunctionWalker w(*self, nullptr);
  return w.eval_uncached(expr, env);
}

const FunctionInfo* TaintAnalysis::function_at(TSNode def) const {
  auto it = by_start_.find(ts_node_start_byte(def));
  if (it == by_start_.end()) return nullptr;
  return &functions_[it->second];
}

const FunctionInfo* TaintAnalysis::enclosing_function(TSNode n) const {
  TSNode def = enclosing(n, {"function_definition"});
  return is_null(def) ? nullptr : function_at(def);
}

}  // namespace rampart::audit::python
