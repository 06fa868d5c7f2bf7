#pragma once
// Small helpers over tree-sitter nodes of the Python grammar: text, fields, children, literal
// values and dotted names. Nodes are plain values valid while their tree lives.

#include <tree_sitter/api.h>

#include <boost/container/small_vector.hpp>
#include <boost/unordered/unordered_flat_map.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

extern "C" const TSLanguage* tree_sitter_python();

namespace rampart::audit::python {

// True once tree-sitter allocates from its own pools (ts_allocator.cpp; set before main).
bool tree_sitter_allocator_installed();

// A null node has no id (the contract of ts_node_is_null, read here without a call).
inline bool is_null(TSNode n) { return n.id == nullptr; }
// The type name of a node's (public) symbol: ts_node_symbol maps symbols that share a name to
// one, so this is ts_node_type's answer, from a table of the grammar's names measured once
// instead of a lookup and a strlen on every call (the walk asks for kinds millions of times).
std::string_view symbol_name_slow(TSSymbol s);
namespace detail {
// The grammar's symbol names, indexed by symbol: filled before main (syntax.cpp), read inline.
struct SymbolNames {
  const std::string_view* names = nullptr;
  uint32_t count = 0;
};
extern SymbolNames symbol_names;
}  // namespace detail
inline std::string_view symbol_name(TSSymbol s) {
  return s < detail::symbol_names.count ? detail::symbol_names.names[s] : symbol_name_slow(s);
}
inline std::string_view kind(TSNode n) { return is_null(n) ? "" : symbol_name(ts_node_symbol(n)); }
inline bool is(TSNode n, std::string_view k) { return kind(n) == k; }
inline std::string_view text(TSNode n, std::string_view src) {
  if (is_null(n)) return {};
  uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (b > src.size() || e > src.size() || b > e) return {};
  return src.substr(b, e - b);
}
TSNode field(TSNode n, const char* name);
// A node's named children. Kept inline up to 8 (most nodes have fewer): the walk asks for the
// children of nearly every node, and a heap allocation each time showed in the profile.
using Nodes = boost::container::small_vector<TSNode, 8>;
Nodes named_children(TSNode n);
inline uint32_t line_of(TSNode n) { return ts_node_start_point(n).row + 1; }

// The value of a string literal without interpolation (prefixes and quotes removed, simple
// escapes decoded; implicit concatenation joined). nullopt for f-strings with fields and for
// anything else.
std::optional<std::string> string_value(TSNode n, std::string_view src);
// True for a string node carrying an f prefix with at least one {field}.
bool is_fstring(TSNode n, std::string_view src);
std::optional<bool> bool_value(TSNode n, std::string_view src);      // True/False
std::optional<long long> int_value(TSNode n, std::string_view src);  // 12, 60 * 60 * 24
bool is_none(TSNode n);

// "a.b.c" for identifiers and attribute chains; "f().attr" when the chain passes through a call;
// "" for anything else.
std::string dotted_name(TSNode n, std::string_view src);
// The last component of a callee: "execute" for cur.execute, "open" for open.
std::string_view last_name(TSNode n, std::string_view src);

// A call's arguments: positional in order, and the keyword ones by name.
struct CallArgs {
  Nodes positional;
  boost::container::small_vector<std::pair<std::string_view, TSNode>, 4> keywords;  // into src
  bool has_star = false;                        // *args or **kwargs present
  TSNode keyword(std::string_view name) const;  // null when absent
  // The argument given at position `pos` or as keyword `name`.
  TSNode get(size_t pos, std::string_view name) const;
};
CallArgs call_args(TSNode call, std::string_view src);

// The nearest enclosing node of one of the given kinds, or a null node.
TSNode enclosing(TSNode n, std::initializer_list<std::string_view> kinds);
TSNode parent_of(TSNode n);

// The children, fields and parent of every node of one tree, read in one pass. tree-sitter
// answers these questions by walking the tree again each time (a sibling step costs hundreds of
// instructions, a parent lookup starts from the root), and the analysis asks them for nearly
// every node several times: with an index installed on the thread (Scope), named_children(),
// field() and parent_of() answer from it. Valid while its tree lives; nodes of other trees fall
// back to tree-sitter.
class SyntaxIndex {
 public:
  explicit SyntaxIndex(TSNode root);
  SyntaxIndex(const SyntaxIndex&) = delete;
  SyntaxIndex& operator=(const SyntaxIndex&) = delete;

  // Installs an index as the thread's current one for the scope's lifetime.
  class Scope {
   public:
    explicit Scope(const SyntaxIndex& index);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    const SyntaxIndex* previous_;
  };
  // The index covering n's tree on this thread, or nullptr.
  static const SyntaxIndex* for_node(TSNode n);

  static constexpr uint32_t kNone = UINT32_MAX;
  // A named node, or an anonymous one that fills a field (the `operator` of `a + b`).
  struct Entry {
    TSNode node;
    uint32_t first_child = kNone;
    uint32_t next_sibling = kNone;
    uint32_t parent = kNone;
    TSFieldId field = 0;
    bool named = true;
  };
  // kNone for nodes it does not hold. The last answer is kept: the analysis asks about one node
  // several times in a row (its fields one after the other). The index is used by the thread
  // that installed it only (Scope), so the memo needs no lock.
  uint32_t slot(TSNode n) const {
    if (n.id == last_id_) return last_slot_;
    uint32_t s = lookup(n);
    last_id_ = n.id;
    last_slot_ = s;
    return s;
  }
  const Entry& entry(uint32_t slot) const { return entries_[slot]; }
  // Every named node in pre-order (the order of a cursor walk).
  const std::vector<TSNode>& named_preorder() const { return preorder_; }

 private:
  const TSTree* tree_;
  std::vector<Entry> entries_;
  uint32_t lookup(TSNode n) const;
  boost::unordered_flat_map<const void*, uint32_t> slot_of_;  // named nodes only
  mutable const void* last_id_ = nullptr;
  mutable uint32_t last_slot_ = kNone;
  std::vector<TSNode> preorder_;
};

}  // namespace rampart::audit::python
