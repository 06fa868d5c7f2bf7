// Ban messages from the Redis channel and ban keys: what is accepted, and what is not.
#include "state/ban_message.h"

#include <gtest/gtest.h>

namespace rampart::state {
namespace {

TEST(BanMessage, BanAndUnban) {
  auto ban = parse_ban_message(
      R"({"op":"ban","key":"ip:203.0.113.7","level":2,"since":"1700000000000000",)"
      R"("until":"1700000600000000","reason":"5 failed logins within 600s"})");
  ASSERT_TRUE(ban);
  EXPECT_FALSE(ban->lifted);
  EXPECT_EQ(ban->ban.key, "ip:203.0.113.7");
  EXPECT_EQ(ban->ban.level, 2);
  EXPECT_EQ(ban->ban.since, Micros(1700000000000000));
  EXPECT_EQ(ban->ban.until, Micros(1700000600000000));
  EXPECT_EQ(ban->ban.reason, "5 failed logins within 600s");
  auto unban = parse_ban_message(R"({"op":"unban","key":"user:alice"})");
  ASSERT_TRUE(unban);
  EXPECT_TRUE(unban->lifted);
  EXPECT_EQ(unban->ban.key, "user:alice");
}

TEST(BanMessage, MalformedIsRefused) {
  const char* bad[] = {
      "",
      "not json",
      "[]",
      R"({"op":"ban"})",
      R"({"op":"ban","key":"","level":1,"since":"1","until":"2"})",
      R"({"op":"ban","key":"ip:x","level":0,"since":"1","until":"2"})",
      R"({"op":"ban","key":"ip:x","level":1001,"since":"1","until":"2"})",
      R"({"op":"ban","key":"ip:x","level":1.5,"since":"1","until":"2"})",
      R"({"op":"ban","key":"ip:x","level":1,"since":1,"until":"2"})",
      R"({"op":"ban","key":"ip:x","level":1,"since":"2","until":"1"})",
      R"({"op":"ban","key":"ip:x","level":1,"since":"-5","until":"1"})",
      R"({"op":"ban","key":"ip:x","level":1,"since":"1x","until":"2"})",
      R"({"op":"ban","key":"ip:x","level":1,"since":"99999999999999999999","until":"2"})",
      R"({"op":"forget","key":"ip:x"})",
      R"({"op":"unban","key":7})",
  };
  for (const char* text : bad) EXPECT_FALSE(parse_ban_message(text)) << text;
  EXPECT_FALSE(parse_ban_message(std::string(9000, ' ')));
}

}  // namespace
}  // namespace rampart::state
