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
      {"the process of elimination [1]", ""},
      {"Our hiring process (2024)", ""},
      {"Try this:\n```js\nconsole.log(`Total: ${total}`);\n```", ""},
      {"the console (PS5) is sold out", ""},
      {"a constructor: the prototype builder", ""},
      {"price is $5: prototype edition", ""},
      {"email me @{home}", ""},
      {"while (foo) is bar.", ""},
      {"while(!true);", ""},
      {"while(!!\"\");", ""},
      {"myfunction(){ echo hello }", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

// Node.js reached through JavaScript tokens, prototype walks with any separator, and payloads
// behind base64 and escapes.
TEST(CodeInjection, NodeAndPrototypeEvasionsAreFound) {
  const Case cases[] = {
      {"console.info(1)", "code-injection: javascript call"},
      {"c\\u006fnsole.info(1)", "code-injection: javascript call"},
      {"console[\"info\"](1)", "code-injection: javascript call"},
      {"process[\"env\"]", "code-injection: node process access"},
      {"process[req.query.a", "code-injection: node process access"},
      {"x=process /**/ .mainModule.require", "code-injection: node process access"},
      {"{\"get\":\"$3:constructor:constructor\"}", "code-injection: prototype pollution"},
      {"{\"0\":\"$7:Module:prototype\"}", "code-injection: prototype pollution"},
      {"constructor[\"prototype\"]", "code-injection: prototype pollution"},
      {"@{   [   system   \"id\"   ]   }", "code-injection: perl interpolation"},
      // require("child_process").exec('whoami') in base64, its first letters as \u escapes.
      {"\\u0063\\u006dVxdWlyZSgiY2hpbGRfcHJvY2VzcyIpLmV4ZWMoJ3dob2FtaScpCg==",
       "code-injection: node child_process"},
      // \u0077\u0068ile(true); in base64.
      {"XHUwMDc3XHUwMDY4aWxlKHRydWUpOwo=", "code-injection: javascript loop"},
      {"while(!0);", "code-injection: javascript loop"},
      {"while(new Date);", "code-injection: javascript loop"},
      {"while((true)))", "code-injection: javascript loop"},
      {"while(!![]);", "code-injection: javascript loop"},
      {"for(;;){}", "code-injection: javascript loop"},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
