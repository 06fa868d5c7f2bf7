#pragma once
// The code audit of a tree: finds the Python and template files under the given paths, analyses
// them on a pool of threads, runs the project rules over what the files revealed, and returns the
// report with findings in path/line order. Unreadable, binary and oversized files are skipped
// with a warning; a file that does not parse yields what parses and a warning.

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "audit/report/finding.h"
#include "common/status.h"

namespace rampart::audit::python {

struct ScanOptions {
  std::vector<std::string> paths;    // files or directories
  std::vector<std::string> exclude;  // glob patterns (fnmatch) on paths relative to the root
  unsigned jobs = 0;                 // 0: one per core
  uint64_t max_file_bytes = 8 << 20;
  // Called now and then from the worker threads with (files done, files total).
  std::function<void(size_t, size_t)> progress;
};

StatusOr<Report> scan(const ScanOptions& options);

// File classification used by the scan (exposed for tests).
bool is_python_path(std::string_view path);
bool is_template_path(std::string_view path);
// True when the bytes look binary (a NUL in the first 8 KiB).
bool looks_binary(std::string_view bytes);

}  // namespace rampart::audit::python
