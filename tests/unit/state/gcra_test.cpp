// GCRA through the memory store, with a clock that moves only when told to.
#include <gtest/gtest.h>

#include "state/memory_store.h"

namespace rampart::state {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// 100/minute with a burst of 100: T = 600 ms, tolerance 60 s.
constexpr Gcra kHundredPerMinute{Micros(600'000), 100};

TEST(Gcra, BurstThenDenied) {
  ManualClock clock;
  MemoryStore store({}, clock);
  for (int i = 0; i < 100; ++i) {
    RateResult r = store.rate_now("k", kHundredPerMinute);
    ASSERT_TRUE(r.allowed) << "request " << i;
    EXPECT_EQ(r.remaining, 99 - i);
  }
  RateResult r = store.rate_now("k", kHundredPerMinute);
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.remaining, 0);
  EXPECT_EQ(r.retry_after, milliseconds(600));
  EXPECT_EQ(r.reset_after, seconds(60));
}

TEST(Gcra, DeniedRequestsTakeNothing) {
  ManualClock clock;
  MemoryStore store({}, clock);
  Gcra limit{Micros(1'000'000), 2};
  EXPECT_TRUE(store.rate_now("k", limit).allowed);
  EXPECT_TRUE(store.rate_now("k", limit).allowed);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(store.rate_now("k", limit).allowed);
  clock.advance(seconds(1));
  EXPECT_TRUE(store.rate_now("k", limit).allowed);
  EXPECT_FALSE(store.rate_now("k", limit).allowed);
}

TEST(Gcra, RefillsOneIntervalAtATime) {
  ManualClock clock;
  MemoryStore store({}, clock);
  Gcra limit{Micros(1'000'000), 3};
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store.rate_now("k", limit).allowed);
  ASSERT_FALSE(store.rate_now("k", limit).allowed);
  clock.advance(milliseconds(2500));  // two and a half intervals: two requests back
  EXPECT_TRUE(store.rate_now("k", limit).allowed);
  RateResult second = store.rate_now("k", limit);
  EXPECT_TRUE(second.allowed);
  EXPECT_EQ(second.remaining, 0);
  RateResult third = store.rate_now("k", limit);
  EXPECT_FALSE(third.allowed);
  EXPECT_EQ(third.retry_after, milliseconds(500));
}

TEST(Gcra, BoundaryOneMicrosecondEarlyAndExact) {
  ManualClock clock;
  MemoryStore store({}, clock);
  Gcra limit{Micros(1'000'000), 1};
  ASSERT_TRUE(store.rate_now("k", limit).allowed);
  clock.advance(Micros(999'999));
  RateResult early = store.rate_now("k", limit);
  EXPECT_FALSE(early.allowed);
  EXPECT_EQ(early.retry_after, Micros(1));
  clock.advance(Micros(1));
  EXPECT_TRUE(store.rate_now("k", limit).allowed);
}

TEST(Gcra, IdleKeyRefillsToTheBurstAndNoMore) {
  ManualClock clock;
  MemoryStore store({}, clock);
  Gcra limit{Micros(1'000'000), 5};
  ASSERT_TRUE(store.rate_now("k", limit).allowed);
  clock.advance(std::chrono::hours(1));
  int allowed = 0;
  while (store.rate_now("k", limit).allowed) ++allowed;
  EXPECT_EQ(allowed, 5);
}

TEST(Gcra, CostAndPeek) {
  ManualClock clock;
  MemoryStore store({}, clock);
  Gcra limit{Micros(1'000'000), 10};
  RateResult peek = store.rate_now("k", limit, 0);
  EXPECT_TRUE(peek.allowed);
  EXPECT_EQ(peek.remaining, 10);
  EXPECT_TRUE(store.rate_now("k", limit, 7).allowed);
  RateResult over = store.rate_now("k", limit, 4);
  EXPECT_FALSE(over.allowed);
  EXPECT_EQ(over.remaining, 3);
  EXPECT_EQ(over.retry_after, seconds(1));
  EXPECT_TRUE(store.rate_now("k", limit, 3).allowed);
  // More than the burst can never pass.
  clock.advance(std::chrono::hours(1));
  RateResult never = store.rate_now("k", limit, 11);
  EXPECT_FALSE(never.allowed);
  EXPECT_EQ(never.retry_after, seconds(10));
}

TEST(Gcra, KeysAndLimitsAreIndependent) {
  ManualClock clock;
  MemoryStore store({}, clock);
  Gcra limit{Micros(1'000'000), 1};
  EXPECT_TRUE(store.rate_now("a", limit).allowed);
  EXPECT_TRUE(store.rate_now("b", limit).allowed);
  EXPECT_FALSE(store.rate_now("a", limit).allowed);
  EXPECT_FALSE(store.rate_now("b", limit).allowed);
}

TEST(Gcra, StepArithmeticAlone) {
  // A fresh key at t=0, T=10, burst 2: allowed twice, then 10 us to wait.
  Gcra limit{Micros(10), 2};
  GcraStep a = gcra_step(0, 100, limit, 1);
  EXPECT_TRUE(a.result.allowed);
  EXPECT_EQ(a.new_tat, 110);
  GcraStep b = gcra_step(a.new_tat, 100, limit, 1);
  EXPECT_TRUE(b.result.allowed);
  EXPECT_EQ(b.new_tat, 120);
  EXPECT_EQ(b.result.reset_after, Micros(20));
  GcraStep c = gcra_step(b.new_tat, 100, limit, 1);
  EXPECT_FALSE(c.result.allowed);
  EXPECT_EQ(c.new_tat, 120);
  EXPECT_EQ(c.result.retry_after, Micros(10));
}

}  // namespace
}  // namespace rampart::state
