#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(Ldap, AttacksAreFound) {
  const Case cases[] = {
      {"*)(uid=*))(|(uid=*", "ldap: ldap filter injection"},
      {"admin)(&(objectClass=*)", "ldap: ldap filter injection"},
      {"x*)(|(mail=*)", "ldap: ldap filter injection"},
      {"(555) 123-4567", ""},
      {"smile :-)(", ""},
      {"John (Jack) Smith", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Ldap, LookAlikesPass) {
  const Case cases[] = {

  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
