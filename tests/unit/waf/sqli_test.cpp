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

// One table per kind of fragment the lexer-based rules read, attacks first, then benign
// look-alikes of the same shape.
TEST(Sqli, CutOffCallsOfBuiltins) {
  const Case cases[] = {
      {"ABS(", "sqli: sql function"},
      {"now (", "sqli: sql function"},
      {"length||(", "sqli: sql function"},
      {"quarter. (", "sqli: sql function"},
      {"Execute(", "sqli: sql function"},
      {"if(1234=", "sqli: sql function"},
      {"round (and red) ball", ""},
      {"the year (", ""},
      {"=ROUND(A1*2, 0)", ""},
      {"max(3, 4) is 4", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Sqli, BooleanContinuations) {
  const Case cases[] = {
      {"AND deleted = 0)", "sqli: boolean continuation"},
      {"|| langCode == '", "sqli: boolean continuation"},
      {"&&(e===", "sqli: boolean continuation"},
      {"&&(l=!0)", "sqli: boolean continuation"},
      {"xor 5-", "sqli: boolean continuation"},
      {"or 88", "sqli: boolean continuation"},
      {"oR pmw==", "sqli: boolean continuation"},
      {"or 4975==4975'", "sqli: tautology"},
      {"or something like that", ""},
      {"and more", ""},
      {"and is it good", ""},
      {"or so", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Sqli, QuoteBreakOuts) {
  const Case cases[] = {
      {"'or 1", "sqli: quote then sql"},
      {"'||true", "sqli: quote then sql"},
      {"';print'", "sqli: quote then sql"},
      {"'alter a", "sqli: quote then sql"},
      {"\" UNION A", "sqli: quote then sql"},
      {"' * from = 1 or '9", "sqli: quote then sql"},
      {"'''or 1", "sqli: quote then sql"},
      {"` < 0) AND `", "sqli: quote then sql"},
      {"z'or email notnull--", "sqli: quote then clause"},
      {"user'collate nocase--", "sqli: quote then clause"},
      {"user'collate`utf8mb4_general_ci`--", "sqli: quote then clause"},
      {"' is not?--", "sqli: quote then clause"},
      {"x' or username like totpSecret escape 'x';", "sqli: quote then clause"},
      {"` AS `edit_user_id` from", "sqli: select list end"},
      // U+2019 for the quotes: folded into ' as lenient collations do.
      {"1\xE2\x80\x99 OR \xE2\x80\x99"
       "1\xE2\x80\x99=\xE2\x80\x99x\xE2\x80\x99#;--()",
       "sqli: tautology"},
      {"'or' is a conjunction", ""},
      {"'alter ego' means second self", ""},
      {"\"AND WHEN THE KIDS ARE OLD ENOUGH\"", ""},
      {"\"CREATE A CRITTER\"", ""},
      {"\"*\"", ""},
      {"Don't do that or -- whatever", ""},
      {"user'collate foo--", ""},  // no such collation: the statement cannot parse
      {"The bug is in `if (a < b && b < c) return;` - fine", ""},
      {"don\xE2\x80\x99t stop, O\xE2\x80\x99"
       "Brien",
       ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Sqli, ComparisonsOfLiterals) {
  const Case cases[] = {
      {"1=1", "sqli: tautology"},
      {"42<=>42", "sqli: tautology"},
      {"11!=1", "sqli: constant comparison"},
      {"1 is not 2", "sqli: constant comparison"},
      {"42 like 42", "sqli: tautology"},
      {"'1' not regexp '2'", "sqli: constant comparison"},
      {"b,1=1", "sqli: tautology"},
      {"2+2=4", ""},
      {"1 < 2 > 0", ""},
      {"11!=11", ""},  // always false: not a tautology
      {"'1' not regexp '1'", ""},
      {"I'd like 2 tickets", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Sqli, StatementsAndClauses) {
  const Case cases[] = {
      {"declare @b", "sqli: sql statement"},
      {">SET @OLD_SQL_NOTES", "sqli: sql statement"},
      {"DROP sampletable;--", "sqli: sql statement"},
      {"CREATE FUNCTION hello (s CHAR(20)) RETURNS CHAR(50)", "sqli: sql statement"},
      {"EXECUTE IMMEDIATE \"", "sqli: sql statement"},
      {"DELETE FROM users;--", "sqli: sql statement"},
      {"update users set admin=1", "sqli: sql statement"},
      {"insert into log values", "sqli: sql statement"},
      {"1='1' or-- -", "sqli: expression then comment"},
      {"1 or 1=system_user", "sqli: tautology"},
      {"10;DROP members --", "sqli: stacked statement"},
      {"1; delete low_priority from foo", "sqli: stacked statement"},
      {"1;load xml local infile \"foo\"", "sqli: stacked statement"},
      {"1; BEGIN DECLARE @xy varchar(8000)", "sqli: stacked statement"},
      {"asd'; shutdown; ", "sqli: stacked statement"},
      {"case 1 when 2 then 2 end", "sqli: case expression"},
      {"LENGTH(version())", "sqli: sql function"},
      {"charset(current_user())", "sqli: sql function"},
      {"1 --", "sqli: expression then comment"},
      {"limit 0,1--", "sqli: limit clause"},
      {"exec master.", "sqli: stored procedure"},
      {"except values(1,2)", "sqli: set operation"},
      {"@version /*", "sqli: expression then comment"},
      {"'1001'='10", "sqli: constant comparison"},
      {"VALUES ('192.168.0.1', 'test')", "sqli: values list"},
      {"in (0,1)", "sqli: in list"},
      {"from `db_miwf`.`sys_refindex` limit", "sqli: from clause"},
      {"FROM termine GROUP BY tag1", "sqli: from clause"},
      {"FROM `log` WHERE `log`.`ID` = 25251 LIMIT", "sqli: from clause"},
      {"from `information_schema`", "sqli: system catalog"},
      {" HAVING COUNT(CustomerID) > 5", "sqli: injected condition"},
      {"HAVING 1=", "sqli: injected condition"},
      {"case when condition1 then result1", "sqli: case expression"},
      {") when 234 then", "sqli: case expression"},
      {") like (", "sqli: parenthesis break-out"},
      {";truncate[xx", "sqli: stacked statement"},
      {";RePLAcE/*test*/test/*test*/(id, name) VALUES (1, 'test');", "sqli: stacked statement"},
      {";update users", "sqli: stacked statement"},
      {"1+current_user::int", "sqli: sql cast"},
      {"select pg_sleep", "sqli: select expression"},
      {"in ( select * from", "sqli: select from"},
      {"9999 or /*+optimizer hint */ true", "sqli: comment inside sql"},
      {"set the table", ""},
      {"declare independence", ""},
      {"exec chair", ""},
      {"Delete from cart", ""},
      {"update your profile", ""},
      {"insert into the slot", ""},
      {"5 -- great product", ""},
      {"limit 2 per customer", ""},
      {"exec master class", ""},
      {"everyone except select members", ""},
      {"Begin here; select a seat", ""},
      {"version()", ""},
      {"values (honesty, trust)", ""},
      {"from London where it rains", ""},
      {"from home limit 5 per day", ""},
      {"In case when you arrive then call me", ""},
      {"drop it like it's hot", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Sqli, CodeInCommentFieldsPasses) {
  const Case cases[] = {
      {"and self._version == other._version)", ""},
      {"if len(data) >= 2 and data[0] == data[-1] and data[0] in b'\"':", ""},
      {"(isinstance(short, str) and len(short) == 1))):", ""},
      {"IPv4Network('192.0.2.1') == IPv4Network(3221225985)", ""},
      {"and namespaceURI != xml.dom.XMLNS_NAMESPACE):", ""},
      {"\"\"\"Create text iterator.", ""},
      {"\"\"\"Like call_soon(), but thread-safe.\"\"\"", ""},
      {"a('<td>')", ""},
      {"'<HH' + 'Q'*len(extra),", ""},
      {"'Set-Cookie: fig=newton'", ""},
      {"\"in 'ext_modules' option (extension '%s'), \"", ""},
      {"\"must supply either home or prefix/exec-prefix -- not both\")", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Sqli, FormBodyWithoutEqualsIsReadAfterItsEncodedEquals) {
  // "pay%3Dor+120%3D121%3D" has no '=' of its own: the whole body is one argument name.
  Request r;
  r.method = "POST";
  r.set_target("/post");
  r.body = "pay%3Dor+120%3D121%3D";
  Result result = testing::shared_inspector().inspect(r, Policy());
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].reason, "boolean continuation");
  EXPECT_EQ(result.findings[0].fragment, "or 120=121=");
}

TEST(Sqli, PlusInAPathSegmentIsASpace) {
  EXPECT_EQ(verdict("24'union+all+select+1,2,3+from+aa", Part::kPath, ""), "sqli: union select");
  EXPECT_EQ(verdict("c++-primer", Part::kPath, ""), "");
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
