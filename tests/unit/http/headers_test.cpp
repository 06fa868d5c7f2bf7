#include "http/headers.h"

#include <gtest/gtest.h>

namespace rampart::http {
namespace {

std::string dump(const Headers& h) {
  std::string out;
  for (const auto& f : h) {
    out += f.name;
    out += ": ";
    out += f.value;
    out += "\n";
  }
  return out;
}

TEST(Headers, LookupsIgnoreCaseAndKeepOrder) {
  Headers h;
  h.add("Host", "a");
  h.add("X-A", "1");
  h.add("x-a", "2");
  EXPECT_EQ(*h.get("HOST"), "a");
  EXPECT_EQ(h.get_all("X-a"), (std::vector<std::string_view>{"1", "2"}));
  EXPECT_FALSE(h.get("X-B").has_value());
  EXPECT_TRUE(h.get("X-A").has_value());
}

TEST(Headers, SetReplacesTheFirstAndDropsTheRest) {
  Headers h;
  h.add("A", "1");
  h.add("B", "2");
  h.add("a", "3");
  h.set("A", "x");
  EXPECT_EQ(dump(h), "A: x\nB: 2\n");
  h.set("C", "new");
  EXPECT_EQ(dump(h), "A: x\nB: 2\nC: new\n");
}

TEST(Headers, ValuesFromItselfSurviveGrowth) {
  Headers h;
  h.add("Source", std::string(300, 'v'));
  for (int i = 0; i < 50; ++i) h.add("Copy", *h.get("Source"));  // the buffer grows meanwhile
  for (auto v : h.get_all("Copy")) EXPECT_EQ(v, std::string(300, 'v'));
  h.set(h.at(0).name, h.at(1).value);
  EXPECT_EQ(*h.get("Source"), std::string(300, 'v'));
}

TEST(Headers, SetValueRemoveAndTokens) {
  Headers h;
  h.add("Set-Cookie", "a=1");
  h.add("Connection", "keep-alive, Upgrade");
  h.set_value(0, "a=1; Secure");
  EXPECT_EQ(*h.get("set-cookie"), "a=1; Secure");
  EXPECT_TRUE(h.has_token("connection", "upgrade"));
  EXPECT_FALSE(h.has_token("connection", "close"));
  EXPECT_EQ(h.remove("SET-COOKIE"), 1u);
  EXPECT_EQ(h.size(), 1u);
}

}  // namespace
}  // namespace rampart::http
