#pragma once
// Reads a whole text file for a reader, with a size limit so that a wrong path (a device, a
// huge file) is an error and not an exhausted memory. Errors name the file.

#include <cstddef>
#include <string>

#include "common/status.h"

namespace rampart::audit::deps {

inline constexpr size_t kMaxLockfileBytes = 64u << 20;

StatusOr<std::string> read_file_text(const std::string& path, size_t limit = kMaxLockfileBytes);

}  // namespace rampart::audit::deps
