#pragma once
// Timeouts for every connection of one worker thread, at the cost of one store per I/O: each
// connection keeps a Watch with its current deadline; the worker's sweep (every 100 ms) cancels
// the sockets of the watches that are past it. A cancelled operation completes with
// operation_aborted, and the connection sees `expired()` to tell a timeout from a shutdown.
// Resolution is the sweep interval, which is plenty for timeouts counted in seconds.
// Single-threaded: a Watch and its Watchdog belong to one io_context thread.

#include <boost/asio/ip/tcp.hpp>
#include <chrono>

namespace rampart::net {

using Clock = std::chrono::steady_clock;

class Watchdog;

class Watch {
 public:
  explicit Watch(Watchdog& dog);
  ~Watch();
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;

  // Arms the deadline `d` from now; `what` names the phase for the caller's own use.
  void arm(std::chrono::milliseconds d, int what = 0);
  void disarm() { deadline_ = Clock::time_point::max(); }
  bool expired() const { return expired_; }
  int what() const { return what_; }
  void clear_expired() { expired_ = false; }

  // The sockets to cancel on expiry (either may be null).
  boost::asio::ip::tcp::socket* client = nullptr;
  boost::asio::ip::tcp::socket* upstream = nullptr;

 private:
  friend class Watchdog;
  Watchdog& dog_;
  Watch* prev_ = nullptr;
  Watch* next_ = nullptr;
  Clock::time_point deadline_ = Clock::time_point::max();
  int what_ = 0;
  bool expired_ = false;
};

class Watchdog {
 public:
  // Cancels the sockets of every watch whose deadline is before `now`.
  void sweep(Clock::time_point now);
  // Calls f(watch) for every watch (the drain uses it to close idle connections).
  template <typename F>
  void for_each(F&& f) {
    for (Watch* w = head_; w != nullptr;) {
      Watch* next = w->next_;
      f(*w);
      w = next;
    }
  }

 private:
  friend class Watch;
  Watch* head_ = nullptr;
};

}  // namespace rampart::net
