#include "common/logging.h"

#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>

namespace rampart {
namespace {
std::atomic<int> g_level{int(LogLevel::kInfo)};
std::mutex g_mutex;
}  // namespace

void set_log_level(LogLevel level) { g_level.store(int(level)); }
bool log_enabled(LogLevel level) { return int(level) >= g_level.load(std::memory_order_relaxed); }

void log_line(LogLevel level, std::string_view message) {
  if (!log_enabled(level)) return;
  static const char* kNames[] = {"debug", "info", "warning", "error"};
  std::string line = "rampart: ";
  line += kNames[int(level)];
  line += ": ";
  line += message;
  line += '\n';
  std::lock_guard<std::mutex> lock(g_mutex);
  size_t off = 0;
  while (off < line.size()) {
    ssize_t n = ::write(2, line.data() + off, line.size() - off);
    if (n <= 0) break;
    off += size_t(n);
  }
}

}  // namespace rampart
