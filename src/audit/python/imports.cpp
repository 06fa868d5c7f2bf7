#include "audit/python/imports.h"

#include <algorithm>
#include <vector>

#include "audit/python/syntax.h"

namespace rampart::audit::python {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view x) {
  return s.size() >= x.size() && s.substr(s.size() - x.size()) == x;
}
bool name_is(std::string_view name, std::string_view target) {
  if (name == target) return true;
  return name.size() > target.size() && ends_with(name, target) &&
         name[name.size() - target.size() - 1] == '.';
}

void Imports::add(std::string local, std::string target) {
  if (!local.empty()) alias_[std::move(local)] = std::move(target);
}

void Imports::collect(TSNode root, std::string_view src) {
  // Imports are statements: only nodes that hold statements are worth entering. An explicit
  // stack, in reverse, keeps the order of the source (a later import of a name wins).
  static constexpr std::string_view kHolders[] = {"module",
                                                  "block",
                                                  "if_statement",
                                                  "elif_clause",
                                                  "else_clause",
                                                  "try_statement",
                                                  "except_clause",
                                                  "finally_clause",
                                                  "with_statement",
                                                  "for_statement",
                                                  "while_statement",
                                                  "function_definition",
                                                  "class_definition",
                                                  "decorated_definition",
                                                  "match_statement",
                                                  "case_clause",
                                                  "except_group_clause",
                                                  "ERROR"};
  std::vector<TSNode> stack{root};
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    std::string_view k = kind(n);
    if (k == "import_statement") {
      for (TSNode c : named_children(n)) {
        if (is(c, "dotted_name")) {
          std::string full(text(c, src));
          // `import os.path` binds `os`.
          std::string first = full.substr(0, full.find('.'));
          add(first, first);
        } else if (is(c, "aliased_import")) {
          add(std::string(text(field(c, "alias"), src)), std::string(text(field(c, "name"), src)));
        }
      }
    } else if (k == "import_from_statement") {
      std::string module(text(field(n, "module_name"), src));
      TSNode module_node = field(n, "module_name");
      for (TSNode c : named_children(n)) {
        if (ts_node_eq(c, module_node)) continue;
        if (is(c, "dotted_name")) {
          std::string name(text(c, src));
          add(name, module + "." + name);
        } else if (is(c, "aliased_import")) {
          add(std::string(text(field(c, "alias"), src)),
              module + "." + std::string(text(field(c, "name"), src)));
        }
      }
    } else if (std::find(std::begin(kHolders), std::end(kHolders), k) != std::end(kHolders)) {
      Nodes children = named_children(n);
      for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
    }
  }
}

std::string Imports::qualify_dotted(const std::string& dotted) const {
  if (dotted.empty()) return dotted;
  size_t dot = dotted.find_first_of(".(");
  std::string first = dotted.substr(0, dot);
  auto it = alias_.find(first);
  if (it == alias_.end()) return dotted;
  return dot == std::string::npos ? it->second : it->second + dotted.substr(dot);
}

std::string Imports::qualify(TSNode expr, std::string_view src) const {
  return qualify_dotted(dotted_name(expr, src));
}

bool Imports::imports_module(std::string_view prefix) const {
  for (const auto& [local, target] : alias_) {
    if (target == prefix || (starts_with(target, prefix) && target.size() > prefix.size() &&
                             target[prefix.size()] == '.')) {
      return true;
    }
  }
  return false;
}

}  // namespace rampart::audit::python
