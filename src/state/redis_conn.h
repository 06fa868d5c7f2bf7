#pragma once
// One hiredis asynchronous connection driven by one Asio io_context, never blocking its thread.
//
// hiredis ships event-loop adapters for libevent, libev, libuv, glib, Qt and its own ae, but
// none for Asio, so this is that adapter, by hand: hiredis asks through five hooks (ev.addRead,
// delRead, addWrite, delWrite, cleanup) to be told when its socket is readable or writable; each
// maps onto a posix::stream_descriptor's async_wait on the same file descriptor, whose handler
// calls redisAsyncHandleRead / redisAsyncHandleWrite and waits again while hiredis still wants
// it. hiredis owns the descriptor: cleanup releases it from Asio before hiredis closes it.
//
// The connection (re)connects by itself with exponential back-off, runs the commands given at
// each connect (AUTH, SELECT, SCRIPT LOAD, SUBSCRIBE) first, and reports going down and coming
// back to its owner. A command waits at most its timeout; its answer is nullopt when the
// connection is down, is lost, or is too slow. Everything runs on the io_context's thread: the
// methods must be called from there.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "state/clock.h"
#include "state/redis_value.h"

struct redisAsyncContext;

namespace rampart::state {

struct RedisEndpoint {
  std::string ip;  // resolved already: hiredis would resolve a name with a blocking call
  uint16_t port = 6379;
  std::string password;
  int db = 0;
  Micros connect_timeout{1'000'000};
  Micros backoff_min{100'000};
  Micros backoff_max{5'000'000};
};

class RedisConn : public std::enable_shared_from_this<RedisConn> {
 public:
  struct Hooks {
    std::function<void(RedisConn&)> on_ready;             // after the setup commands
    std::function<void(const std::string& why)> on_down;  // lost, or a connect failed
    std::function<void(const RedisValue&)> on_message;    // pub/sub pushes (subscribed)
  };

  RedisConn(boost::asio::io_context& io, RedisEndpoint endpoint, Hooks hooks);
  ~RedisConn();
  RedisConn(const RedisConn&) = delete;
  RedisConn& operator=(const RedisConn&) = delete;

  // Starts connecting (and keeps reconnecting after losses until shutdown()).
  void start();
  // Closes the connection and stops reconnecting. Pending commands answer nullopt.
  void shutdown();
  bool ready() const { return state_ == State::kReady; }

  boost::asio::awaitable<std::optional<RedisValue>> command(std::vector<std::string> args,
                                                            Micros timeout);
  // Sends without waiting for the answer (setup commands, SUBSCRIBE whose pushes go to
  // Hooks::on_message).
  bool send(const std::vector<std::string>& args, bool subscribe = false);

 private:
  enum class State { kDown, kConnecting, kReady, kStopped };

  void connect();
  void schedule_reconnect(const std::string& why);
  void wait_readable();
  void wait_writable();
  void release_descriptor();

  static void hook_add_read(void* self);
  static void hook_del_read(void* self);
  static void hook_add_write(void* self);
  static void hook_del_write(void* self);
  static void hook_cleanup(void* self);
  static void on_connect(const redisAsyncContext* ac, int status);
  static void on_disconnect(const redisAsyncContext* ac, int status);

  boost::asio::io_context& io_;
  RedisEndpoint endpoint_;
  Hooks hooks_;
  redisAsyncContext* ac_ = nullptr;
  std::optional<boost::asio::posix::stream_descriptor> sd_;
  uint64_t generation_ = 0;  // of sd_: a wait armed for an earlier connection is ignored
  bool want_read_ = false;
  bool want_write_ = false;
  bool read_armed_ = false;
  bool write_armed_ = false;
  State state_ = State::kDown;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer connect_timer_;
  Micros backoff_;
  // Commands that arrived while connecting wait here (each until its own deadline).
  std::vector<std::weak_ptr<boost::asio::steady_timer>> connect_waiters_;
};

}  // namespace rampart::state
