// The TOML and JSON lockfile readers (poetry.lock, uv.lock, pylock.toml, pyproject.toml,
// Pipfile.lock) from arbitrary bytes.
#include <cstdint>
#include <string_view>

#include "audit/deps/lockfiles.h"

using namespace rampart::audit::deps;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const MarkerEnvironment env = MarkerEnvironment::for_python("3.11");
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Inventory inv;
  (void)read_poetry_lock(text, "poetry.lock", env, &inv);
  (void)read_uv_lock(text, "uv.lock", env, &inv);
  (void)read_pylock(text, "pylock.toml", env, &inv);
  (void)read_pyproject(text, "pyproject.toml", env, &inv);
  (void)read_pipfile_lock(text, "Pipfile.lock", env, &inv);
  return 0;
}
