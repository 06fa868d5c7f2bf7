// The pipelined Redis connection against a real redis-server (started here on a free port; the
// tests skip when redis-server is not installed): replies in order for many commands in flight,
// a command's deadline without losing the order of the later replies, the reply types, pub/sub,
// and a server that goes away and comes back.
#include "state/redis_conn.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "redis_test_server.h"
#include "state/resp.h"

namespace rampart::state {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
template <typename T>
using Awaitable = asio::awaitable<T>;

class RedisConnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_redis_server())
      GTEST_SKIP() << "redis-server is not installed (scripts/install-deps)";
    server_ = std::make_unique<RedisServer>(free_port());
    server_->start();
  }

  std::shared_ptr<RedisConn> make_conn(RedisConn::Hooks hooks = {}) {
    RedisEndpoint ep;
    ep.ip = "127.0.0.1";
    ep.port = server_->port();
    ep.backoff_min = Micros(20'000);
    ep.backoff_max = Micros(100'000);
    auto c = std::make_shared<RedisConn>(io_, ep, std::move(hooks));
    c->start();
    return c;
  }

  // Runs `body` as a coroutine on io_ until it ends (shutting the connection down after it).
  void run(std::shared_ptr<RedisConn> conn, std::function<Awaitable<void>()> body) {
    bool done = false;
    asio::co_spawn(
        io_,
        [&]() -> Awaitable<void> {
          co_await body();
          done = true;
          conn->shutdown();
        },
        asio::detached);
    io_.run_for(30s);
    EXPECT_TRUE(done) << "the test coroutine did not finish";
  }

  asio::io_context io_;
  std::unique_ptr<RedisServer> server_;
};

// A command's arguments (a function call: GCC 12 miscompiles a braced list inside co_await).
template <typename... T>
std::vector<std::string> cmd(T&&... t) {
  std::vector<std::string> v;
  (v.emplace_back(std::forward<T>(t)), ...);
  return v;
}

std::string text_of(const RedisConn::Reply& r) {
  if (!r) return "(none)";
  switch (r->kind) {
    case RedisValue::Kind::kNil:
      return "nil";
    case RedisValue::Kind::kInteger:
      return std::to_string(r->integer);
    case RedisValue::Kind::kString:
      return r->text;
    case RedisValue::Kind::kStatus:
      return "+" + r->text;
    case RedisValue::Kind::kError:
      return "-" + r->text;
    case RedisValue::Kind::kArray: {
      std::string out = "[";
      for (size_t i = 0; i < r->items.size(); ++i) {
        if (i > 0) out += ",";
        out += text_of(RedisConn::Reply(r->items[i]));
      }
      return out + "]";
    }
  }
  return "?";
}

TEST_F(RedisConnTest, ManyCommandsInFlightGetTheirOwnReplies) {
  auto conn = make_conn();
  constexpr int kCommands = 500;
  std::vector<std::string> got(kCommands);
  int finished = 0;
  size_t most_in_flight = 0;
  run(conn, [&]() -> Awaitable<void> {
    for (int i = 0; i < kCommands; ++i) {
      asio::co_spawn(
          io_,
          [&, i]() -> Awaitable<void> {
            auto r =
                co_await conn->command(cmd("ECHO", "m" + std::to_string(i)), Micros(5'000'000));
            got[size_t(i)] = text_of(r);
            ++finished;
          },
          asio::detached);
    }
    // Every command was given before any reply could be read: all of them are in flight at once
    // on the one connection.
    asio::steady_timer t(io_);
    while (finished < kCommands) {
      most_in_flight = std::max(most_in_flight, conn->in_flight());
      t.expires_after(1ms);
      co_await t.async_wait(asio::use_awaitable);
    }
  });
  for (int i = 0; i < kCommands; ++i) EXPECT_EQ(got[size_t(i)], "m" + std::to_string(i));
  EXPECT_EQ(most_in_flight, size_t(kCommands));
}

TEST_F(RedisConnTest, ReplyTypes) {
  auto conn = make_conn();
  std::vector<std::string> got;
  run(conn, [&]() -> Awaitable<void> {
    got.push_back(text_of(co_await conn->command(cmd("SET", "k", "v"), Micros(2'000'000))));
    got.push_back(text_of(co_await conn->command(cmd("GET", "k"), Micros(2'000'000))));
    got.push_back(text_of(co_await conn->command(cmd("GET", "missing"), Micros(2'000'000))));
    got.push_back(text_of(co_await conn->command(cmd("INCRBY", "n", "-7"), Micros(2'000'000))));
    got.push_back(text_of(co_await conn->command(cmd("NOSUCHCOMMAND"), Micros(2'000'000))));
    got.push_back(text_of(co_await conn->command(
        cmd("EVAL", "return {1, {'a', {2, 'b'}}, redis.status_reply('FINE'), false}", "0"),
        Micros(2'000'000))));
    std::string resp;
    resp_begin(resp, 2);
    resp_arg(resp, "ECHO");
    resp_arg(resp, "pre", "fix");
    got.push_back(text_of(co_await conn->command(std::string_view(resp), Micros(2'000'000))));
  });
  ASSERT_EQ(got.size(), 7u);
  EXPECT_EQ(got[0], "+OK");
  EXPECT_EQ(got[1], "v");
  EXPECT_EQ(got[2], "nil");
  EXPECT_EQ(got[3], "-7");
  EXPECT_EQ(got[4].substr(0, 24), "-ERR unknown command 'NO");
  EXPECT_EQ(got[5], "[1,[a,[2,b]],+FINE,nil]");
  EXPECT_EQ(got[6], "prefix");
}

TEST_F(RedisConnTest, ALateReplyIsDroppedAndTheNextCommandsKeepTheirOwn) {
  auto conn = make_conn();
  std::vector<std::string> got;
  run(conn, [&]() -> Awaitable<void> {
    // BLPOP holds the connection for 300 ms; the ECHO behind it waits as long. Both give up at
    // their 50 ms deadline, and their replies, when they come, must not answer the next command.
    std::string slow, behind;
    asio::co_spawn(
        io_,
        [&]() -> Awaitable<void> {
          slow = text_of(co_await conn->command(cmd("BLPOP", "empty", "0.3"), Micros(50'000)));
        },
        asio::detached);
    behind = text_of(co_await conn->command(cmd("ECHO", "behind"), Micros(50'000)));
    got.push_back(slow);
    got.push_back(behind);
    got.push_back(std::to_string(conn->in_flight()));
    got.push_back(text_of(co_await conn->command(cmd("ECHO", "next"), Micros(5'000'000))));
    got.push_back(std::to_string(conn->in_flight()));
  });
  EXPECT_EQ(got, (std::vector<std::string>{"(none)", "(none)", "2", "next", "0"}));
}

TEST_F(RedisConnTest, PubSubMessagesGoToTheHook) {
  std::vector<std::string> messages;
  RedisConn::Hooks hooks;
  hooks.on_ready = [](RedisConn& c) { c.send(cmd("SUBSCRIBE", "chan"), /*subscribe=*/true); };
  hooks.on_message = [&](const RedisValue& v) { messages.push_back(text_of(v)); };
  auto sub = make_conn(std::move(hooks));
  auto pub = make_conn();
  run(sub, [&]() -> Awaitable<void> {
    asio::steady_timer t(io_);
    // Publish until the subscriber has heard one (it subscribes once connected).
    for (int i = 0; i < 500 && messages.size() < 2; ++i) {
      co_await pub->command(cmd("PUBLISH", "chan", "hello"), Micros(2'000'000));
      t.expires_after(5ms);
      co_await t.async_wait(asio::use_awaitable);
    }
    pub->shutdown();
  });
  ASSERT_GE(messages.size(), 2u);
  EXPECT_EQ(messages[0], "[subscribe,chan,1]");
  EXPECT_EQ(messages[1], "[message,chan,hello]");
}

TEST_F(RedisConnTest, ServerGoneAnswersNothingAndTheConnectionComesBack) {
  std::vector<std::string> downs;
  int readies = 0;
  RedisConn::Hooks hooks;
  hooks.on_ready = [&](RedisConn&) { ++readies; };
  hooks.on_down = [&](const std::string& why) { downs.push_back(why); };
  auto conn = make_conn(std::move(hooks));
  std::vector<std::string> got;
  run(conn, [&]() -> Awaitable<void> {
    got.push_back(text_of(co_await conn->command(cmd("ECHO", "before"), Micros(2'000'000))));
    // A command in flight when the server goes away is answered with nothing, well before its
    // own deadline; so are commands given while the connection is down.
    std::string blocked;
    bool blocked_done = false;
    asio::co_spawn(
        io_,
        [&]() -> Awaitable<void> {
          blocked = text_of(co_await conn->command(cmd("BLPOP", "empty", "0"), Micros(60'000'000)));
          blocked_done = true;
        },
        asio::detached);
    asio::steady_timer t(io_);
    while (conn->in_flight() == 0) {
      t.expires_after(1ms);
      co_await t.async_wait(asio::use_awaitable);
    }
    server_->stop();
    while (!blocked_done) {
      t.expires_after(1ms);
      co_await t.async_wait(asio::use_awaitable);
    }
    got.push_back(blocked);
    got.push_back(text_of(co_await conn->command(cmd("ECHO", "down"), Micros(2'000'000))));
    server_->start();
    std::string after = "(none)";
    for (int i = 0; i < 1000 && after == "(none)"; ++i) {
      after = text_of(co_await conn->command(cmd("ECHO", "after"), Micros(2'000'000)));
      t.expires_after(5ms);
      co_await t.async_wait(asio::use_awaitable);
    }
    got.push_back(after);
  });
  EXPECT_EQ(got, (std::vector<std::string>{"before", "(none)", "(none)", "after"}));
  EXPECT_FALSE(downs.empty());
  EXPECT_EQ(downs.front(), "connection closed by Redis");
  EXPECT_GE(readies, 2);
}

TEST(RedisConnDown, NothingListeningAnswersNothing) {
  asio::io_context io;
  RedisEndpoint ep;
  ep.ip = "127.0.0.1";
  ep.port = free_port();  // nothing listens there
  std::vector<std::string> downs;
  RedisConn::Hooks hooks;
  hooks.on_down = [&](const std::string& why) { downs.push_back(why); };
  auto conn = std::make_shared<RedisConn>(io, ep, std::move(hooks));
  conn->start();
  std::string got;
  asio::co_spawn(
      io,
      [&]() -> Awaitable<void> {
        got = text_of(co_await conn->command(cmd("PING"), Micros(5'000'000)));
        conn->shutdown();
      },
      asio::detached);
  io.run_for(30s);
  EXPECT_EQ(got, "(none)");
  ASSERT_FALSE(downs.empty());
  EXPECT_EQ(downs.front(), "Connection refused");
}

TEST(Resp, FormatsCommands) {
  std::string out;
  resp_command(out, std::vector<std::string>{"SET", "key", ""});
  resp_begin(out, 3);
  resp_arg(out, "a");
  resp_arg(out, int64_t(-42));
  resp_arg(out, "rl:", "ip:1");
  EXPECT_EQ(out,
            "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$0\r\n\r\n"
            "*3\r\n$1\r\na\r\n$3\r\n-42\r\n$7\r\nrl:ip:1\r\n");
}

}  // namespace
}  // namespace rampart::state
