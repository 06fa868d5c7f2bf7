#include "audit/deps/file_text.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace rampart::audit::deps {

StatusOr<std::string> read_file_text(const std::string& path, size_t limit) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return Status::error(path + ": no such file");
  if (!std::filesystem::is_regular_file(status))
    return Status::error(path + ": not a regular file");
  auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > limit) {
    return Status::error(path + ": larger than " + std::to_string(limit >> 20) + " MiB, not read");
  }
  // One read of the known size; the loop covers files that grow or shrink meanwhile.
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::error(path + ": cannot open: " + std::strerror(errno));
  std::string text;
  text.resize(ec ? 0 : size);
  size_t got = text.empty() ? 0 : std::fread(text.data(), 1, text.size(), f);
  text.resize(got);
  char buf[1 << 16];
  while (size_t n = std::fread(buf, 1, sizeof buf, f)) {
    text.append(buf, n);
    if (text.size() > limit) break;
  }
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Status::error(path + ": read error");
  if (text.size() > limit) return Status::error(path + ": larger than limit, not read");
  return text;
}

}  // namespace rampart::audit::deps
