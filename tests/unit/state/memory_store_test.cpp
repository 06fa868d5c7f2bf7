// The memory store's counters, bans, records, expiry and bound, with an injected clock.
#include "state/memory_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace rampart::state {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(MemoryStoreFailures, CountWithinAWindowThenStartAgain) {
  ManualClock clock;
  MemoryStore store({}, clock);
  EXPECT_EQ(store.add_failure_now("fail:ip:1", minutes(10)).count, 1);
  clock.advance(minutes(4));
  CountResult second = store.add_failure_now("fail:ip:1", minutes(10));
  EXPECT_EQ(second.count, 2);
  EXPECT_EQ(second.window_left, minutes(6));
  EXPECT_EQ(store.add_failure_now("fail:ip:2", minutes(10)).count, 1);
  clock.advance(minutes(6));  // the window that began with the first failure has closed
  EXPECT_EQ(store.add_failure_now("fail:ip:1", minutes(10)).count, 1);
  store.clear_failures_now("fail:ip:1");
  EXPECT_EQ(store.add_failure_now("fail:ip:1", minutes(10), 3).count, 3);
}

TEST(MemoryStoreBans, GrowAndAreCapped) {
  ManualClock clock;
  MemoryStore store({}, clock);
  BanPolicy policy{minutes(5), minutes(30), hours(24)};
  EXPECT_FALSE(store.banned_now("ip:203.0.113.7"));
  BanResult first = store.ban_now("ip:203.0.113.7", policy, "5 failed logins");
  EXPECT_EQ(first.ban.level, 1);
  EXPECT_EQ(first.ban.until - first.ban.since, minutes(5));
  auto now_banned = store.banned_now("ip:203.0.113.7");
  ASSERT_TRUE(now_banned);
  EXPECT_EQ(now_banned->reason, "5 failed logins");
  EXPECT_FALSE(store.banned_now("ip:203.0.113.8"));

  clock.advance(minutes(5));
  EXPECT_FALSE(store.banned_now("ip:203.0.113.7"));
  std::vector<Micros> durations;
  for (int i = 0; i < 4; ++i) {
    BanResult b = store.ban_now("ip:203.0.113.7", policy, "again");
    EXPECT_EQ(b.ban.level, i + 2);
    durations.push_back(b.ban.until - b.ban.since);
    clock.advance(b.ban.until - b.ban.since);
  }
  EXPECT_EQ(durations, (std::vector<Micros>{minutes(10), minutes(20), minutes(30), minutes(30)}));
}

TEST(MemoryStoreBans, LevelIsForgottenAfterRemember) {
  ManualClock clock;
  MemoryStore store({}, clock);
  BanPolicy policy{minutes(5), hours(1), hours(1)};
  store.ban_now("ip:a", policy, "x");
  clock.advance(minutes(5) + hours(1));
  EXPECT_EQ(store.ban_now("ip:a", policy, "x").ban.level, 1);
}

TEST(MemoryStoreBans, ListSoonestFirstAndUnban) {
  ManualClock clock;
  MemoryStore store({}, clock);
  store.ban_now("ip:b", BanPolicy{minutes(10), hours(1), hours(1)}, "b");
  store.ban_now("ip:a", BanPolicy{minutes(5), hours(1), hours(1)}, "a");
  store.ban_now("user:alice", BanPolicy{minutes(20), hours(1), hours(1)}, "u");
  std::vector<std::string> keys;
  for (const auto& b : store.bans_now()) keys.push_back(b.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"ip:a", "ip:b", "user:alice"}));
  EXPECT_TRUE(store.unban_now("ip:b"));
  EXPECT_FALSE(store.unban_now("ip:b"));
  EXPECT_FALSE(store.banned_now("ip:b"));
  // Unbanning forgets the level too.
  EXPECT_EQ(store.ban_now("ip:b", BanPolicy{minutes(10), hours(1), hours(1)}, "b").ban.level, 1);
  clock.advance(minutes(6));
  keys.clear();
  for (const auto& b : store.bans_now()) keys.push_back(b.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"ip:b", "user:alice"}));
}

TEST(MemoryStoreBans, BoundedReplacesTheOneEndingFirst) {
  ManualClock clock;
  MemoryStore store({.max_entries = 100, .max_bans = 2}, clock);
  store.ban_now("ip:a", BanPolicy{minutes(10), hours(1), hours(1)}, "");
  store.ban_now("ip:b", BanPolicy{minutes(5), hours(1), hours(1)}, "");
  store.ban_now("ip:c", BanPolicy{minutes(20), hours(1), hours(1)}, "");
  EXPECT_TRUE(store.banned_now("ip:a"));
  EXPECT_FALSE(store.banned_now("ip:b"));
  EXPECT_TRUE(store.banned_now("ip:c"));
}

TEST(MemoryStoreBans, InstalledFromElsewhere) {
  ManualClock clock;
  MemoryStore store({}, clock);
  Ban ban{"ip:x", "shared", clock.now(), clock.now() + minutes(1), 3};
  store.install_ban(ban);
  auto got = store.banned_now("ip:x");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->level, 3);
  EXPECT_TRUE(store.remove_ban("ip:x"));
  EXPECT_FALSE(store.banned_now("ip:x"));
}

TEST(MemoryStoreRecords, PutGetUpdateTouchErase) {
  ManualClock clock;
  MemoryStore store({}, clock);
  EXPECT_FALSE(store.get_now("sess:1").value);
  EXPECT_FALSE(store.update_now("sess:1", "v"));
  EXPECT_FALSE(store.touch_now("sess:1", minutes(1)));
  ASSERT_TRUE(store.put_now("sess:1", "first", minutes(10)));
  EXPECT_EQ(store.get_now("sess:1").value, "first");

  clock.advance(minutes(6));
  // update keeps the absolute expiry
  EXPECT_TRUE(store.update_now("sess:1", "second"));
  EXPECT_EQ(store.get_now("sess:1").value, "second");
  clock.advance(minutes(4));
  EXPECT_FALSE(store.get_now("sess:1").value);
  EXPECT_FALSE(store.update_now("sess:1", "third"));

  ASSERT_TRUE(store.put_now("sess:2", "x", minutes(1)));
  clock.advance(seconds(50));
  EXPECT_TRUE(store.touch_now("sess:2", minutes(1)));
  clock.advance(seconds(50));
  EXPECT_EQ(store.get_now("sess:2").value, "x");
  EXPECT_TRUE(store.erase_now("sess:2"));
  EXPECT_FALSE(store.erase_now("sess:2"));
  EXPECT_FALSE(store.get_now("sess:2").value);
}

TEST(MemoryStoreRecords, TooLargeIsRefused) {
  MemoryStore store;
  EXPECT_FALSE(store.put_now("k", std::string(kMaxRecordSize + 1, 'x'), minutes(1)));
  EXPECT_TRUE(store.put_now("k", std::string(kMaxRecordSize, 'x'), minutes(1)));
  EXPECT_FALSE(store.update_now("k", std::string(kMaxRecordSize + 1, 'x')));
}

TEST(MemoryStoreBound, ExpiredEntriesGoFirst) {
  ManualClock clock;
  MemoryStore store({.max_entries = 8, .shards = 1}, clock);
  Gcra limit{Micros(1'000'000), 1};
  for (int i = 0; i < 8; ++i) store.rate_now("k" + std::to_string(i), limit);
  EXPECT_EQ(store.size(), 8u);
  clock.advance(seconds(2));  // all full again: their state has expired
  EXPECT_TRUE(store.rate_now("new", limit).allowed);
  EXPECT_EQ(store.size(), 1u);
  EXPECT_EQ(store.evictions(), 0u);
}

TEST(MemoryStoreBound, FullOfLiveStateEvictsAndStaysBounded) {
  ManualClock clock;
  MemoryStore store({.max_entries = 64, .shards = 4}, clock);
  Gcra limit{Micros(60'000'000), 1};
  for (int i = 0; i < 10'000; ++i) {
    EXPECT_TRUE(store.rate_now("k" + std::to_string(i), limit).allowed);
    ASSERT_LE(store.size(), 64u);
  }
  EXPECT_GE(store.evictions(), 10'000u - 64u);
  // The newest key is still limited.
  EXPECT_FALSE(store.rate_now("k9999", limit).allowed);
}

TEST(MemoryStoreBound, RecordsCountTowardTheBound) {
  ManualClock clock;
  MemoryStore store({.max_entries = 4, .shards = 1}, clock);
  for (int i = 0; i < 4; ++i) store.put_now("r" + std::to_string(i), "v", minutes(i + 1));
  store.put_now("r4", "v", minutes(10));
  EXPECT_EQ(store.size(), 4u);
  EXPECT_EQ(store.evictions(), 1u);
  EXPECT_TRUE(store.get_now("r4").value);
}

TEST(MemoryStoreThreads, ExactlyTheBurstPassesUnderContention) {
  MemoryStore store;
  Gcra limit{Micros(3'600'000'000), 1000};  // one an hour: nothing refills during the test
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 600; ++i) {
        if (store.rate_now("shared", limit).allowed) allowed.fetch_add(1);
        store.rate_now("own" + std::to_string(i), limit);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 1000);
}

}  // namespace
}  // namespace rampart::state
