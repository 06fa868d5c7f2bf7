#include "state/redis_store.h"

#include <netdb.h>
#include <sys/socket.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

#include "common/logging.h"
#include "state/ban_message.h"
#include "state/redis_scripts.h"
#include "state/resp.h"
#include "state/thread_executor.h"

namespace rampart::state {

namespace asio = boost::asio;

namespace {

std::atomic<uint64_t> g_next_store_id{1};

struct ConnCache {
  uint64_t store_id = 0;
  asio::io_context* io = nullptr;
  RedisConn* conn = nullptr;
  RateBatcher* rates = nullptr;
};
thread_local ConnCache t_cache;

// Owns the Redis connections made for one io_context and closes them when that io_context is
// destroyed (Asio shuts a context's services down before it tears down the reactor they use).
class ConnService : public asio::execution_context::service {
 public:
  static inline asio::execution_context::id id;
  explicit ConnService(asio::execution_context& ctx) : asio::execution_context::service(ctx) {}
  struct Entry {
    std::shared_ptr<RedisConn> conn;
    std::shared_ptr<RateBatcher> rates;
  };
  void add(Entry e) {
    std::lock_guard lock(mu_);
    conns_.push_back(std::move(e));
  }
  void remove(RedisConn* c) {
    std::lock_guard lock(mu_);
    std::erase_if(conns_, [c](const Entry& e) { return e.conn.get() == c; });
  }

 private:
  void shutdown() override {
    std::vector<Entry> conns;
    {
      std::lock_guard lock(mu_);
      conns.swap(conns_);
    }
    for (auto& e : conns) {
      e.rates->shutdown();
      e.conn->shutdown();
    }
  }
  std::mutex mu_;
  std::vector<Entry> conns_;
};

StatusOr<std::string> resolve(const std::string& host) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &res);
  if (rc != 0 || res == nullptr) {
    return Status::error("cannot resolve Redis host " + host + ": " + gai_strerror(rc));
  }
  char text[NI_MAXHOST];
  rc = ::getnameinfo(res->ai_addr, res->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST);
  ::freeaddrinfo(res);
  if (rc != 0) return Status::error("cannot resolve Redis host " + host);
  return std::string(text);
}

// Argument lists for commands. Inside co_await, a braced list would make GCC 12 put an
// initializer_list's array in the coroutine frame, which it miscompiles ("array used as
// initializer"); a function call does not.
template <typename... T>
std::vector<std::string> strs(T&&... t) {
  std::vector<std::string> v;
  v.reserve(sizeof...(T));
  (v.emplace_back(std::forward<T>(t)), ...);
  return v;
}

bool is_noscript(const std::optional<RedisValue>& v) {
  return v && v->is_error() && v->text.compare(0, 8, "NOSCRIPT") == 0;
}

// A script's reply: nullopt for none or an error (logged).
std::optional<RedisValue> script_reply(std::optional<RedisValue> v, const RedisScript& script) {
  if (v && v->is_error()) {
    log_warn(std::string("state: Redis script ") + script.name + " failed: " + v->text);
    return std::nullopt;
  }
  return v;
}

}  // namespace

RedisStore::RedisStore(const StateOptions& options, RedisEndpoint endpoint)
    : options_(options),
      endpoint_(std::move(endpoint)),
      channel_(options.key_prefix + "bans"),
      local_(options.memory),
      id_(g_next_store_id.fetch_add(1)) {}

StatusOr<std::shared_ptr<RedisStore>> RedisStore::open(const StateOptions& options) {
  auto ip = resolve(options.host);
  if (!ip.ok()) return ip.status();
  RedisEndpoint ep;
  ep.ip = *ip;
  ep.port = options.port;
  ep.password = options.password;
  ep.db = options.db;
  ep.backoff_max = options.reconnect_max;
  std::shared_ptr<RedisStore> store(new RedisStore(options, ep));

  // The subscriber's and the loader's hooks run on the subscriber's thread, which the destructor
  // stops and joins before any member goes: they hold the store by its address. (A strong
  // reference taken there could be the last one, and the destructor, run on that thread, could
  // not join it.)
  RedisStore* self = store.get();
  RedisConn::Hooks sub_hooks;
  sub_hooks.on_ready = [self](RedisConn& c) {
    c.send({"SUBSCRIBE", self->channel_}, /*subscribe=*/true);
    self->came_back();
    self->load_bans();
  };
  sub_hooks.on_down = [self](const std::string& why) { self->went_down(why); };
  sub_hooks.on_message = [self](const RedisValue& v) { self->on_channel(v); };
  RedisConn::Hooks loader_hooks;
  loader_hooks.on_ready = [self](RedisConn&) { self->load_bans(); };
  store->subscriber_ = std::make_shared<RedisConn>(store->sub_io_, ep, std::move(sub_hooks));
  store->loader_ = std::make_shared<RedisConn>(store->sub_io_, ep, std::move(loader_hooks));
  store->sub_thread_ = std::thread([s = store.get()] {
    auto work = asio::make_work_guard(s->sub_io_);
    s->subscriber_->start();
    s->loader_->start();
    for (;;) {
      try {
        s->sub_io_.run();
        break;
      } catch (const std::exception& e) {
        log_error(std::string("state: Redis subscriber: ") + e.what());
      }
    }
  });
  return store;
}

RedisStore::~RedisStore() {
  asio::post(sub_io_, [this] {
    subscriber_->shutdown();
    loader_->shutdown();
    sub_io_.stop();
  });
  if (sub_thread_.joinable()) sub_thread_.join();
  std::lock_guard lock(conns_mu_);
  for (auto& [io, refs] : conns_) {
    // Alive: its io_context (and the service that owns it) still exists; closed there. Gone:
    // the io_context was destroyed and closed it then.
    auto c = refs.conn.lock();
    auto rates = refs.rates.lock();
    if (c && rates) {
      asio::post(*io, [c, rates, io = io] {
        rates->shutdown();
        c->shutdown();
        asio::use_service<ConnService>(*io).remove(c.get());
      });
    }
  }
}

void RedisStore::went_down(const std::string& why) {
  if (down_.exchange(true)) return;
  log_warn("state: Redis at " + endpoint_.ip + ":" + std::to_string(endpoint_.port) +
           " is unreachable (" + why + "): " +
           (options_.fail_open ? "serving from this instance's memory (fail open)"
                               : "refusing what needs shared state (fail closed)") +
           "; reconnecting with back-off");
}

void RedisStore::came_back() {
  if (!down_.exchange(false)) return;
  log_info("state: Redis at " + endpoint_.ip + ":" + std::to_string(endpoint_.port) +
           " is reachable again");
}

RedisStore::Worker RedisStore::worker_for(const asio::any_io_executor& ex) {
  auto* io = &static_cast<asio::io_context&>(asio::query(ex, asio::execution::context));
  if (t_cache.store_id == id_ && t_cache.io == io) return Worker{t_cache.conn, t_cache.rates};
  std::shared_ptr<RedisConn> c;
  std::shared_ptr<RateBatcher> rates;
  {
    std::lock_guard lock(conns_mu_);
    auto& refs = conns_[io];
    std::shared_ptr<RedisConn> slot = refs.conn.lock();
    rates = refs.rates.lock();
    if (!slot || !rates) {
      std::weak_ptr<RedisStore> weak = weak_from_this();
      RedisConn::Hooks hooks;
      for (const RedisScript* script :
           {&gcra_script(), &failure_script(), &ban_script(), &unban_script()}) {
        std::string load;
        resp_begin(load, 3);
        resp_arg(load, "SCRIPT");
        resp_arg(load, "LOAD");
        resp_arg(load, script->source);
        hooks.setup.push_back(std::move(load));
      }
      hooks.on_ready = [weak](RedisConn&) {
        if (auto s = weak.lock()) s->came_back();
      };
      hooks.on_down = [weak](const std::string& why) {
        if (auto s = weak.lock()) s->went_down(why);
      };
      slot = std::make_shared<RedisConn>(*io, endpoint_, std::move(hooks));
      rates = std::make_shared<RateBatcher>(*io, slot, options_.key_prefix, options_.timeout);
      asio::use_service<ConnService>(*io).add({slot, rates});
      refs = WorkerRefs{slot, rates};
      slot->start();
    }
    c = slot;
  }
  t_cache = ConnCache{id_, io, c.get(), rates.get()};
  return Worker{c.get(), rates.get()};
}

template <typename Append>
Awaitable<RedisConn::Reply> RedisStore::script_call(RedisConn& c, const RedisScript& script,
                                                    bool source, size_t keys, size_t args,
                                                    const Append& append) {
  // Formatted into a buffer the thread keeps; the connection copies it when awaited (at once).
  thread_local std::string cmd;
  cmd.clear();
  resp_begin(cmd, 3 + keys + args);
  resp_arg(cmd, source ? std::string_view("EVAL") : std::string_view("EVALSHA"));
  resp_arg(cmd, source ? std::string_view(script.source) : std::string_view(script.sha1));
  resp_arg(cmd, int64_t(keys));
  append(cmd);
  return c.command(std::string_view(cmd), options_.timeout);
}

// --- local forms ---

RateResult RedisStore::rate_now(std::string_view key, const Gcra& limit, int64_t cost) {
  RateResult r = local_.rate_now(key, limit, cost);
  r.local = true;
  return r;
}
CountResult RedisStore::add_failure_now(std::string_view key, Micros window, int64_t n) {
  return local_.add_failure_now(key, window, n);
}
void RedisStore::clear_failures_now(std::string_view key) { local_.clear_failures_now(key); }
std::optional<Ban> RedisStore::banned_now(std::string_view key) { return local_.banned_now(key); }
BanResult RedisStore::ban_now(std::string_view key, const BanPolicy& policy,
                              std::string_view reason) {
  return local_.ban_now(key, policy, reason);
}
bool RedisStore::unban_now(std::string_view key) { return local_.unban_now(key); }
std::vector<Ban> RedisStore::bans_now() { return local_.bans_now(); }
RecordResult RedisStore::get_now(std::string_view key) { return local_.get_now(key); }

// The record writes of the immediate forms come from steps that cannot wait (the session guard's
// response step: a login's new session, a session the application deleted). They answer from
// local state at once, and on a worker thread the same write also goes to Redis in the
// background, so that the other instances see it (within a round trip, not before the answer).
template <typename Op>
void RedisStore::write_behind(Op op) {
  boost::asio::io_context* io = thread_io();
  if (io == nullptr) return;
  asio::co_spawn(
      *io,
      [weak = weak_from_this(), op = std::move(op)]() -> Awaitable<void> {
        if (auto self = weak.lock()) co_await op(*self);
      },
      asio::detached);
}

bool RedisStore::put_now(std::string_view key, std::string_view value, Micros ttl) {
  bool ok = local_.put_now(key, value, ttl);
  if (ok) {
    write_behind([k = std::string(key), v = std::string(value), ttl](RedisStore& s) {
      return s.put(k, v, ttl);
    });
  }
  return ok;
}
bool RedisStore::update_now(std::string_view key, std::string_view value) {
  bool ok = local_.update_now(key, value);
  write_behind(
      [k = std::string(key), v = std::string(value)](RedisStore& s) { return s.update(k, v); });
  return ok;
}
bool RedisStore::touch_now(std::string_view key, Micros ttl) {
  bool ok = local_.touch_now(key, ttl);
  write_behind([k = std::string(key), ttl](RedisStore& s) { return s.touch(k, ttl); });
  return ok;
}
bool RedisStore::erase_now(std::string_view key) {
  bool had = local_.erase_now(key);
  write_behind([k = std::string(key)](RedisStore& s) { return s.erase(k); });
  return had;
}

// --- shared forms ---
//
// Each runs its script by EVALSHA; after NOSCRIPT (the server lost its script cache: a restart,
// SCRIPT FLUSH, a fail-over) it sends EVAL with the source, which caches it again. The commands
// are formatted straight into RESP: no argument vectors on the way.

RateResult RedisStore::rate_unshared(const RateQuery& q) {
  if (!options_.fail_open) {
    RateResult r;
    r.ok = false;
    return r;
  }
  return rate_now(q.key, q.limit, q.cost);
}

Awaitable<RateResult> RedisStore::rate(std::string key, Gcra limit, int64_t cost) {
  RateBatcher& batcher = *worker_for(co_await asio::this_coro::executor).rates;
  RateQuery query{std::move(key), limit, cost};
  RateResult result;
  const std::span<const RateQuery> queries(&query, 1);
  const std::span<RateResult> out(&result, 1);
  if (co_await batcher.decide(queries, out)) co_return result;
  co_return rate_unshared(query);
}

Awaitable<std::vector<RateResult>> RedisStore::rate_many(std::vector<RateQuery> queries) {
  RateBatcher& batcher = *worker_for(co_await asio::this_coro::executor).rates;
  std::vector<RateResult> results(queries.size());
  for (size_t at = 0; at < queries.size(); at += kGcraBatchMax) {
    const size_t n = std::min(kGcraBatchMax, queries.size() - at);
    const std::span<const RateQuery> part = std::span(queries).subspan(at, n);
    const std::span<RateResult> out = std::span(results).subspan(at, n);
    if (!co_await batcher.decide(part, out)) {
      for (size_t i = at; i < at + n; ++i) results[i] = rate_unshared(queries[i]);
    }
  }
  co_return results;
}

Awaitable<CountResult> RedisStore::add_failure(std::string key, Micros window, int64_t n) {
  RedisConn& c = conn_for(co_await asio::this_coro::executor);
  auto append = [&](std::string& cmd) {
    resp_arg(cmd, options_.key_prefix, key);
    resp_arg(cmd, window.count());
    resp_arg(cmd, n);
  };
  auto v = co_await script_call(c, failure_script(), false, 1, 2, append);
  if (is_noscript(v)) v = co_await script_call(c, failure_script(), true, 1, 2, append);
  v = script_reply(std::move(v), failure_script());
  if (v && v->kind == RedisValue::Kind::kArray && v->items.size() == 2) {
    auto count = v->items[0].as_int(), left = v->items[1].as_int();
    if (count && left) co_return CountResult{true, *count, Micros(*left)};
  }
  // Counted here either way; a fail-closed store says the shared count is unknown.
  CountResult local = local_.add_failure_now(key, window, n);
  local.ok = options_.fail_open;
  co_return local;
}

Awaitable<bool> RedisStore::clear_failures(std::string key) {
  local_.clear_failures_now(key);
  RedisConn& c = conn_for(co_await asio::this_coro::executor);
  auto v = co_await c.command(strs("DEL", options_.key_prefix + key), options_.timeout);
  co_return v.has_value() && !v->is_error();
}

Awaitable<BanResult> RedisStore::ban(std::string key, BanPolicy policy, std::string reason) {
  RedisConn& c = conn_for(co_await asio::this_coro::executor);
  auto append = [&](std::string& cmd) {
    resp_arg(cmd, options_.key_prefix + "ban:", key);
    resp_arg(cmd, options_.key_prefix + "banlevel:", key);
    resp_arg(cmd, policy.base.count());
    resp_arg(cmd, policy.max.count());
    resp_arg(cmd, policy.remember.count());
    resp_arg(cmd, reason);
    resp_arg(cmd, channel_);
    resp_arg(cmd, key);
  };
  auto v = co_await script_call(c, ban_script(), false, 2, 6, append);
  if (is_noscript(v)) v = co_await script_call(c, ban_script(), true, 2, 6, append);
  v = script_reply(std::move(v), ban_script());
  if (v && v->kind == RedisValue::Kind::kString) {
    if (auto m = parse_ban_message(v->text); m && !m->lifted) {
      local_.install_ban(m->ban);  // at once here; the others hear it on the channel
      co_return BanResult{true, m->ban};
    }
  }
  // A ban protects: it holds here even when it could not be shared.
  BanResult local = local_.ban_now(key, policy, reason);
  local.ok = options_.fail_open;
  co_return local;
}

Awaitable<bool> RedisStore::unban(std::string key) {
  bool had_local = local_.unban_now(key);
  RedisConn& c = conn_for(co_await asio::this_coro::executor);
  auto append = [&](std::string& cmd) {
    resp_arg(cmd, options_.key_prefix + "ban:", key);
    resp_arg(cmd, options_.key_prefix + "banlevel:", key);
    resp_arg(cmd, channel_);
    resp_arg(cmd, key);
  };
  auto v = co_await script_call(c, unban_script(), false, 2, 2, append);
  if (is_noscript(v)) v = co_await script_call(c, unban_script(), true, 2, 2, append);
  v = script_reply(std::move(v), unban_script());
  auto n = v ? v->as_int() : std::nullopt;
  co_return had_local || (n && *n > 0);
}

Awaitable<RecordResult> RedisStore::get(std::string key) {
  RedisConn& c = conn_for(co_await asio::this_coro::executor);
  auto v = co_await c.command(strs("GET", options_.key_prefix + "rec:" + key), options_.timeout);
  if (v && v->kind == RedisValue::Kind::kString) co_return RecordResult{true, std::move(v->text)};
  if (v && v->kind == RedisValue::Kind::kNil) co_return RecordResult{};
  if (!options_.fail_open) co_return RecordResult{false, std::nullopt};
  co_return local_.get_now(key);
}

Awaitable<bool> RedisStore::put(std::string key, std::string value, Micros ttl) {
  if (value.size() > kMaxRecordSize) co_return false;
  if (ttl.count() <= 0) {
    co_await erase(std::move(key));
    co_return true;
  }
  int64_t ms = std::max<int64_t>(1, (ttl.count() + 999) / 1000);
  RedisConn& c = conn_for(co_await asio::this_coro::executor);
  auto v = co_await c.command(
      strs("SET", options_.key_prefix + "rec:" + key, value, "PX", std::to_string(ms)),
      options_.timeout);
  if (v && v->kind == RedisValue::Kind::kStatus) co_return true;
  if (!options_.fail_open) co_return false;
  co_return local_.put_now(key, value, ttl);
}

Awaitable<bool> RedisStore::update(std::string key, std::string value) {
  if (value.size() > kMaxRecordSize) co_return false;
  RedisConn& c = conn_for(co_await asio::this_coro::executor);
  auto v = co_await c.command(
      strs("SET", options_.key_prefix + "rec:" + key, value, "XX", "KEEPTTL"), options_.timeout);
  if (v && v->kind == RedisValue::Kind::kStatus) co_return true;
  if (v && v->kind == RedisValue::Kind::kNil) co_return false;
  if (!options_.fail_open) co_return false;
  co_return local_.update_now(key, value);
}

Awaitable<bool> RedisStore::touch(std::string key, Micros ttl) {
  int64_t ms = std::max<int64_t>(1, (ttl.count() + 999) / 1000);
  RedisConn& c = conn_for(co_await asio::this_coro::executor);
  auto v = co_await c.command(
      strs("PEXPIRE", options_.key_prefix + "rec:" + key, std::to_string(ms)), options_.timeout);
  if (auto n = v ? v->as_int() : std::nullopt) co_return *n == 1;
  if (!options_.fail_open) co_return false;
  co_return local_.touch_now(key, ttl);
}

Awaitable<bool> RedisStore::erase(std::string key) {
  bool local = local_.erase_now(key);
  RedisConn& c = conn_for(co_await asio::this_coro::executor);
  auto v = co_await c.command(strs("DEL", options_.key_prefix + "rec:" + key), options_.timeout);
  if (auto n = v ? v->as_int() : std::nullopt) co_return *n == 1 || local;
  co_return local;
}

// --- bans from other instances ---

void RedisStore::on_channel(const RedisValue& push) {
  // ["message", channel, payload]; subscribe confirmations are ignored.
  if (push.kind != RedisValue::Kind::kArray || push.items.size() != 3) return;
  if (push.items[0].text != "message") return;
  auto m = parse_ban_message(push.items[2].text);
  if (!m) {
    log_warn("state: ignored a malformed message on " + channel_);
    return;
  }
  if (m->lifted) {
    local_.unban_now(m->ban.key);
  } else {
    local_.install_ban(m->ban);
  }
}

void RedisStore::load_bans() {
  // Runs on the subscriber's thread (see open()): SCAN for ban keys, GET each, keep them here.
  asio::co_spawn(
      sub_io_,
      [this]() -> Awaitable<void> {
        if (!loader_->ready()) co_return;
        std::string cursor = "0";
        const Micros timeout{2'000'000};
        int rounds = 0;
        do {
          auto scan = strs("SCAN", cursor, "MATCH", options_.key_prefix + "ban:*", "COUNT", "500");
          auto page = co_await loader_->command(std::move(scan), timeout);
          if (!page || page->kind != RedisValue::Kind::kArray || page->items.size() != 2) co_return;
          cursor = page->items[0].text;
          for (const auto& key : page->items[1].items) {
            auto get = strs("GET", key.text);
            auto v = co_await loader_->command(std::move(get), timeout);
            if (!v || v->kind != RedisValue::Kind::kString) continue;
            if (auto m = parse_ban_message(v->text); m && !m->lifted) local_.install_ban(m->ban);
          }
        } while (cursor != "0" && ++rounds < 100'000);
      },
      asio::detached);
}

}  // namespace rampart::state
