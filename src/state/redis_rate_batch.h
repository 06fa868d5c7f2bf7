#pragma once
// The rate-limit decisions of one io_context, sent to Redis in batches: many decisions go out as
// ONE call of the batched GCRA script (redis_scripts.h: one TIME, one MGET, a SET per allowed
// key), not a script call each.
// Redis spends most of a script call on calling a script at all, so the batch costs it less
// than half as much per decision at the batch sizes of a busy gateway (the figures are in
// redis_scripts.cpp).
//
// One batch is out at a time: the decisions asked for while it is out wait for its answer and
// go together in the next (group commit), so that a batch grows with the load instead of
// staying at what one turn of the event loop brings (measured at 64 connections: 6 decisions
// a call when each turn sent its own, 27 with one out at a time). When none is out, the batch
// is sent once the io_context has run what was ready (a posted flush). A batch holds at most
// kGcraBatchMax decisions; a full one is sent at once. A decision waits at most the store's
// timeout from when it was asked for, the time spent waiting for the batch before included.
// NOSCRIPT (the server lost its script cache: a restart, SCRIPT FLUSH, a fail-over) is answered
// by sending the batch again with EVAL and the source, which caches the script again.
//
// Everything runs on the io_context's thread: the methods must be called from there.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "state/clock.h"
#include "state/redis_conn.h"
#include "state/store.h"

namespace rampart::state {

class RateBatcher : public std::enable_shared_from_this<RateBatcher> {
 public:
  RateBatcher(boost::asio::io_context& io, std::shared_ptr<RedisConn> conn, std::string key_prefix,
              Micros timeout);
  RateBatcher(const RateBatcher&) = delete;
  RateBatcher& operator=(const RateBatcher&) = delete;

  // Puts `queries` (1 to kGcraBatchMax; their keys without the store's prefix) in this turn's
  // batch and resumes when Redis has answered it: true with `out` (one result per query)
  // filled in; false when Redis is unreachable, did not answer within the timeout, or answered
  // with an error (logged). `queries` may go once this is first awaited (await it at once);
  // `out` must live until it resumes.
  boost::asio::awaitable<bool> decide(std::span<const RateQuery> queries,
                                      std::span<RateResult> out);

  // Answers every waiting decision with false (from the event loop); later ones at once.
  void shutdown();

 private:
  using Handler =
      boost::asio::async_result<boost::asio::use_awaitable_t<>, void(bool)>::handler_type;
  struct Spec {
    int64_t interval = 0;
    int64_t burst = 0;
    int64_t cost = 0;
  };
  struct Group {  // the queries of one decide(), in the batch's order
    size_t count = 0;
    RateResult* out = nullptr;
    Handler handler;
  };
  struct Batch {
    std::string keys;     // the keys, each a RESP argument
    std::string spec_of;  // one byte a key: its Spec's index, from 1
    std::vector<Spec> specs;
    std::vector<Group> groups;
    size_t count = 0;  // keys
    bool retried = false;
    std::chrono::steady_clock::time_point opened{};  // when its first decision was asked for
    void clear();
  };

  void add(std::span<const RateQuery> queries, std::span<RateResult> out, Handler handler);
  void post_flush();  // sends the open batch at the end of this turn, unless one is out
  void send_open();   // sends the open batch, if any
  void send(std::shared_ptr<Batch> batch);
  void answered(const std::shared_ptr<Batch>& batch, RedisConn::Reply reply);
  // Fills the groups' results from the script's reply; false when it is not what the script
  // returns.
  static bool fill(Batch& batch, const RedisValue& reply);

  boost::asio::io_context& io_;
  std::shared_ptr<RedisConn> conn_;
  std::string prefix_;
  Micros timeout_;
  std::shared_ptr<Batch> open_;
  std::vector<std::shared_ptr<Batch>> spare_;  // answered batches, kept for their buffers
  std::string command_;                        // reused to format each call
  bool flush_posted_ = false;
  size_t in_flight_ = 0;  // batches sent and not answered
  static constexpr size_t kMaxInFlight = 1;
  bool stopped_ = false;
};

}  // namespace rampart::state
