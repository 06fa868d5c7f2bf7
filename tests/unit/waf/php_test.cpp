#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(PhpInjection, AttacksAreFound) {
  const Case cases[] = {
      {"(system)(ls);", "php-injection: php function call"},
      {"[ system ] [ 0 ] ( ls );", "php-injection: php function call"},
      {"the (system) (see above) works", ""},
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

namespace rampart::waf {
namespace {

TEST(PhpInjection, UploadNamesAndVariableCalls) {
  EXPECT_EQ(testing::verdict("shell.php5", Part::kHeader, "x-filename"),
            "php-injection: php file upload");
  EXPECT_EQ(testing::verdict("a.phtml..", Part::kBodyMultipart, "f.filename"),
            "php-injection: php file upload");
  EXPECT_EQ(testing::verdict("sess_d8ew88tqmabdcokhumchy8htqm", Part::kHeader, "x-filename"),
            "php-injection: php session file upload");
  EXPECT_EQ(testing::verdict("photo.png", Part::kHeader, "x-filename"), "");
  EXPECT_EQ(testing::verdict("${@a}(10)"), "php-injection: php variable function");
  EXPECT_EQ(testing::verdict("$a[]()"), "");
}

}  // namespace
}  // namespace rampart::waf

namespace rampart::waf {
namespace {

// Tags in the spellings PHP accepts, php.ini directives, extension functions, calls laid out
// with comments, and variable functions behind subscripts; each with a look-alike.
TEST(PhpInjection, TagsDirectivesAndCalls) {
  const testing::Case cases[] = {
      {"<? php echo \"test\"", "php-injection: php open tag"},
      {"<?xml :echo 1;", "php-injection: php open tag"},
      {"<?xml version=\"1.0\"?><a/>", ""},
      {"test<?", "php-injection: php open tag"},
      {"memory_limit = 512M", "php-injection: php configuration directive"},
      {"opcache.jit_max_polymorphic_calls=50", "php-injection: php configuration directive"},
      {"speed=fast", ""},
      {"engine=true", "php-injection: php configuration directive"},
      {"engine=V8 turbo", ""},
      {"precision=high", ""},
      {"I use pg_dump (postgres) nightly", ""},
      {"pg_enter_pipeline_mode (", "php-injection: php function call"},
      {"is_valid(x)", ""},
      {"exec //comment\n (blah)", "php-injection: php function call"},
      {"checkdate/*x*/()", "php-injection: php function call"},
      {"Print_r( )", "php-injection: php function call"},
      {"SCRAPBOOK PAPER PACK (8.5X11\"-300 DPI)", ""},
      {"$_aB_4c[@5]/*wat*/[@d] ()", "php-injection: php variable function"},
      {"$foo->$funcname()", "php-injection: php variable function"},
      {"Foo::$variable()", "php-injection: php variable function"},
      {"$ {$a}", "php-injection: php variable variable"},
      {"zip://archive.zip", "php-injection: php stream wrapper"},
  };
  for (const testing::Case& c : cases) EXPECT_EQ(testing::verdict(c.input), c.expected) << c.input;
}

TEST(PhpInjection, UploadsWithAnInnerPhpExtension) {
  EXPECT_EQ(testing::verdict("x.php .jpg", Part::kHeader, "x-filename"),
            "php-injection: php file upload");
  EXPECT_EQ(testing::verdict("test.phar .png", Part::kHeader, "x-filename"),
            "php-injection: php file upload");
  EXPECT_EQ(testing::verdict("report.pdf", Part::kHeader, "x-filename"), "");
}

}  // namespace
}  // namespace rampart::waf
