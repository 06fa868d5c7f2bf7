// The awaitable forms of an immediate store give the same answers as the *_now forms.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "state/memory_store.h"

namespace rampart::state {
namespace {

TEST(StoreAwaitable, MemoryAnswersThroughCoroutines) {
  ManualClock clock;
  MemoryStore store({}, clock);
  boost::asio::io_context io;
  std::string got;
  boost::asio::co_spawn(
      io,
      [&]() -> Awaitable<void> {
        std::string out;
        Gcra limit{Micros(1'000'000), 1};
        out += (co_await store.rate("k", limit)).allowed ? "a" : "d";
        out += (co_await store.rate("k", limit)).allowed ? "a" : "d";
        out += std::to_string((co_await store.add_failure("f", Micros(1000))).count);
        out += (co_await store.put("r", "v", Micros(1000))) ? "p" : "-";
        out += (co_await store.get("r")).value.value_or("-");
        out += (co_await store.update("r", "w")) ? "u" : "-";
        out += (co_await store.touch("r", Micros(5000))) ? "t" : "-";
        out += (co_await store.erase("r")) ? "e" : "-";
        BanResult b = co_await store.ban("ip:1", BanPolicy{}, "why");
        out += std::to_string(b.ban.level);
        out += (co_await store.unban("ip:1")) ? "u" : "-";
        got = out;
      },
      boost::asio::detached);
  io.run();
  EXPECT_EQ(got, "ad1pvute1u");
}

}  // namespace
}  // namespace rampart::state
