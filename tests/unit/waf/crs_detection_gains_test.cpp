// Detections added while working through the CRS corpus's misses (by paranoia level, PL1 first),
// each next to the look-alike that must still pass. The inputs are written for these tests.

#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

Policy paranoid() { return testing::paranoid_policy(); }

TEST(CrsDetectionGains, BracedShellVariableRunsTheShell) {
  const Case cases[] = {
      {"${SHELL} -c \"echo hi\"", "command-injection: command with arguments"},
      {"${bash} -c id", "command-injection: command with arguments"},
      {"$SHELL -c \"echo hi\"", "command-injection: command with arguments"},
      {"Hello ${name}, welcome", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(CrsDetectionGains, PhpVariableFunctionWithBlankAfterDollar) {
  const Case cases[] = {
      {"$ {@_.__}(31);", "php-injection: php variable function"},
      {"${@a}(1)", "php-injection: php variable function"},
      {"costs $ {5} (approx)", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(CrsDetectionGains, PhpCallsThroughStringsAndCommentedWrappers) {
  const Case cases[] = {
      {"return'system'(id).x", "php-injection: php string called as function"},
      {"\"exec\"(\"ls\")", "php-injection: php string called as function"},
      {"(/* note */system)(ls);", "php-injection: php function call"},
      {"the word \"system\" (as in a set of parts)", ""},
      {"see 'exec' below", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(CrsDetectionGains, WholeValueScriptUrl) {
  const Case cases[] = {
      {"javascript:x", "xss: script URL"},
      {"JavaScript:\\u0061lert", "xss: script URL"},
      {"JavaScript: the good parts", ""},
      {"javascript is fun", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(CrsDetectionGains, NoSqlOperatorInBracketsInAValue) {
  const Case cases[] = {
      {"user[$ne]=x", "nosql: query operator in brackets"},
      {"[$gt]1", "nosql: query operator in brackets"},
      {"price [$] in dollars", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(CrsDetectionGains, RemoteScriptSourceInAnyArgument) {
  const Case cases[] = {
      {"http://files.example/shell.txt", "remote-inclusion: remote source file"},
      {"https://cdn.example/lib/config.inc", "remote-inclusion: remote source file"},
      {"https://files.example/notes.txt?", "remote-inclusion: URL scheme with truncating suffix"},
      {"https://example.org/about", ""},
      {"https://example.org/page.php?id=2", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input, Part::kQuery, "x"), c.expected) << c.input;
  // A link argument carries links to any file.
  EXPECT_EQ(verdict("http://files.example/notes.txt", Part::kQuery, "url"), "");
}

TEST(CrsDetectionGains, ParanoidSqlRulesCountOnlyAtLevel3) {
  const Case at_level3[] = {
      {"[msdb]", "sqli: sql system name"},
      {"`tempdb`", "sqli: sql system name"},
      {"((((((()))))))", "sqli: sql character anomaly"},
      {"!@#$%^&*()-=", "sqli: sql character anomaly"},
      {"P@ss(w0rd)!", ""},
      {"[\"a\",\"b\",\"c\"]", ""},
      {"see the tempdb docs", ""},
  };
  for (const Case& c : at_level3) {
    EXPECT_EQ(verdict(c.input, Part::kQuery, "q", paranoid()), c.expected) << c.input;
    EXPECT_EQ(verdict(c.input), "") << c.input << " at the default level";
  }
}

}  // namespace
}  // namespace rampart::waf
