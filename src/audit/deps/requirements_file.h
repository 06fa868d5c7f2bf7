#pragma once
// pip requirements files: one requirement a line, "#" comments, "\" continuations, ${VAR}
// expansion, per-requirement options (--hash), global options (-i, --extra-index-url, ...),
// "-r FILE" and "-c FILE" includes relative to the including file. Entries whose marker is false
// for the target environment are left out. URLs, local paths, VCS references and editables are
// reported as not auditable. A line that is not a requirement is an error naming file and line.

#include <string>
#include <string_view>

#include "audit/deps/inventory.h"
#include "audit/deps/marker.h"
#include "common/status.h"

namespace rampart::audit::deps {

// Reads `path` (and what it includes) into `out`. `constraints` marks the entries of a
// constraints file ("-c").
Status read_requirements_file(const std::string& path, const MarkerEnvironment& env, Inventory* out,
                              bool constraints = false);

// The same from text already in memory; includes are resolved relative to `path`.
Status read_requirements_text(std::string_view text, const std::string& path,
                              const MarkerEnvironment& env, Inventory* out,
                              bool constraints = false);

}  // namespace rampart::audit::deps
