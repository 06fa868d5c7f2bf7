// Look-alikes that the detectors used to flag (found among the CRS corpus's truly benign stages,
// see tests/fixtures/waf/crs_benign_review.tsv), each next to the attack its detector must still
// catch. The inputs are written for these tests, not taken from the corpus.

#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

Policy paranoid() { return testing::paranoid_policy(); }

TEST(CrsBenignFixes, HeaderLineWithoutValueIsNoInjection) {
  const Case cases[] = {
      {"\r\nLocation:\r\n", ""},
      {"a\nContent-Type: \n", ""},
      {"x\r\nLocation: http://evil.example/\r\n", "crlf: header injection"},
      {"\r\nSet-Cookie: sid=1", "crlf: header injection"},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(CrsBenignFixes, WholeLdapFiltersBreakNothingOut) {
  const Case cases[] = {
      {"(cn=Ann*)(&(objectClass=user)(department=Sales))", ""},
      {"(&(memberOf=cn=staff,dc=example,dc=org)(|(uid=ann)(uid=bob)))", ""},
      {"*)(uid=*))(|(uid=*", "ldap: ldap filter injection"},
      {"x)(|(cn=*)", "ldap: ldap filter injection"},
      {"(cn=a))(|(uid=*)", "ldap: ldap filter injection"},
      {"admin)(&)", "ldap: ldap filter breakout"},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(CrsBenignFixes, CommandNamesInCapitalsWithoutArgumentsAreLabels) {
  const Case cases[] = {
      {"|PS|Printed sheet|", ""},
      {";ID;", ""},
      {"|ps", "command-injection: command after shell separator"},
      {";id;", "command-injection: command after shell separator"},
      {";CHMOD +X SHELL.PHP", "command-injection: command after shell separator"},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(CrsBenignFixes, BareTildeExpansionIsSuspiciousOnly) {
  EXPECT_EQ(verdict("~+"), "");
  EXPECT_EQ(verdict("~-1"), "");
  EXPECT_EQ(verdict("~+", Part::kQuery, "q", paranoid()), "command-injection: tilde expansion");
  EXPECT_EQ(verdict("~-1", Part::kQuery, "q", paranoid()), "command-injection: tilde expansion");
}

TEST(CrsBenignFixes, ControlCharactersOtherThanEscapeAreSuspiciousOnly) {
  EXPECT_EQ(verdict("The code is\x02not\x02here"), "");
  EXPECT_EQ(verdict("a\x01"
                    "b"),
            "");
  EXPECT_EQ(verdict("The code is\x02not\x02here", Part::kQuery, "q", paranoid()),
            "protocol: control character");
  EXPECT_EQ(verdict("\x1b[2J"), "protocol: control character");
  EXPECT_EQ(verdict("a%00b"), "protocol: null byte");
}

TEST(CrsBenignFixes, PhpOpenTagNeedsCodeAfterIt) {
  const Case cases[] = {
      {"<?php", ""},
      {"name <?php", ""},
      {"<?php  ", ""},
      {"<?php echo 1;", "php-injection: php open tag"},
      {"<?php\nsystem($_GET['c']);", "php-injection: php open tag"},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
  EXPECT_EQ(verdict("<?php", Part::kCookie, "session"), "");
}

TEST(CrsBenignFixes, ExtensionPrefixCallsNeedCodeInside) {
  const Case cases[] = {
      {"sodium_add_to_recipe(flour)", ""},
      {"array_of_days(week)", ""},
      {"sodium_crypto_box_keypair()", "php-injection: php function call"},
      {"pg_query($db)", "php-injection: php function call"},
      {"str_rot13('x')", "php-injection: php function call"},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(CrsBenignFixes, FileMetadataCallsCountOnlyInsideCode) {
  const Case cases[] = {
      {"filemtime($path)", ""},
      {"filesize($f)", ""},
      {"x=filemtime($f)", "php-injection: php function call"},
      {"filegroup($f)", "php-injection: php function call"},
      {"system($cmd)", "php-injection: php function call"},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(CrsBenignFixes, SqlVariableStatementsNeedANamedVariable) {
  const Case cases[] = {
      {"pay=;set @", ""},
      {"; declare @", ""},
      {"; set @x=1", "sqli: stacked statement"},
      {"1; declare @c varchar(99)", "sqli: stacked statement"},
      {"1;set @a=0x73;prepare s from @a;execute s", "sqli: stacked statement"},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
