#include "http/cookie_header.h"

#include <gtest/gtest.h>

namespace rampart::http {
namespace {

std::string dump(const std::vector<CookiePair>& pairs) {
  std::string out;
  for (const auto& p : pairs) out += "[" + std::string(p.name) + "|" + std::string(p.value) + "]";
  return out;
}

TEST(CookieHeader, ParsesAsBrowsersSendIt) {
  struct Case {
    const char* header;
    const char* pairs;
  } cases[] = {
      {"a=1; b=2", "[a|1][b|2]"},
      {"a=1;b=2", "[a|1][b|2]"},
      {" a = 1 ;\tb=2\t", "[a|1][b|2]"},
      {"session=eyJ1Ijo1fQ.Zx.sig==", "[session|eyJ1Ijo1fQ.Zx.sig==]"},
      {"a=\"quoted value\"", "[a|\"quoted value\"]"},
      {"flag; a=1", "[|flag][a|1]"},
      {"=v", "[|v]"},
      {"k=", "[k|]"},
      {";;; ;", ""},
      {"", ""},
      {"a=1; a=2", "[a|1][a|2]"},
  };
  for (const auto& c : cases) EXPECT_EQ(dump(parse_cookie_header(c.header)), c.pairs) << c.header;
}

TEST(CookieHeader, StopsAtTheLimitAndSaysSo) {
  bool truncated = false;
  auto pairs = parse_cookie_header("a=1; b=2; c=3", 2, &truncated);
  EXPECT_EQ(dump(pairs), "[a|1][b|2]");
  EXPECT_TRUE(truncated);
}

TEST(CookieHeader, ValuesAcrossSeveralFieldsInOrder) {
  Headers h;
  h.add("Cookie", "sessionid=one; x=1");
  h.add("cookie", "sessionid=two");
  auto v = cookie_values(h, "sessionid");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0], "one");
  EXPECT_EQ(v[1], "two");
  EXPECT_TRUE(cookie_values(h, "SESSIONID").empty());  // names are case-sensitive
}

TEST(CookieHeader, RemovesOnlyTheNamedCookiesAndDropsEmptiedFields) {
  Headers h;
  h.add("Host", "example.com");
  h.add("Cookie", "session=old; theme=dark; session=older");
  h.add("Cookie", "session=x");
  size_t n =
      remove_cookies(h, [](std::string_view name, std::string_view) { return name == "session"; });
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(h.get_all("Cookie").size(), 1u);
  EXPECT_EQ(*h.get("Cookie"), "theme=dark");
  EXPECT_EQ(*h.get("Host"), "example.com");
}

TEST(CookieHeader, SerializeReadsBack) {
  std::vector<CookiePair> pairs = {{"a", "1"}, {"", "a=b"}, {"", ""}, {"", "flag"}};
  std::string text = serialize_cookie_header(pairs);
  EXPECT_EQ(text, "a=1; =a=b; =; flag");
  EXPECT_EQ(dump(parse_cookie_header(text)), "[a|1][|a=b][|][|flag]");
}

}  // namespace
}  // namespace rampart::http
