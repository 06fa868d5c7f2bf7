#pragma once
// A real redis-server for the tests of the Redis store and connection: started on a free port,
// without persistence, in a temporary folder; tests skip when redis-server is not installed.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace rampart::state {

inline bool have_redis_server() {
  return std::system("command -v redis-server >/dev/null 2>&1") == 0;
}

inline uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

inline bool port_open(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// One redis-server process, without persistence, in a temporary folder.
class RedisServer {
 public:
  explicit RedisServer(uint16_t port) : port_(port) {
    dir_ = std::filesystem::temp_directory_path() /
           ("rampart-redis-test-" + std::to_string(::getpid()) + "-" + std::to_string(port));
    std::filesystem::create_directories(dir_);
  }
  ~RedisServer() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void start() {
    std::string port = std::to_string(port_);
    std::string dir = dir_.string();
    std::vector<std::string> args = {"redis-server", "--port",      port, "--bind",
                                     "127.0.0.1",    "--save",      "",   "--appendonly",
                                     "no",           "--dir",       dir,  "--logfile",
                                     dir + "/log",   "--daemonize", "no"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ASSERT_EQ(::posix_spawnp(&pid_, "redis-server", nullptr, nullptr, argv.data(), environ), 0);
    for (int i = 0; i < 200 && !port_open(port_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    ASSERT_TRUE(port_open(port_)) << "redis-server did not listen on " << port_;
  }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
  }
  uint16_t port() const { return port_; }

 private:
  uint16_t port_;
  pid_t pid_ = 0;
  std::filesystem::path dir_;
};

}  // namespace rampart::state
