#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(NoSql, AttacksAreFound) {
  const Case cases[] = {
      {"{\"$where\": \"this.password.length > 0\"}", "nosql: query operator in JSON"},
      {"{\"username\": {\"$ne\": null}}", "nosql: query operator in JSON"},
      {"$where: sleep(5000)", "nosql: $where javascript"},
      {"costs $5", ""},
      {"$ne is not a word", ""},
      {"{\"price\": \"$10\"}", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(NoSql, LookAlikesPass) {
  const Case cases[] = {

  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
