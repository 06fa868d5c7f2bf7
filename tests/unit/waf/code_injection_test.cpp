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

// What a request's argument names alone make of it: "class: reason" of the strongest finding.
std::string name_verdict(const std::string& target) {
  Request r;
  r.method = "GET";
  r.set_target(target);
  Result result = testing::shared_inspector().inspect(r, Policy());
  if (!result.attack()) return "";
  return std::string(attack_class_name(result.findings[0].attack)) + ": " +
         result.findings[0].reason;
}

TEST(CodeInjection, OrmLookupsAcrossRelationsOrOnSecretsAreFound) {
  EXPECT_EQ(name_verdict("/users?password__startswith=a"), "code-injection: orm lookup in name");
  EXPECT_EQ(name_verdict("/books?author__user__email__icontains=x"),
            "code-injection: orm lookup in name");
  // django-filter's ordinary use: one field, one operator.
  EXPECT_EQ(name_verdict("/users?username__startswith=p"), "");
  EXPECT_EQ(name_verdict("/products?price__gte=10&price__lte=50"), "");
}

TEST(CodeInjection, LookAlikesPass) {
  const Case cases[] = {

  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
