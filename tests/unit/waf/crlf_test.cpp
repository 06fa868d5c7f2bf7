#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(Crlf, AttacksAreFound) {
  const Case cases[] = {
      {"/home\r\nSet-Cookie: admin=1", "crlf: header injection"},
      {"x%0d%0aLocation:%20http://evil.example", "crlf: header injection"},
      {"a\nX-Injected: yes", "crlf: header injection"},
      {"line one\nline two", ""},
      {"Dear team,\nThanks!", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Crlf, LookAlikesPass) {
  const Case cases[] = {

  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
