#pragma once
// One pipelined connection to Redis, driven by one Asio io_context, never blocking its thread.
//
// Commands are RESP (resp.h) appended to one output buffer; the buffer goes out in one write
// once the io_context has run what was ready (a posted flush), so the commands that the
// requests of one turn of the event loop issue share a write, and a write in flight collects
// the next batch. Replies are read in blocks and parsed by hiredis's reader (whose reply objects
// are built here, straight into RedisValue, without hiredis's own reply tree); they answer the
// waiting commands in order, as Redis guarantees on one connection.
//
// A command waits at most its timeout: one deadline timer per connection (not per command)
// wakes at the earliest deadline of the commands still waiting and answers those that are due
// with nullopt. Their replies, when they come, are read and dropped, keeping the order. A
// connection whose oldest reply is kStall overdue is taken as lost.
//
// The connection (re)connects by itself with exponential back-off, sends AUTH, SELECT and the
// owner's setup commands (SCRIPT LOAD) first on each connect, and reports going down and coming
// back. Commands given while it connects wait for it (within their timeout); while it is down
// they answer nullopt at once. Everything runs on the io_context's thread: the methods must be
// called from there.

#include <array>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "state/clock.h"
#include "state/redis_value.h"

struct redisReader;
struct redisReadTask;

namespace rampart::state {

struct RedisEndpoint {
  std::string ip;  // resolved already: connecting never resolves a name
  uint16_t port = 6379;
  std::string password;
  int db = 0;
  Micros connect_timeout{1'000'000};
  Micros backoff_min{100'000};
  Micros backoff_max{5'000'000};
};

class RedisConn : public std::enable_shared_from_this<RedisConn> {
 public:
  using Reply = std::optional<RedisValue>;

  struct Hooks {
    std::vector<std::string> setup;                       // RESP commands sent on each connect
    std::function<void(RedisConn&)> on_ready;             // connected (setup commands sent)
    std::function<void(const std::string& why)> on_down;  // lost, or a connect failed
    std::function<void(const RedisValue&)> on_message;    // pub/sub pushes (subscribed)
  };

  // How long past its deadline the oldest reply may be before the connection is taken as lost.
  static constexpr Micros kStall{5'000'000};

  RedisConn(boost::asio::io_context& io, RedisEndpoint endpoint, Hooks hooks);
  ~RedisConn();
  RedisConn(const RedisConn&) = delete;
  RedisConn& operator=(const RedisConn&) = delete;

  // Starts connecting (and keeps reconnecting after losses until shutdown()).
  void start();
  // Closes the connection and stops reconnecting. Waiting commands answer nullopt.
  void shutdown();
  bool ready() const { return state_ == State::kReady; }

  // One command, in RESP, and its reply: nullopt when the connection is down, is lost, or the
  // reply takes longer than `timeout`. `resp` is copied when the awaitable is first awaited:
  // await it at once.
  boost::asio::awaitable<Reply> command(std::string_view resp, Micros timeout);
  boost::asio::awaitable<Reply> command(const std::vector<std::string>& args, Micros timeout);
  // The same, answered by calling `done` (from the event loop, never from inside this call)
  // instead of resuming a coroutine: for callers that answer many waiters from one reply.
  void command(std::string_view resp, Micros timeout, std::function<void(Reply)> done);
  // Sends without waiting for the reply (an error reply is logged). `subscribe`: SUBSCRIBE,
  // whose confirmation and every reply after it go to Hooks::on_message.
  bool send(const std::vector<std::string>& args, bool subscribe = false);

  // Commands sent and not yet answered (for tests).
  size_t in_flight() const { return pending_.size(); }

 private:
  enum class State { kDown, kConnecting, kReady, kStopped };
  using Handler =
      boost::asio::async_result<boost::asio::use_awaitable_t<>, void(Reply)>::handler_type;
  using TimePoint = std::chrono::steady_clock::time_point;

  struct Pending {
    enum class Kind { kWaiter, kSetup, kSubscribe };
    Kind kind = Kind::kWaiter;
    TimePoint deadline{};
    // kWaiter: one of the two, both empty once answered by its deadline.
    std::optional<Handler> handler;
    std::function<void(Reply)> callback;
    bool waiting() const { return handler.has_value() || callback != nullptr; }
    // Moves the waiter out (leaving none) as a call that answers it.
    std::function<void(Reply)> take();
  };

  void connect();
  void connected();
  void lost(const std::string& why);
  void schedule_reconnect(const std::string& why);
  void enqueue(std::string_view resp, Pending p);
  void flush();
  void read_more();
  void deliver(RedisValue&& v);
  void arm_deadline(TimePoint at);
  void on_deadline();
  // Answers every waiting command with nullopt (posted: never from inside a caller's step).
  void fail_all();

  // hiredis reader callbacks: each reply is built in slot_ (see redis_conn.cpp).
  static void* create_string(const redisReadTask* task, char* s, size_t len);
  static void* create_array(const redisReadTask* task, int n);
  static void* create_integer(const redisReadTask* task, long long n);
  static void* create_nil(const redisReadTask* task);
  static void free_object(void*) {}
  void new_reader();

  boost::asio::io_context& io_;
  RedisEndpoint endpoint_;
  Hooks hooks_;
  State state_ = State::kDown;
  uint64_t generation_ = 0;  // of the socket: handlers of an earlier connection are ignored
  boost::asio::ip::tcp::socket socket_;
  redisReader* reader_ = nullptr;
  RedisValue slot_;  // the reply being parsed
  std::array<char, 16 * 1024> in_{};
  std::string out_;      // commands not yet written
  std::string writing_;  // the write in flight
  bool write_in_flight_ = false;
  bool flush_posted_ = false;
  bool subscribed_ = false;
  std::deque<Pending> pending_;  // in the order of the replies to come
  boost::asio::steady_timer deadline_timer_;
  bool deadline_armed_ = false;
  TimePoint deadline_at_{};
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer connect_timer_;
  Micros backoff_;
};

}  // namespace rampart::state
