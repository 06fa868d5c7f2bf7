#pragma once
// Readers for the lockfiles and manifests of Python projects, and the choice among them by file
// name. Each adds what it finds to an Inventory, with file and line; a malformed file is an
// error naming the file (and the line where the format gives one). Markers are evaluated for
// the target environment; entries that come from git, local folders or URLs are reported as not
// auditable.

#include <string>
#include <string_view>
#include <vector>

#include "audit/deps/inventory.h"
#include "audit/deps/marker.h"
#include "common/status.h"

namespace rampart::audit::deps {

// Pipfile.lock (JSON): the "default" and "develop" sections.
Status read_pipfile_lock(std::string_view text, const std::string& path,
                         const MarkerEnvironment& env, Inventory* out);
// poetry.lock (TOML): [[package]] name and version.
Status read_poetry_lock(std::string_view text, const std::string& path,
                        const MarkerEnvironment& env, Inventory* out);
// uv.lock (TOML): [[package]] from a registry; editable, virtual, git and path sources are
// not auditable.
Status read_uv_lock(std::string_view text, const std::string& path, const MarkerEnvironment& env,
                    Inventory* out);
// pylock.toml (PEP 751): [[packages]] with version and marker.
Status read_pylock(std::string_view text, const std::string& path, const MarkerEnvironment& env,
                   Inventory* out);
// pyproject.toml: [project] dependencies and optional-dependencies, [dependency-groups].
Status read_pyproject(std::string_view text, const std::string& path, const MarkerEnvironment& env,
                      Inventory* out);

// An installed environment: a virtualenv (its lib/python*/site-packages) or a site-packages
// folder; each *.dist-info/METADATA (or *.egg-info/PKG-INFO) gives a name and version.
Status read_environment(const std::string& path, Inventory* out);

// Reads `path` with the reader its name calls for (requirements files for any other name).
Status read_dependency_file(const std::string& path, const MarkerEnvironment& env, Inventory* out);

// The dependency files of a project folder, in a stable order: requirements*.txt (also in a
// requirements/ folder), constraints*.txt, Pipfile.lock, poetry.lock, uv.lock, pylock*.toml,
// pyproject.toml.
std::vector<std::string> discover_dependency_files(const std::string& dir);

}  // namespace rampart::audit::deps
