// Requirements files (with PEP 508 requirements and markers) from arbitrary bytes. Includes are
// resolved under a folder that does not exist, so that the target reads no other file.
#include <cstdint>
#include <string_view>

#include "audit/deps/requirements_file.h"

using namespace rampart::audit::deps;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const MarkerEnvironment env = MarkerEnvironment::for_python("3.11");
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Inventory inv;
  (void)read_requirements_text(text, "/nonexistent-rampart-fuzz/requirements.txt", env, &inv);
  (void)evaluate_marker(text, env);
  return 0;
}
