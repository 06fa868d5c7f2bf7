#include "guards/access_log/log_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <vector>

#include "common/logging.h"

namespace rampart::guards {
namespace {

constexpr size_t kFlushAt = 64 * 1024;

std::mutex g_registry_mutex;
// One sink per path for the whole process, so that a reload keeps writing to the same file and
// SIGUSR1 reaches every sink in use.
std::map<std::string, std::weak_ptr<LogSink>>& registry() {
  static auto* r = new std::map<std::string, std::weak_ptr<LogSink>>();
  return *r;
}

bool is_stdout(const std::string& p) { return p == "stdout" || p == "-"; }

int open_file(const std::string& path) {
  return ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

std::vector<std::shared_ptr<LogSink>> live_sinks() {
  std::vector<std::shared_ptr<LogSink>> out;
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  for (auto& [path, weak] : registry()) {
    if (auto s = weak.lock()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

StatusOr<std::shared_ptr<LogSink>> LogSink::open(const std::string& path) {
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  auto& reg = registry();
  std::string key = is_stdout(path) ? "stdout" : path;
  if (auto it = reg.find(key); it != reg.end()) {
    if (auto s = it->second.lock()) return s;
  }
  int fd = 1;
  if (!is_stdout(path)) {
    fd = open_file(path);
    if (fd < 0)
      return Status::error(path + ": cannot open the access log: " + std::strerror(errno));
  }
  std::shared_ptr<LogSink> sink(new LogSink(key, fd));
  reg[key] = sink;
  return sink;
}

LogSink::~LogSink() {
  std::lock_guard<std::mutex> lock(mutex_);
  flush_locked();
  if (fd_ > 2) ::close(fd_);
}

void LogSink::write(std::string_view line) {
  std::lock_guard<std::mutex> lock(mutex_);
  buffer_.append(line);
  if (buffer_.size() >= kFlushAt) flush_locked();
}

void LogSink::flush() {
  std::lock_guard<std::mutex> lock(mutex_);
  flush_locked();
}

void LogSink::flush_locked() {
  size_t off = 0;
  while (off < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + off, buffer_.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // A full disk or a closed pipe must not stop the gateway; the lines are dropped and said so.
      log_warn("access log " + path_ + ": write failed: " + std::strerror(errno));
      break;
    }
    off += size_t(n);
  }
  buffer_.clear();
}

void LogSink::reopen() {
  if (path_ == "stdout") return;
  std::lock_guard<std::mutex> lock(mutex_);
  flush_locked();
  int fd = open_file(path_);
  if (fd < 0) {
    log_error("access log " + path_ + ": cannot reopen: " + std::strerror(errno));
    return;
  }
  // dup2 swaps the file under the same descriptor number atomically.
  ::dup2(fd, fd_);
  ::close(fd);
}

void LogSink::flush_all() {
  for (auto& s : live_sinks()) s->flush();
}

void LogSink::reopen_all() {
  for (auto& s : live_sinks()) s->reopen();
}

}  // namespace rampart::guards
