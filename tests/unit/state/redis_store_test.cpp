// The Redis store's rate limits against a real redis-server (started here on a free port; the
// tests skip when redis-server is not installed): the decisions of one turn go to Redis in one
// script call and answer exactly as gcra_step() does (a key named twice in a batch sees what the
// first took), several limits of one request in one call, more decisions than one batch holds,
// a script cache flushed under the store (NOSCRIPT), and Redis gone (fail open, fail closed)
// and back.
#include "state/redis_store.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <map>

#include "redis_test_server.h"
#include "state/gcra.h"
#include "state/redis_scripts.h"

namespace rampart::state {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr Gcra kTenAnHour{Micros(360'000'000), 3};
constexpr Gcra kTwoASecond{Micros(500'000), 2};

struct Ask {
  std::string key;
  Gcra limit;
  int64_t cost = 1;
};

// What gcra_step() answers for `asks` in order, all at one instant, on keys never seen.
std::vector<RateResult> expected(const std::vector<Ask>& asks) {
  constexpr int64_t kNow = 1'700'000'000'000'000;
  std::map<std::string, int64_t> tat;
  std::vector<RateResult> out;
  for (const Ask& a : asks) {
    GcraStep step = gcra_step(tat[a.key], kNow, a.limit, a.cost);
    if (step.result.allowed) tat[a.key] = step.new_tat;
    out.push_back(step.result);
  }
  return out;
}

std::string text(const RateResult& r) {
  return std::string(r.ok ? "" : "not ok ") + (r.local ? "local " : "") +
         (r.allowed ? "allowed" : "denied") + " remaining " + std::to_string(r.remaining) +
         " retry " + std::to_string(r.retry_after.count()) + " reset " +
         std::to_string(r.reset_after.count());
}

std::vector<std::string> texts(const std::vector<RateResult>& rs) {
  std::vector<std::string> out;
  for (const auto& r : rs) out.push_back(text(r));
  return out;
}

// Without the times, for answers from local state (each taken at its own instant).
std::vector<std::string> briefs(const std::vector<RateResult>& rs) {
  std::vector<std::string> out;
  for (const auto& r : rs) {
    out.push_back(std::string(r.ok ? "" : "not ok ") + (r.local ? "local " : "") +
                  (r.allowed ? "allowed" : "denied") + " remaining " + std::to_string(r.remaining));
  }
  return out;
}

class RedisStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_redis_server())
      GTEST_SKIP() << "redis-server is not installed (scripts/install-deps)";
    server_ = std::make_unique<RedisServer>(free_port());
    server_->start();
  }

  std::shared_ptr<RedisStore> open_store(bool fail_open = true) {
    StateOptions o;
    o.backend = StateOptions::Backend::kRedis;
    o.host = "127.0.0.1";
    o.port = server_->port();
    o.key_prefix = "test:";
    o.fail_open = fail_open;
    o.timeout = Micros(5'000'000);  // generous: the sanitizers make everything slower
    o.reconnect_max = Micros(100'000);
    auto store = RedisStore::open(o);
    EXPECT_TRUE(store.ok());
    return store.ok() ? *store : nullptr;
  }

  // Runs `body` as a coroutine on io_ until it ends.
  void run(std::function<Awaitable<void>()> body) {
    bool done = false;
    asio::co_spawn(
        io_,
        [&]() -> Awaitable<void> {
          co_await body();
          done = true;
        },
        asio::detached);
    io_.restart();
    while (!done && io_.run_one_for(30s) > 0) {
    }
    EXPECT_TRUE(done) << "the test coroutine did not finish";
  }

  // Asks every one of `asks` from its own coroutine, all started in the same turn of the event
  // loop, and waits for all the answers.
  Awaitable<std::vector<RateResult>> ask_at_once(RedisStore& store, std::vector<Ask> asks) {
    std::vector<RateResult> got(asks.size());
    size_t answered = 0;
    for (size_t i = 0; i < asks.size(); ++i) {
      asio::co_spawn(
          io_,
          [&, i]() -> Awaitable<void> {
            got[i] = co_await store.rate(asks[i].key, asks[i].limit, asks[i].cost);
            ++answered;
          },
          asio::detached);
    }
    asio::steady_timer t(io_);
    while (answered < asks.size()) {
      t.expires_after(1ms);
      co_await t.async_wait(asio::use_awaitable);
    }
    co_return got;
  }

  // A command on a connection of the test's own (INFO, SCRIPT FLUSH).
  Awaitable<std::string> redis(std::vector<std::string> args) {
    RedisEndpoint ep;
    ep.ip = "127.0.0.1";
    ep.port = server_->port();
    auto c = std::make_shared<RedisConn>(io_, ep, RedisConn::Hooks{});
    c->start();
    auto r = co_await c->command(args, Micros(5'000'000));
    c->shutdown();
    co_return r ? r->text : std::string("(no reply)");
  }

  // The calls of `command` in INFO commandstats ("calls=N,...").
  Awaitable<std::string> calls_of(std::string command) {
    std::vector<std::string> info = {"INFO", "commandstats"};
    std::string stats = co_await redis(info);
    std::string tag = "cmdstat_" + command + ":calls=";
    size_t at = stats.find(tag);
    if (at == std::string::npos) co_return std::string("0");
    at += tag.size();
    co_return stats.substr(at, stats.find(',', at) - at);
  }

  asio::io_context io_;  // first: it outlives the stores of the tests
  std::unique_ptr<RedisServer> server_;
};

TEST_F(RedisStoreTest, OneTurnsDecisionsAreOneScriptCallAnsweringAsGcraStep) {
  auto store = open_store();
  ASSERT_TRUE(store);
  // A key named several times in one batch sees what the earlier ones took; a cost over the
  // burst is refused; a cost of 0 asks without taking.
  const std::vector<Ask> asks = {{"a", kTenAnHour},     {"b", kTenAnHour},    {"a", kTenAnHour},
                                 {"a", kTenAnHour},     {"a", kTenAnHour},    {"c", kTenAnHour, 5},
                                 {"b", kTwoASecond, 2}, {"a", kTenAnHour, 0}, {"d", kTwoASecond}};
  std::vector<RateResult> got;
  std::string evalsha_calls;
  run([&]() -> Awaitable<void> {
    got = co_await ask_at_once(*store, asks);
    evalsha_calls = co_await calls_of("evalsha");
  });
  EXPECT_EQ(texts(got), texts(expected(asks)));
  EXPECT_EQ(evalsha_calls, "1");
}

TEST_F(RedisStoreTest, SeveralLimitsOfOneRequestInOneCall) {
  auto store = open_store();
  ASSERT_TRUE(store);
  const std::vector<Ask> asks = {{"route", kTwoASecond},
                                 {"ip:1", kTenAnHour},
                                 {"route", kTwoASecond},
                                 {"ip:1", kTenAnHour},
                                 {"route", kTwoASecond}};
  std::vector<RateResult> got;
  std::string evalsha_calls;
  run([&]() -> Awaitable<void> {
    std::vector<RateQuery> queries;
    for (const Ask& a : asks) queries.push_back(RateQuery{a.key, a.limit, a.cost});
    got = co_await store->rate_many(std::move(queries));
    evalsha_calls = co_await calls_of("evalsha");
  });
  EXPECT_EQ(texts(got), texts(expected(asks)));
  EXPECT_EQ(evalsha_calls, "1");
}

TEST_F(RedisStoreTest, MoreDecisionsThanOneBatchHolds) {
  auto store = open_store();
  ASSERT_TRUE(store);
  std::vector<Ask> asks;
  for (int i = 0; i < 1000; ++i) asks.push_back({"k" + std::to_string(i % 300), kTenAnHour});
  std::vector<RateResult> got;
  std::string evalsha_calls;
  run([&]() -> Awaitable<void> {
    std::vector<RateQuery> queries;
    for (const Ask& a : asks) queries.push_back(RateQuery{a.key, a.limit, a.cost});
    got = co_await store->rate_many(std::move(queries));
    evalsha_calls = co_await calls_of("evalsha");
  });
  ASSERT_EQ(got.size(), asks.size());
  // Each key's first three are allowed (remaining 2, 1, 0), its fourth refused: whichever
  // batch carried them, in order. The times depend on the instant of each batch.
  for (size_t i = 0; i < got.size(); ++i) {
    const int nth = int(i / 300);  // 0, 1, 2 for every key, then 3 for k0..k99
    SCOPED_TRACE("decision " + std::to_string(i));
    EXPECT_FALSE(got[i].local);
    EXPECT_EQ(got[i].allowed, nth < 3);
    if (nth < 3) {
      EXPECT_EQ(got[i].remaining, 2 - nth);
    }
  }
  // 1000 decisions, at most kGcraBatchMax a call.
  EXPECT_EQ(evalsha_calls, std::to_string((1000 + kGcraBatchMax - 1) / kGcraBatchMax));
}

TEST_F(RedisStoreTest, AFlushedScriptCacheIsLoadedAgain) {
  auto store = open_store();
  ASSERT_TRUE(store);
  std::vector<RateResult> first, second;
  std::string flushed, eval_calls;
  run([&]() -> Awaitable<void> {
    std::vector<Ask> x = {{"x", kTenAnHour}};
    first = co_await ask_at_once(*store, x);
    std::vector<std::string> flush = {"SCRIPT", "FLUSH"};
    flushed = co_await redis(flush);
    second = co_await ask_at_once(*store, x);
    eval_calls = co_await calls_of("eval");
  });
  EXPECT_EQ(flushed, "OK");
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(text(first[0]), "allowed remaining 2 retry 0 reset 360000000");
  // Shared state, not this instance's memory: the second request took the second place.
  EXPECT_FALSE(second[0].local);
  EXPECT_EQ(second[0].remaining, 1);
  EXPECT_EQ(eval_calls, "1");
}

TEST_F(RedisStoreTest, RedisGoneAnswersFromMemoryOrRefusesAndComesBack) {
  auto open = open_store(/*fail_open=*/true);
  auto closed = open_store(/*fail_open=*/false);
  ASSERT_TRUE(open && closed);
  server_->stop();
  std::vector<RateResult> open_got, closed_got, many_got, back;
  run([&]() -> Awaitable<void> {
    std::vector<Ask> y2 = {{"y", kTenAnHour}, {"y", kTenAnHour}};
    std::vector<Ask> y1 = {{"y", kTenAnHour}};
    open_got = co_await ask_at_once(*open, y2);
    closed_got = co_await ask_at_once(*closed, y1);
    std::vector<RateQuery> queries;
    queries.push_back(RateQuery{"z", kTenAnHour, 1});
    queries.push_back(RateQuery{"z", kTenAnHour, 1});
    many_got = co_await open->rate_many(std::move(queries));
  });
  const std::vector<std::string> local_two = {"local allowed remaining 2",
                                              "local allowed remaining 1"};
  EXPECT_EQ(briefs(open_got), local_two);
  // Fail closed: ok == false, which the caller answers with 503 (allowed is not looked at).
  EXPECT_EQ(briefs(closed_got), (std::vector<std::string>{"not ok allowed remaining 0"}));
  EXPECT_EQ(briefs(many_got), local_two);

  server_->start();
  run([&]() -> Awaitable<void> {
    // Reconnecting takes the back-off (at most 100 ms here); ask until Redis answers.
    asio::steady_timer t(io_);
    std::vector<Ask> w = {{"w", kTenAnHour}};
    for (int i = 0; i < 600; ++i) {
      back = co_await ask_at_once(*closed, w);
      if (back[0].ok) break;
      t.expires_after(50ms);
      co_await t.async_wait(asio::use_awaitable);
    }
  });
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(text(back[0]), "allowed remaining 2 retry 0 reset 360000000");
}

}  // namespace
}  // namespace rampart::state
