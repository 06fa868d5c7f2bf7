#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(Traversal, AttacksAreFound) {
  const Case cases[] = {
      {"../../../../etc/passwd", "path-traversal: traversal to a sensitive file"},
      {"..%2f..%2f..%2fetc%2fshadow", "path-traversal: traversal to a sensitive file"},
      {"..\\\\..\\\\windows\\\\win.ini", "path-traversal: traversal to a sensitive file"},
      {"%252e%252e%252f%252e%252e%252fboot.ini", "path-traversal: traversal to a sensitive file"},
      {"..;/..;/admin", "path-traversal: path traversal"},
      {"/proc/self/environ", "path-traversal: sensitive file path"},
      {"file:///etc/hosts", "path-traversal: sensitive file path"},
      {"....//....//etc/passwd", "path-traversal: traversal to a sensitive file"},
      {"images/logo.png", ""},
      {"see ../ in the docs", ""},
      {"version 1.2..1.4", ""},
      {"Wait... what?", ""},
      {"the etc. and so on", ""},
      {"password reset", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Traversal, LookAlikesPass) {
  const Case cases[] = {

  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
