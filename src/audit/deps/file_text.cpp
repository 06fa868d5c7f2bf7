#include "audit/deps/file_text.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

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
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error(path + ": cannot open: " + std::strerror(errno));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::error(path + ": read error");
  if (text.size() > limit) return Status::error(path + ": larger than limit, not read");
  return text;
}

}  // namespace rampart::audit::deps
