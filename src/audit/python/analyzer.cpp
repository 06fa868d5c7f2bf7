#include "audit/python/analyzer.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <unordered_map>

#include "audit/python/registry.h"
#include "audit/python/suppressions.h"
#include "audit/python/syntax.h"

namespace rampart::audit::python {

namespace {

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};
struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};

TSParser* thread_parser() {
  thread_local std::unique_ptr<TSParser, ParserDeleter> parser;
  if (!parser) {
    (void)tree_sitter_allocator_installed();
    parser.reset(ts_parser_new());
    ts_parser_set_language(parser.get(), tree_sitter_python());
  }
  return parser.get();
}

// Rules by node symbol (and pseudo-kind), built once.
struct Dispatch {
  std::vector<std::vector<const Rule*>> by_symbol;
  std::unordered_map<std::string_view, std::vector<const Rule*>> by_kind;
  std::vector<const Rule*> templates;
  Dispatch() {
    for (const Rule* r : all_rules()) {
      for (auto k : r->kinds) by_kind[k].push_back(r);
      if (r->check_template) templates.push_back(r);
    }
    const TSLanguage* lang = tree_sitter_python();
    uint32_t count = ts_language_symbol_count(lang);
    by_symbol.resize(count);
    for (TSSymbol s = 0; s < count; ++s) {
      const char* name = ts_language_symbol_name(lang, s);
      if (!name) continue;
      if (auto it = by_kind.find(name); it != by_kind.end()) by_symbol[s] = it->second;
    }
  }
  const std::vector<const Rule*>* get(std::string_view k) const {
    auto it = by_kind.find(k);
    return it == by_kind.end() ? nullptr : &it->second;
  }
  const std::vector<const Rule*>* get(TSSymbol s) const {
    return s < by_symbol.size() && !by_symbol[s].empty() ? &by_symbol[s] : nullptr;
  }
};

const Dispatch& dispatch() {
  static const Dispatch d;
  return d;
}

bool is_upper_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(std::isupper(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  }
  return std::isupper(static_cast<unsigned char>(s[0]));
}

// Attributes of a Flask app that mirror a configuration key.
std::string app_attribute_setting(std::string_view attr) {
  static constexpr std::string_view kAttrs[] = {"secret_key", "debug", "permanent_session_lifetime",
                                                "testing", "session_cookie_name"};
  for (auto a : kAttrs) {
    if (attr == a) {
      std::string up(attr);
      for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return up;
    }
  }
  return "";
}

class Walker {
 public:
  Walker(RuleContext& ctx, Suppressions& sup) : ctx_(ctx), sup_(sup) {}

  // The rules want named nodes only; the index lists them in the order of a cursor walk.
  void run(const SyntaxIndex& index, TSNode root) {
    for (TSNode n : index.named_preorder()) visit(n);
    ctx_.node = root;
    run_rules("@module", root);
  }

 private:
  void run_rules(std::string_view k, TSNode n) { run(dispatch().get(k), n); }

  void run(const std::vector<const Rule*>* rules, TSNode n) {
    if (!rules) return;
    for (const Rule* r : *rules) {
      ctx_.node = n;
      ctx_.rule = r;
      r->check(ctx_);
    }
  }

  void setting(std::string name, TSNode target, TSNode value) {
    ctx_.setting_name = std::move(name);
    ctx_.setting_target = target;
    ctx_.setting_value = value;
    ctx_.facts().settings.push_back(ctx_.setting_name);
    run_rules("@setting", target);
  }

  void visit(TSNode n) {
    TSSymbol symbol = ts_node_symbol(n);
    std::string_view k = symbol_name(symbol);
    if (k == "comment") {
      sup_.add_comment(line_of(n), text(n, ctx_.src()));
      return;
    }
    run(dispatch().get(symbol), n);
    if (k == "assignment") settings_of_assignment(n);
    if (k == "call") settings_of_call(n);
  }

  void settings_of_assignment(TSNode n) {
    TSNode left = field(n, "left"), right = field(n, "right");
    if (is_null(right) || is(right, "assignment")) return;
    std::string_view src = ctx_.src();
    if (is(left, "identifier")) {
      std::string_view name = text(left, src);
      if (!is_upper_name(name)) return;
      TSNode scope = enclosing(n, {"function_definition", "class_definition"});
      if (is(scope, "function_definition")) return;
      setting(std::string(name), left, right);
    } else if (is(left, "subscript")) {
      std::string base = dotted_name(field(left, "value"), src);
      if (!ends_with(base, "config")) return;
      if (auto key = string_value(field(left, "subscript"), src)) setting(*key, left, right);
    } else if (is(left, "attribute")) {
      TSNode obj = field(left, "object");
      if (!is(obj, "identifier") || text(obj, src) == "self") return;
      std::string key = app_attribute_setting(text(field(left, "attribute"), src));
      if (!key.empty()) setting(key, left, right);
    }
  }

  void settings_of_call(TSNode n) {
    std::string_view src = ctx_.src();
    TSNode callee = field(n, "function");
    std::string d = dotted_name(callee, src);
    if (!(ends_with(d, "config.update") || ends_with(d, "config.from_mapping"))) return;
    for (TSNode a : named_children(field(n, "arguments"))) {
      if (is(a, "keyword_argument")) {
        setting(std::string(text(field(a, "name"), src)), a, field(a, "value"));
      } else if (is(a, "dictionary")) {
        for (TSNode p : named_children(a)) {
          if (!is(p, "pair")) continue;
          if (auto key = string_value(field(p, "key"), src)) setting(*key, p, field(p, "value"));
        }
      }
    }
  }

  RuleContext& ctx_;
  Suppressions& sup_;
};

// The first syntax error of the tree, as a 1-based line, or 0.
uint32_t first_error_line(TSNode root) {
  if (!ts_node_has_error(root)) return 0;
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  uint32_t line = 0;
  while (true) {
    TSNode n = ts_tree_cursor_current_node(&cursor);
    if (kind(n) == "ERROR" || ts_node_is_missing(n)) {
      line = ts_node_start_point(n).row + 1;
      break;
    }
    bool down = ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&cursor);
    if (down) continue;
    bool moved = false;
    while (!(moved = ts_tree_cursor_goto_next_sibling(&cursor))) {
      if (!ts_tree_cursor_goto_parent(&cursor)) break;
    }
    if (!moved) break;
  }
  ts_tree_cursor_delete(&cursor);
  return line == 0 ? 1 : line;
}

void finish(std::vector<RawFinding>& raw, const Suppressions& sup, FileResult& out) {
  for (auto& r : raw) {
    Finding f;
    f.rule = std::move(r.rule);
    f.severity = r.severity;
    f.confidence = r.confidence;
    f.message = std::move(r.message);
    f.location = std::move(r.location);
    f.notes = std::move(r.notes);
    f.suppression = sup.lookup(f.rule, f.location.line, f.location.end_line);
    out.findings.push_back(std::move(f));
  }
}

}  // namespace

FileResult analyze_python(std::string_view path, std::string_view source) {
  FileResult out;
  if (source.size() > UINT32_MAX / 2) {
    out.warnings.push_back({std::string(path), 0, "file too large to parse; skipped"});
    return out;
  }
  TSParser* parser = thread_parser();
  std::unique_ptr<TSTree, TreeDeleter> tree(
      ts_parser_parse_string(parser, nullptr, source.data(), static_cast<uint32_t>(source.size())));
  if (!tree) {
    out.warnings.push_back({std::string(path), 0, "the parser gave up on this file; skipped"});
    return out;
  }
  TSNode root = ts_tree_root_node(tree.get());
  if (uint32_t line = first_error_line(root)) {
    out.warnings.push_back({std::string(path), line,
                            "syntax error; findings come from the parts of the file that parse"});
  }
  SyntaxIndex index(root);
  SyntaxIndex::Scope scope(index);
  Imports imports;
  imports.collect(root, source);
  TaintAnalysis taint(source, imports);
  taint.run(root);
  std::vector<RawFinding> raw;
  Suppressions sup;
  RuleContext ctx(path, source, imports, taint, out.facts, raw);
  Walker(ctx, sup).run(index, root);
  finish(raw, sup, out);
  out.facts.suppressions = std::move(sup);
  return out;
}

FileResult analyze_template(std::string_view path, std::string_view text) {
  FileResult out;
  std::vector<RawFinding> raw;
  Suppressions sup;
  // Comments: {# ... #} and <!-- ... --> carry the same directives as Python comments.
  for (std::string_view open : {std::string_view("{#"), std::string_view("<!--")}) {
    std::string_view close = open == "{#" ? "#}" : "-->";
    for (size_t p = text.find(open); p != std::string_view::npos; p = text.find(open, p + 1)) {
      size_t e = text.find(close, p);
      if (e == std::string_view::npos) break;
      uint32_t line = 1 + static_cast<uint32_t>(std::count(text.begin(), text.begin() + p, '\n'));
      sup.add_comment(line, text.substr(p, e - p));
    }
  }
  for (const Rule* r : dispatch().templates) {
    TemplateContext ctx{path, text, r, &raw};
    r->check_template(ctx);
  }
  finish(raw, sup, out);
  return out;
}

}  // namespace rampart::audit::python
