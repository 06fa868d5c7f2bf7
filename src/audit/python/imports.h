#pragma once
// What the names of a module refer to, from its import statements: `import hashlib as h` makes
// `h.md5` mean "hashlib.md5"; `from flask import request` makes `request` mean "flask.request".
// Imports anywhere in the file count (conditional and function-level imports included).

#include <tree_sitter/api.h>

#include <string>
#include <string_view>
#include <unordered_map>

namespace rampart::audit::python {

class Imports {
 public:
  void collect(TSNode root, std::string_view src);
  // The fully qualified name of an expression ("flask.request.args.get"), or its dotted name
  // when its first component was not imported; "" when it has none.
  std::string qualify(TSNode expr, std::string_view src) const;
  std::string qualify_dotted(const std::string& dotted) const;
  // What an imported local name stands for ("flask.request" for `request` after
  // `from flask import request`), or nullptr when the name was not imported.
  const std::string* imported_as(const std::string& local) const {
    auto it = alias_.find(local);
    return it == alias_.end() ? nullptr : &it->second;
  }
  bool imports_module(std::string_view prefix) const;  // any import of prefix or prefix.*

 private:
  void add(std::string local, std::string target);
  std::unordered_map<std::string, std::string> alias_;
};

// True when `name` equals `target` or ends with "." + target.
bool name_is(std::string_view name, std::string_view target);
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);

}  // namespace rampart::audit::python
