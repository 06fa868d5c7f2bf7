// tree-sitter's allocations go to mimalloc, and only tree-sitter's: the parser makes and frees
// a node object for every token and rule it reduces (millions per megabyte of Python), and with
// glibc's malloc those calls were a fifth of a scan's CPU time. The rest of the process keeps
// the system allocator.
//
// ts_set_allocator must run before tree-sitter allocates anything (memory is freed by the
// allocator installed at the time of the free), so it runs during static initialisation, before
// main; analyze_python refers to this file, so every program that parses links it. Sanitizer
// builds (RAMPART_TS_SYSTEM_ALLOCATOR) leave the system allocator in place.

#include <mimalloc.h>
#include <tree_sitter/api.h>

namespace rampart::audit::python {

namespace {

const bool kInstalled = [] {
#ifdef RAMPART_TS_SYSTEM_ALLOCATOR
  return false;
#else
  ts_set_allocator(mi_malloc, mi_calloc, mi_realloc, mi_free);
  return true;
#endif
}();

}  // namespace

bool tree_sitter_allocator_installed() { return kInstalled; }

}  // namespace rampart::audit::python
