#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(Protocol, AttacksAreFound) {
  const Case cases[] = {
      {"abc%00def", "protocol: null byte"},
      {"a\x01b", "protocol: control character"},
      {"tab\there", ""},
      {"caf\xc3\xa9 cr\xc3\xa8me", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Protocol, LookAlikesPass) {
  const Case cases[] = {

  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
