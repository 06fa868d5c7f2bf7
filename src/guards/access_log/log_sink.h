#pragma once
// Where access-log lines go: standard output or a file. Lines are buffered and written whole (a
// line never interleaves with another); the buffer is written when it passes 64 KiB and at least
// every flush interval (the server calls flush_all() from its timers), and on shutdown.
// reopen_all() (SIGUSR1) reopens every file sink at its path, for log rotation. Thread-safe.

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/status.h"

namespace rampart::guards {

class LogSink {
 public:
  // "stdout", "-" or a file path (opened for appending, created 0640).
  static StatusOr<std::shared_ptr<LogSink>> open(const std::string& path);
  static void flush_all();
  static void reopen_all();

  ~LogSink();
  void write(std::string_view line);  // `line` ends with '\n'
  void flush();
  const std::string& path() const { return path_; }

 private:
  explicit LogSink(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  void flush_locked();
  void reopen();

  std::string path_;
  int fd_;
  std::mutex mutex_;
  std::string buffer_;
};

}  // namespace rampart::guards
