// Arbitrary bytes as a Python file, then as a template, through the whole code analysis: parse,
// imports, taint walk to its fixed point, every rule, suppressions and locations.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "audit/python/analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto py = rampart::audit::python::analyze_python("fuzz.py", bytes);
  auto tpl = rampart::audit::python::analyze_template("fuzz.html", bytes);
  // Locations must stay inside the input.
  for (const auto* r : {&py, &tpl}) {
    for (const auto& f : r->findings) {
      if (f.location.line == 0 || f.location.column == 0) __builtin_trap();
    }
  }
  return 0;
}
