#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(Sqli, AttacksAreFound) {
  const Case cases[] = {
      {"1' or '1'='1", "sqli: tautology"},
      {"1 union select null--", "sqli: union select"},
      {"-1 UNION/**/SELECT 1,2,3", "sqli: union select"},
      {"1 /*!50000union*/ /*!50000select*/ 1,2", "sqli: union select"},
      {"admin'--", "sqli: quote then comment"},
      {"admin'#", "sqli: quote then comment"},
      {"1; DROP TABLE users", "sqli: stacked statement"},
      {"1'; waitfor delay '0:0:5'--", "sqli: waitfor delay"},
      {"1 and sleep(5)", "sqli: sql function"},
      {"x' AND extractvalue(1,concat(0x7e,version()))--", "sqli: sql function"},
      {"1' ORDER BY 3--", "sqli: order by"},
      {"' or 1=1 limit 1 -- -", "sqli: tautology"},
      {"1 or 1=1", "sqli: tautology"},
      {"\" or \"\"=\"", "sqli: tautology"},
      {"1) or (1=1", "sqli: tautology"},
      {"' UNION ALL SELECT @@version--", "sqli: union select"},
      {"x' into outfile '/tmp/x", "sqli: into outfile"},
      {"1 and (select count(*) from information_schema.tables)>0", "sqli: tautology"},
      {"'||(select user from dual)||'", "sqli: select from"},
      {"1;exec master..xp_cmdshell 'dir'", "sqli: stacked statement"},
      {"or 1=1--", "sqli: tautology"},
      {"OR '{\"b\":2}'::jsonb <@ '{\"a\":1}'::jsonb", "sqli: tautology"},
      {"x=COALESCE(", "sqli: sql function"},
      {"test' or 1=", "sqli: tautology"},
      {"admin' or 'x' <", "sqli: tautology"},
      {"unistr(password)::int", "sqli: sql cast"},
      {") AS t FROM", "sqli: select list end"},
      {", FIND_IN_SET('22', Category )", "sqli: sql function"},
      {"xp_cmdshell", "sqli: dangerous sql routine"},
      {"SELECT/*avoid-spaces*/password/**/FROM/**/Members", "sqli: comment inside sql"},
      {"DR/**/OP/**/sampletable", "sqli: comment inside sql"},
      {"password::int", "sqli: sql cast"},
      {"pg_catalog", "sqli: system catalog"},
      {"admin@example.com';", "sqli: quote then statement end"},
      {"OR '{\"a\":\"b\"}' ? 'a'", "sqli: tautology"},
      {"/*!50000union*/ all", "sqli: mysql executable comment"},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Sqli, ProseWithSqlWordsPasses) {
  const Case cases[] = {
      {"union was a great select", ""},
      {"> I think the union select example in the docs is wrong", ""},
      {"it's a 3 or 4 =", ""},
      {"how do I enable xp_cmdshell on sql server 2019 express edition", ""},
      {"/*! jQuery v3.6.0 | (c) OpenJS Foundation */", ""},
      {"did you say 'hello' ? 'yes'", ""},
      {"he said 'hi';", ""},
      {"see the pg_catalog docs for details please", ""},
      {"select a union rep", ""},
      {"O'Brien", ""},
      {"Mr. O'Brien and Mrs. O'Neil", ""},
      {"I don't know what to select from here", ""},
      {"Drop me a line; update: I'll be late", ""},
      {"5 and a half inches", ""},
      {"rock 'n' roll", ""},
      {"necklace length 16\" or 18\"", ""},
      {"\"LIKE\" STAMP", ""},
      {"DO OR NOT DO", ""},
      {"Where's George?", ""},
      {"price 10-20, order by date", ""},
      {"1/2 cup sugar; 2 eggs", ""},
      {"It's 5 o'clock -- time for tea", ""},
      {"from the union of the two sets, select the largest", ""},
      {"select 'and'", ""},
      {"user@example.com", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Sqli, SensitivityOneKeepsOnlyCertainFindings) {
  Policy strict;
  strict.set_level(AttackClass::kSqli, 1);
  EXPECT_EQ(verdict("1 union select 2", Part::kQuery, "q", strict), "sqli: union select");
  // "word or 1=1" is likely, not certain: a search box may hold it.
  EXPECT_EQ(verdict("hope and -8=3", Part::kQuery, "q"), "sqli: boolean condition");
  EXPECT_EQ(verdict("hope and -8=3", Part::kQuery, "q", strict), "");
}

}  // namespace
}  // namespace rampart::waf
