#include "audit/python/syntax.h"

#include <algorithm>
#include <unordered_map>

namespace rampart::audit::python {

namespace {

const std::vector<std::string_view>& symbol_table() {
  static const std::vector<std::string_view> names = [] {
    const TSLanguage* lang = tree_sitter_python();
    std::vector<std::string_view> out(ts_language_symbol_count(lang));
    for (TSSymbol i = 0; i < out.size(); ++i) {
      const char* name = ts_language_symbol_name(lang, i);
      out[i] = name ? name : "";
    }
    return out;
  }();
  return names;
}

detail::SymbolNames make_symbol_names() {
  const auto& t = symbol_table();
  return {t.data(), static_cast<uint32_t>(t.size())};
}

}  // namespace

// Before main: kind() runs only after static initialization (no rule or walk runs earlier);
// until then symbol_name() falls back to symbol_name_slow().
detail::SymbolNames detail::symbol_names = make_symbol_names();

std::string_view symbol_name_slow(TSSymbol s) {
  const auto& names = symbol_table();
  if (s < names.size()) return names[s];
  // The built-in error symbols lie outside the grammar's table.
  const char* name = ts_language_symbol_name(tree_sitter_python(), s);
  return name ? name : "";
}

namespace {

// Field ids by name, looked up once: ts_node_child_by_field_name compares the name with every
// field of the grammar on each call.
class FieldIds {
 public:
  FieldIds() {
    const TSLanguage* lang = tree_sitter_python();
    uint32_t count = ts_language_field_count(lang);
    for (TSFieldId id = 1; id <= count; ++id) {
      const char* name = ts_language_field_name_for_id(lang, id);
      if (name) ids_.emplace(name, id);
    }
  }
  TSFieldId get(std::string_view name) const {
    auto it = ids_.find(name);
    return it == ids_.end() ? 0 : it->second;
  }

 private:
  std::unordered_map<std::string_view, TSFieldId> ids_;
};

}  // namespace

// The callers pass string literals, so the name's address identifies it: a small per-thread
// table by address saves hashing the text on every call.
TSFieldId field_id(const char* name) {
  static const FieldIds ids;
  struct Slot {
    const char* name = nullptr;
    TSFieldId id = 0;
  };
  thread_local Slot slots[128];
  Slot& slot = slots[(reinterpret_cast<uintptr_t>(name) >> 3) & 127];
  if (slot.name != name) {
    slot.name = name;
    slot.id = ids.get(name);
  }
  return slot.id;
}

namespace {
thread_local const SyntaxIndex* current_index = nullptr;
}  // namespace

SyntaxIndex::SyntaxIndex(TSNode root) : tree_(root.tree) {
  // One cursor walk. Anonymous nodes (punctuation, keywords) are leaves and are kept only when
  // they fill a field; each kept node is linked to its parent's list of children.
  // Capacity from the file's size (about one kept node per 4 bytes of Python, one named per 5):
  // growing by doubling copied every entry about twice.
  size_t bytes = ts_node_end_byte(root);
  entries_.reserve(bytes / 4 + 16);
  preorder_.reserve(bytes / 5 + 16);
  slot_of_.reserve(bytes / 5 + 16);
  entries_.push_back(Entry{root});
  slot_of_.emplace(root.id, 0);
  preorder_.push_back(root);
  TSTreeCursor c = ts_tree_cursor_new(root);
  std::vector<uint32_t> path{0};      // the kept node at each depth of the cursor
  std::vector<uint32_t> last{kNone};  // the last child linked under it
  size_t depth = 0;
  if (ts_tree_cursor_goto_first_child(&c)) {
    depth = 1;
    while (true) {
      TSNode n = ts_tree_cursor_current_node(&c);
      bool named = ts_node_is_named(n);
      TSFieldId f = ts_tree_cursor_current_field_id(&c);
      uint32_t parent = path[depth - 1];
      uint32_t slot = kNone;
      if (named || f != 0) {
        slot = static_cast<uint32_t>(entries_.size());
        entries_.push_back(Entry{n, kNone, kNone, parent, f, named});
        if (last[depth - 1] == kNone)
          entries_[parent].first_child = slot;
        else
          entries_[last[depth - 1]].next_sibling = slot;
        last[depth - 1] = slot;
        if (named) {
          slot_of_.emplace(n.id, slot);
          preorder_.push_back(n);
        }
      }
      if (slot != kNone && named && ts_tree_cursor_goto_first_child(&c)) {
        if (path.size() <= depth) {
          path.resize(depth + 1);
          last.resize(depth + 1);
        }
        path[depth] = slot;
        last[depth] = kNone;
        ++depth;
        continue;
      }
      bool done = false;
      while (!ts_tree_cursor_goto_next_sibling(&c)) {
        if (depth <= 1 || !ts_tree_cursor_goto_parent(&c)) {
          done = true;
          break;
        }
        --depth;
      }
      if (done) break;
    }
  }
  ts_tree_cursor_delete(&c);
}

SyntaxIndex::Scope::Scope(const SyntaxIndex& index) : previous_(current_index) {
  current_index = &index;
}
SyntaxIndex::Scope::~Scope() { current_index = previous_; }

const SyntaxIndex* SyntaxIndex::for_node(TSNode n) {
  const SyntaxIndex* idx = current_index;
  return idx && n.tree == idx->tree_ ? idx : nullptr;
}

uint32_t SyntaxIndex::lookup(TSNode n) const {
  auto it = slot_of_.find(n.id);
  return it == slot_of_.end() ? kNone : it->second;
}

namespace {

// The slot of n in the thread's index, or kNone.
uint32_t indexed(TSNode n, const SyntaxIndex*& idx) {
  idx = SyntaxIndex::for_node(n);
  return idx ? idx->slot(n) : SyntaxIndex::kNone;
}

}  // namespace

TSNode field(TSNode n, const char* name) {
  if (is_null(n)) return n;
  TSFieldId id = field_id(name);
  if (id == 0) return TSNode{};
  const SyntaxIndex* idx;
  if (uint32_t s = indexed(n, idx); s != SyntaxIndex::kNone) {
    for (uint32_t c = idx->entry(s).first_child; c != SyntaxIndex::kNone;
         c = idx->entry(c).next_sibling) {
      if (idx->entry(c).field == id) return idx->entry(c).node;
    }
    return TSNode{};
  }
  return ts_node_child_by_field_id(n, id);
}

TSNode parent_of(TSNode n) {
  if (is_null(n)) return n;
  const SyntaxIndex* idx;
  if (uint32_t s = indexed(n, idx); s != SyntaxIndex::kNone) {
    uint32_t p = idx->entry(s).parent;
    return p == SyntaxIndex::kNone ? TSNode{} : idx->entry(p).node;
  }
  return ts_node_parent(n);
}

Nodes named_children(TSNode n) {
  Nodes out;
  if (is_null(n)) return out;
  const SyntaxIndex* idx;
  if (uint32_t s = indexed(n, idx); s != SyntaxIndex::kNone) {
    for (uint32_t c = idx->entry(s).first_child; c != SyntaxIndex::kNone;
         c = idx->entry(c).next_sibling) {
      if (idx->entry(c).named) out.push_back(idx->entry(c).node);
    }
    return out;
  }
  if (ts_node_named_child_count(n) == 0) return out;
  // A cursor walks the children in one pass; ts_node_named_child(i) starts over each time.
  TSTreeCursor c = ts_tree_cursor_new(n);
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      TSNode child = ts_tree_cursor_current_node(&c);
      if (ts_node_is_named(child)) out.push_back(child);
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
  return out;
}

namespace {

void decode_escapes(std::string_view body, bool raw, std::string& out) {
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\' || raw || i + 1 >= body.size()) {
      out += c;
      continue;
    }
    char d = body[++i];
    switch (d) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '0':
        out += '\0';
        break;
      case '\\':
        out += '\\';
        break;
      case '\'':
        out += '\'';
        break;
      case '"':
        out += '"';
        break;
      case '\n':
        break;
      default:
        out += '\\';
        out += d;
    }
  }
}

std::string_view prefix_of(TSNode str, std::string_view src) {
  TSNode start = ts_node_child(str, 0);
  std::string_view s = text(start, src);
  size_t q = s.find_first_of("'\"");
  return s.substr(0, q == std::string_view::npos ? s.size() : q);
}

}  // namespace

bool is_fstring(TSNode n, std::string_view src) {
  if (!is(n, "string")) return false;
  std::string_view p = prefix_of(n, src);
  if (p.find_first_of("fF") == std::string_view::npos) return false;
  for (TSNode c : named_children(n)) {
    if (is(c, "interpolation")) return true;
  }
  return false;
}

std::optional<std::string> string_value(TSNode n, std::string_view src) {
  while (is(n, "parenthesized_expression")) n = ts_node_named_child(n, 0);
  if (is(n, "concatenated_string")) {
    std::string out;
    for (TSNode c : named_children(n)) {
      auto v = string_value(c, src);
      if (!v) return std::nullopt;
      out += *v;
    }
    return out;
  }
  if (!is(n, "string")) return std::nullopt;
  std::string_view p = prefix_of(n, src);
  bool raw = p.find_first_of("rR") != std::string_view::npos;
  std::string out;
  for (TSNode c : named_children(n)) {
    std::string_view k = kind(c);
    if (k == "interpolation") return std::nullopt;
    if (k == "string_content") {
      decode_escapes(text(c, src), raw, out);
    } else if (k == "escape_sequence") {
      decode_escapes(text(c, src), false, out);
    }
  }
  return out;
}

std::optional<bool> bool_value(TSNode n, std::string_view src) {
  if (is(n, "true")) return true;
  if (is(n, "false")) return false;
  (void)src;
  return std::nullopt;
}

bool is_none(TSNode n) { return is(n, "none"); }

namespace {

std::optional<long long> int_value_at(TSNode n, std::string_view src, int depth) {
  if (depth > 64) return std::nullopt;
  std::string_view k = kind(n);
  if (k == "integer") {
    std::string digits;
    for (char c : text(n, src)) {
      if (c == '_') continue;
      if (c < '0' || c > '9') return std::nullopt;
      digits += c;
      if (digits.size() > 15) return std::nullopt;
    }
    if (digits.empty()) return std::nullopt;
    return std::stoll(digits);
  }
  if (k == "parenthesized_expression")
    return int_value_at(ts_node_named_child(n, 0), src, depth + 1);
  if (k == "binary_operator") {
    auto a = int_value_at(field(n, "left"), src, depth + 1);
    auto b = int_value_at(field(n, "right"), src, depth + 1);
    if (!a || !b) return std::nullopt;
    std::string_view op = text(field(n, "operator"), src);
    constexpr long long kMax = 1LL << 40;
    if (*a > kMax || *b > kMax || *a < -kMax || *b < -kMax) return std::nullopt;
    if (op == "*") return *a * *b;
    if (op == "+") return *a + *b;
    if (op == "-") return *a - *b;
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<long long> int_value(TSNode n, std::string_view src) {
  return int_value_at(n, src, 0);
}

namespace {

// Chains deeper than this are not named (only generated or hostile code has them).
constexpr int kMaxChain = 256;

std::string dotted_name_at(TSNode n, std::string_view src, int depth) {
  if (depth > kMaxChain) return "";
  std::string_view k = kind(n);
  if (k == "identifier") return std::string(text(n, src));
  if (k == "attribute") {
    std::string base = dotted_name_at(field(n, "object"), src, depth + 1);
    if (base.empty()) return "";
    return base + "." + std::string(text(field(n, "attribute"), src));
  }
  if (k == "call") {
    std::string base = dotted_name_at(field(n, "function"), src, depth + 1);
    return base.empty() ? "" : base + "()";
  }
  return "";
}

}  // namespace

std::string dotted_name(TSNode n, std::string_view src) { return dotted_name_at(n, src, 0); }

std::string_view last_name(TSNode n, std::string_view src) {
  if (is(n, "attribute")) return text(field(n, "attribute"), src);
  if (is(n, "identifier")) return text(n, src);
  return {};
}

TSNode CallArgs::keyword(std::string_view name) const {
  for (const auto& [k, v] : keywords) {
    if (k == name) return v;
  }
  return TSNode{};
}

TSNode CallArgs::get(size_t pos, std::string_view name) const {
  if (pos < positional.size()) return positional[pos];
  return keyword(name);
}

CallArgs call_args(TSNode call, std::string_view src) {
  CallArgs out;
  TSNode args = field(call, "arguments");
  if (is(args, "generator_expression")) {
    out.positional.push_back(args);
    return out;
  }
  for (TSNode a : named_children(args)) {
    std::string_view k = kind(a);
    if (k == "keyword_argument") {
      out.keywords.emplace_back(text(field(a, "name"), src), field(a, "value"));
    } else if (k == "list_splat" || k == "dictionary_splat") {
      out.has_star = true;
    } else if (k != "comment") {
      out.positional.push_back(a);
    }
  }
  return out;
}

TSNode enclosing(TSNode n, std::initializer_list<std::string_view> kinds) {
  for (TSNode p = parent_of(n); !is_null(p); p = parent_of(p)) {
    if (std::find(kinds.begin(), kinds.end(), kind(p)) != kinds.end()) return p;
  }
  return TSNode{};
}

}  // namespace rampart::audit::python
