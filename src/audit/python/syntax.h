#pragma once
// Small helpers over tree-sitter nodes of the Python grammar: text, fields, children, literal
// values and dotted names. Nodes are plain values valid while their tree lives.

#include <tree_sitter/api.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

extern "C" const TSLanguage* tree_sitter_python();

namespace rampart::audit::python {

inline bool is_null(TSNode n) { return ts_node_is_null(n); }
inline std::string_view kind(TSNode n) { return ts_node_is_null(n) ? "" : ts_node_type(n); }
inline bool is(TSNode n, std::string_view k) { return kind(n) == k; }
std::string_view text(TSNode n, std::string_view src);
TSNode field(TSNode n, const char* name);
std::vector<TSNode> named_children(TSNode n);
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
  std::vector<TSNode> positional;
  std::vector<std::pair<std::string, TSNode>> keywords;
  bool has_star = false;                        // *args or **kwargs present
  TSNode keyword(std::string_view name) const;  // null when absent
  // The argument given at position `pos` or as keyword `name`.
  TSNode get(size_t pos, std::string_view name) const;
};
CallArgs call_args(TSNode call, std::string_view src);

// The nearest enclosing node of one of the given kinds, or a null node.
TSNode enclosing(TSNode n, std::initializer_list<std::string_view> kinds);

}  // namespace rampart::audit::python
