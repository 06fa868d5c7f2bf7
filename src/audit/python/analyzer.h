#pragma once
// The analysis of one file: Python source through tree-sitter, the taint walk and the rules;
// template files through the template rules. Pure functions of the bytes given: no I/O, safe to
// call from several threads at once (each thread keeps its own parser).

#include <string>
#include <string_view>
#include <vector>

#include "audit/python/rule.h"

namespace rampart::audit::python {

struct FileResult {
  std::vector<Finding> findings;  // suppressions from the file's comments already applied
  FileFacts facts;
  std::vector<Warning> warnings;
};

// `path` is only used to label locations.
FileResult analyze_python(std::string_view path, std::string_view source);
FileResult analyze_template(std::string_view path, std::string_view text);

}  // namespace rampart::audit::python
