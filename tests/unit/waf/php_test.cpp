#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(PhpInjection, AttacksAreFound) {
  const Case cases[] = {
      {"<?php system($_GET[\"c\"]); ?>", "php-injection: php open tag"},
      {"<?= `id` ?>", "php-injection: php open tag"},
      {"php://filter/convert.base64-encode/resource=index.php",
       "php-injection: php stream wrapper"},
      {"O:8:\"stdClass\":1:{s:1:\"a\";s:1:\"b\";}", "php-injection: php serialized object"},
      {"system(\"id\");", "php-injection: php function call"},
      {"\"sys\".\"tem\"(\"id\")", "php-injection: assembled php call"},
      {"$_SERVER[\"HTTP_HOST\"]", "php-injection: php superglobal"},
      {"$f(\"id\");", "php-injection: php variable function"},
      {"The file (see attached) is ready", ""},
      {"My system is down", ""},
      {"a:b:c", ""},
      {"costs $5 (plus tax)", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(PhpInjection, LookAlikesPass) {
  const Case cases[] = {

  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
