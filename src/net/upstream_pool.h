#pragma once
// The upstreams of one worker thread: round-robin over the healthy ones, passive failure marking
// (an upstream that refuses or times out a connection is skipped for a back-off that doubles up
// to 30 s, and is tried again when every upstream is marked), and idle keep-alive connections
// kept for reuse. One per worker thread; not thread-safe.

#include <boost/asio/ip/tcp.hpp>
#include <optional>
#include <vector>

#include "net/watchdog.h"

namespace rampart::net {

class UpstreamPool {
 public:
  static constexpr size_t kMaxIdlePerUpstream = 256;

  // Replaces the upstreams (keeps the state of those that stay the same).
  void configure(const std::vector<boost::asio::ip::tcp::endpoint>& endpoints);

  size_t size() const { return targets_.size(); }
  // The next upstream to use.
  size_t pick(Clock::time_point now);
  const boost::asio::ip::tcp::endpoint& endpoint(size_t i) const { return targets_[i].endpoint; }

  // An idle connection to upstream i, if there is one. With `check`, one that the upstream has
  // closed meanwhile is skipped (a syscall each); without, the caller retries on failure.
  std::optional<boost::asio::ip::tcp::socket> take_idle(size_t i, bool check);
  void give_back(size_t i, boost::asio::ip::tcp::socket socket);
  void mark_failure(size_t i, Clock::time_point now);
  void mark_success(size_t i);
  void close_idle();

 private:
  struct Target {
    boost::asio::ip::tcp::endpoint endpoint;
    std::vector<boost::asio::ip::tcp::socket> idle;
    Clock::time_point down_until{};
    int failures = 0;
  };
  std::vector<Target> targets_;
  size_t next_ = 0;
};

}  // namespace rampart::net
