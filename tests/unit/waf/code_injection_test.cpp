#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(CodeInjection, AttacksAreFound) {
  const Case cases[] = {
      {"require(\'child_process\').exec(\'id\')", "code-injection: node child_process"},
      {"__proto__[isAdmin]=true", "code-injection: prototype pollution"},
      {"constructor.prototype.polluted=1", "code-injection: prototype pollution"},
      {"__import__(\'os\').system(\'id\')", "code-injection: python import"},
      {"T(java.lang.Runtime).getRuntime().exec(\'id\')", "code-injection: spring expression"},
      {"@{[system \"id\"]}", "code-injection: perl interpolation"},
      {"the constructor of the house", ""},
      {"prototype design review", ""},
      {"Hello from Node.js", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(CodeInjection, LookAlikesPass) {
  const Case cases[] = {

  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
