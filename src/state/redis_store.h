#pragma once
// The state store in Redis, shared by every gateway instance that names the same server.
//
// - GCRA and the failure counters are Lua scripts run atomically by EVALSHA (loaded with SCRIPT
//   LOAD on every connect; a NOSCRIPT answer, after a SCRIPT FLUSH or a fail-over, is retried
//   with EVAL, which loads it again). The GCRA decisions of one turn of a worker's event loop
//   go to Redis together, in one script call (redis_rate_batch.h).
// - A ban is a key with a TTL, set by a script that also PUBLISHes it on `<prefix>bans`. Every
//   instance keeps a copy of the bans in memory, filled from a SCAN when its subscriber connects
//   and kept current by the channel, so that checking a ban costs no round trip and an instance
//   learns of a ban as soon as Redis delivers the message.
// - Records (sessions) are plain keys with a TTL.
//
// Connections: one per worker io_context, made on first use from that thread, plus a subscriber
// and a loader on a small thread of the store's own. A request waits on Redis at most `timeout`.
// When Redis is unreachable, slow, or answers nonsense, the operation is answered from this
// instance's memory (fail open, the default) or refused (fail closed: ok == false); the outage is
// logged once and again when Redis is back, and connections retry with exponential back-off.

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "common/status.h"
#include "state/memory_store.h"
#include "state/options.h"
#include "state/redis_conn.h"
#include "state/redis_rate_batch.h"
#include "state/redis_scripts.h"
#include "state/store.h"

namespace rampart::state {

class RedisStore final : public Store, public std::enable_shared_from_this<RedisStore> {
 public:
  // Resolves the host (at start-up, where blocking is allowed) and starts the subscriber.
  static StatusOr<std::shared_ptr<RedisStore>> open(const StateOptions& options);
  ~RedisStore() override;

  std::string_view backend() const override { return "redis"; }
  bool immediate() const override { return false; }
  const Clock& clock() const override { return system_clock(); }

  // Local state only (see store.h).
  RateResult rate_now(std::string_view key, const Gcra& limit, int64_t cost = 1) override;
  CountResult add_failure_now(std::string_view key, Micros window, int64_t n = 1) override;
  void clear_failures_now(std::string_view key) override;
  std::optional<Ban> banned_now(std::string_view key) override;
  BanResult ban_now(std::string_view key, const BanPolicy& policy,
                    std::string_view reason) override;
  bool unban_now(std::string_view key) override;
  std::vector<Ban> bans_now() override;
  RecordResult get_now(std::string_view key) override;
  bool put_now(std::string_view key, std::string_view value, Micros ttl) override;
  bool update_now(std::string_view key, std::string_view value) override;
  bool touch_now(std::string_view key, Micros ttl) override;
  bool erase_now(std::string_view key) override;

  // Shared state.
  Awaitable<RateResult> rate(std::string key, Gcra limit, int64_t cost = 1) override;
  Awaitable<std::vector<RateResult>> rate_many(std::vector<RateQuery> queries) override;
  Awaitable<CountResult> add_failure(std::string key, Micros window, int64_t n = 1) override;
  Awaitable<bool> clear_failures(std::string key) override;
  Awaitable<BanResult> ban(std::string key, BanPolicy policy, std::string reason) override;
  Awaitable<bool> unban(std::string key) override;
  Awaitable<RecordResult> get(std::string key) override;
  Awaitable<bool> put(std::string key, std::string value, Micros ttl) override;
  Awaitable<bool> update(std::string key, std::string value) override;
  Awaitable<bool> touch(std::string key, Micros ttl) override;
  Awaitable<bool> erase(std::string key) override;

 private:
  // Runs op(*this) (an awaitable record write) on this thread's io_context, detached.
  template <typename Op>
  void write_behind(Op op);
  explicit RedisStore(const StateOptions& options, RedisEndpoint endpoint);

  // The connection and the rate batcher of the io_context behind `ex` (the calling
  // coroutine's), made on first use.
  struct Worker {
    RedisConn* conn = nullptr;
    RateBatcher* rates = nullptr;
  };
  Worker worker_for(const boost::asio::any_io_executor& ex);
  RedisConn& conn_for(const boost::asio::any_io_executor& ex) { return *worker_for(ex).conn; }
  // What rate() answers when Redis did not: local state (fail open) or ok == false.
  RateResult rate_unshared(const RateQuery& q);
  // EVALSHA `script` (EVAL with its source when `source`) with the keys and arguments that
  // `append` adds in RESP: the connection's awaitable, to be awaited at once.
  template <typename Append>
  Awaitable<RedisConn::Reply> script_call(RedisConn& c, const RedisScript& script, bool source,
                                          size_t keys, size_t args, const Append& append);
  void went_down(const std::string& why);
  void came_back();
  void on_channel(const RedisValue& push);
  void load_bans();

  StateOptions options_;
  RedisEndpoint endpoint_;
  std::string channel_;
  MemoryStore local_;

  // Each worker's connection, owned by a service of its io_context (redis_store.cpp) so that it
  // is closed while that io_context still exists, whichever of the two goes first.
  std::mutex conns_mu_;
  struct WorkerRefs {
    std::weak_ptr<RedisConn> conn;
    std::weak_ptr<RateBatcher> rates;
  };
  std::unordered_map<boost::asio::io_context*, WorkerRefs> conns_;
  std::atomic<bool> down_{false};

  // The subscriber's own thread.
  boost::asio::io_context sub_io_;
  std::shared_ptr<RedisConn> subscriber_;
  std::shared_ptr<RedisConn> loader_;
  std::thread sub_thread_;
  uint64_t id_;  // tells this store from a later one at the same address (connection cache)
};

}  // namespace rampart::state
