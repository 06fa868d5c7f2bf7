#pragma once
// --fix: rewrites the pins of requirements files to the suggested versions (the smallest version
// that clears every advisory of the package, else the highest single fix), keeping comments,
// order and the other options. Hashes of a rewritten pin no longer apply and are dropped with a
// warning. Lockfiles of other formats are left to their own tools (uv lock, poetry lock, ...).

#include <string>
#include <vector>

#include "audit/deps/matcher.h"
#include "common/status.h"

namespace rampart::audit::deps {

struct FileFix {
  std::string file;
  std::string before;
  std::string after;
  std::vector<std::string> changes;   // "django 3.2.0 -> 3.2.25 (requirements.txt:6)"
  std::vector<std::string> warnings;  // dropped hashes, pins with no fix
};

StatusOr<std::vector<FileFix>> plan_fixes(const std::vector<Finding>& findings);

// A unified diff of one file's fix ("--- a/FILE", "+++ b/FILE" for a relative path, the path
// alone for an absolute one; hunks with 3 lines of context).
std::string unified_diff(const FileFix& fix);

// Writes `after` in place of the file (through a temporary file and a rename).
Status write_fix(const FileFix& fix);

}  // namespace rampart::audit::deps
