#include "net/upstream_pool.h"

#include <sys/socket.h>

#include <algorithm>

namespace rampart::net {

void UpstreamPool::configure(const std::vector<boost::asio::ip::tcp::endpoint>& endpoints) {
  std::vector<Target> next;
  for (const auto& ep : endpoints) {
    auto it = std::find_if(targets_.begin(), targets_.end(),
                           [&](const Target& t) { return t.endpoint == ep; });
    if (it != targets_.end()) {
      next.push_back(std::move(*it));
    } else {
      next.push_back(Target{ep, {}, {}, 0});
    }
  }
  targets_ = std::move(next);
  next_ = 0;
}

size_t UpstreamPool::pick(Clock::time_point now) {
  const size_t n = targets_.size();
  for (size_t k = 0; k < n; ++k) {
    size_t i = (next_ + k) % n;
    if (targets_[i].down_until <= now) {
      next_ = i + 1;
      return i;
    }
  }
  // All marked down: try the one that has waited longest, so that recovery is noticed.
  size_t best = 0;
  for (size_t i = 1; i < n; ++i) {
    if (targets_[i].down_until < targets_[best].down_until) best = i;
  }
  return best;
}

std::optional<boost::asio::ip::tcp::socket> UpstreamPool::take_idle(size_t i, bool check) {
  auto& idle = targets_[i].idle;
  while (!idle.empty()) {
    boost::asio::ip::tcp::socket s = std::move(idle.back());
    idle.pop_back();
    if (!check) return s;
    // A kept connection that the upstream has closed (or that has unexpected bytes) reads as
    // ready: it cannot carry a new request.
    char byte;
    ssize_t n = ::recv(s.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return s;
  }
  return std::nullopt;
}

void UpstreamPool::give_back(size_t i, boost::asio::ip::tcp::socket socket) {
  if (i >= targets_.size()) return;
  auto& idle = targets_[i].idle;
  if (idle.size() >= kMaxIdlePerUpstream) return;  // closed by the socket's destructor
  idle.push_back(std::move(socket));
}

void UpstreamPool::mark_failure(size_t i, Clock::time_point now) {
  auto& t = targets_[i];
  t.failures = std::min(t.failures + 1, 16);
  auto backoff = std::chrono::milliseconds(250) * (1 << std::min(t.failures - 1, 7));
  t.down_until = now + std::min<std::chrono::milliseconds>(backoff, std::chrono::seconds(30));
  t.idle.clear();
}

void UpstreamPool::mark_success(size_t i) {
  targets_[i].failures = 0;
  targets_[i].down_until = {};
}

void UpstreamPool::close_idle() {
  for (auto& t : targets_) t.idle.clear();
}

}  // namespace rampart::net
