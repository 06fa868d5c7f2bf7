#include "common/strings.h"

#include <gtest/gtest.h>

namespace rampart {
namespace {

TEST(Strings, CaseInsensitiveHelpers) {
  EXPECT_TRUE(iequals("Content-Length", "content-length"));
  EXPECT_FALSE(iequals("Content-Length", "content-lengt"));
  EXPECT_TRUE(istarts_with("Bearer abc", "bearer "));
  EXPECT_EQ(to_lower("X-Forwarded-For"), "x-forwarded-for");
}

TEST(Strings, SplitAndTrim) {
  EXPECT_EQ(trim(" \t a b \t"), "a b");
  auto parts = split_trimmed(" a, ,b ,c", ',');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[2], "c");
  EXPECT_EQ(split("a,,b", ',').size(), 3u);
}

TEST(Strings, ForEachTokenMatchesSplitTrimmed) {
  for (std::string_view s : {"", ",", " a, ,b ,c", "one", " x ,y,", "\t,\t"}) {
    std::vector<std::string_view> seen;
    for_each_token(s, [&](std::string_view t) { seen.push_back(t); });
    EXPECT_EQ(seen, split_trimmed(s, ',')) << s;
  }
}

TEST(Strings, ParseU64RejectsOverflowAndSigns) {
  EXPECT_EQ(parse_u64("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(parse_u64("18446744073709551616").has_value());
  EXPECT_FALSE(parse_u64("+1").has_value());
  EXPECT_FALSE(parse_u64("").has_value());
}

TEST(Strings, QuoteForMessageEscapesControlBytes) {
  EXPECT_EQ(quote_for_message(std::string("a\r\nb", 4)), "'a\\x0d\\x0ab'");
}

}  // namespace
}  // namespace rampart
