#include "common/config_node.h"

#include <gtest/gtest.h>

namespace rampart {
namespace {

struct Parsed {
  ConfigErrors errors{"rampart.yaml"};
  YAML::Node root;
  explicit Parsed(const std::string& text) : root(YAML::Load(text)) {}
  ConfigNode node() { return ConfigNode(root, "", &errors); }
};

TEST(ConfigNode, UnknownKeySuggestsTheClosestOne) {
  Parsed p("upstream: http://x\nlisen: ':8443'\n");
  p.node().only_keys({"upstream", "listen", "routes"});
  ASSERT_EQ(p.errors.messages().size(), 1u);
  EXPECT_EQ(p.errors.messages()[0], "rampart.yaml:2: unknown key 'lisen' (did you mean 'listen'?)");
}

TEST(ConfigNode, UnknownKeyFarFromAllListsTheChoices) {
  Parsed p("zzz: 1\n");
  p.node().only_keys({"upstream", "listen"});
  ASSERT_EQ(p.errors.messages().size(), 1u);
  EXPECT_EQ(p.errors.messages()[0],
            "rampart.yaml:1: unknown key 'zzz'; expected one of: upstream, listen");
}

TEST(ConfigNode, WrongTypesNameLineAndPath) {
  Parsed p("timeouts:\n  head: soon\n  enabled: maybe\nlimits:\n  max_body: 12XB\n");
  ConfigNode root = p.node();
  EXPECT_EQ(root.child("timeouts").get_duration("head", std::chrono::seconds(10)),
            std::chrono::seconds(10));
  EXPECT_TRUE(root.child("timeouts").get_bool("enabled", true));
  EXPECT_EQ(root.child("limits").get_size("max_body", 7), 7u);
  ASSERT_EQ(p.errors.messages().size(), 3u);
  EXPECT_EQ(p.errors.messages()[0],
            "rampart.yaml:2: timeouts.head: expected a duration such as 250ms, 30s, 5m, 2h or 1d, "
            "got 'soon'");
  EXPECT_EQ(p.errors.messages()[1],
            "rampart.yaml:3: timeouts.enabled: expected true or false, got 'maybe'");
  EXPECT_EQ(p.errors.messages()[2],
            "rampart.yaml:5: limits.max_body: expected a size such as 8KiB, 1MiB or 1048576, got "
            "'12XB'");
}

TEST(ConfigNode, ReadsGoodValues) {
  Parsed p("a: 250ms\nb: 1MiB\nc: [x, y]\nd: 12\ne: monitor\n");
  ConfigNode n = p.node();
  EXPECT_EQ(n.get_duration("a", {}), std::chrono::milliseconds(250));
  EXPECT_EQ(n.get_size("b", 0), 1048576u);
  EXPECT_EQ(n.get_string_list("c"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(n.get_int("d", 0, 1, 100), 12);
  EXPECT_EQ(n.get_choice("e", "block", {"block", "monitor"}), "monitor");
  EXPECT_TRUE(p.errors.empty());
}

TEST(ConfigNode, SequenceIndexInPath) {
  Parsed p("upstreams:\n  - url: a\n  - url: [1]\n");
  ConfigNode ups = p.node().child("upstreams");
  ups.at(1).get_string("url");
  ASSERT_EQ(p.errors.messages().size(), 1u);
  EXPECT_EQ(p.errors.messages()[0], "rampart.yaml:3: upstreams[1].url: expected a text value");
}

TEST(ParseDuration, UnitsAndRejects) {
  EXPECT_EQ(parse_duration("30"), std::chrono::seconds(30));
  EXPECT_EQ(parse_duration("2h"), std::chrono::hours(2));
  EXPECT_EQ(parse_duration("1d"), std::chrono::hours(24));
  EXPECT_FALSE(parse_duration("").has_value());
  EXPECT_FALSE(parse_duration("-1s").has_value());
  EXPECT_FALSE(parse_duration("1y").has_value());
  EXPECT_FALSE(parse_duration("99999999999999999999s").has_value());
}

TEST(ParseSize, UnitsAndOverflow) {
  EXPECT_EQ(parse_size("64KiB"), 65536u);
  EXPECT_EQ(parse_size("2 MiB"), 2u << 20);
  EXPECT_FALSE(parse_size("18446744073709551615GiB").has_value());
  EXPECT_FALSE(parse_size("1.5MiB").has_value());
}

}  // namespace
}  // namespace rampart
