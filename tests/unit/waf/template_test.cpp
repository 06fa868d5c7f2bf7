#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(TemplateInjection, CodeBlocksWithStatementsAreFound) {
  const Case cases[] = {
      {"<% if True %>49<% endif %>", "template-injection: template code block"},
      {"<%= if True %>49<% endif %>", "template-injection: template code block"},
      {"<% for x in range(3) %>a<% end %>", "template-injection: template code block"},
      // Output tags printing a name are template text, not an attack.
      {"<%=title%>", ""},
      {"<%- sidebar.id %>", ""},
      {"50<% off %>", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(TemplateInjection, AttacksAreFound) {
  const Case cases[] = {
      {"{{7*7}}", "template-injection: template probe"},
      {"{{config.items()}}", "template-injection: template expression"},
      {"{{ ().__class__.__mro__[1].__subclasses__() }}",
       "template-injection: python object traversal"},
      {"{{request.application.__globals__.__builtins__}}",
       "template-injection: python object traversal"},
      {"{% import os %}{{ os.popen(\"id\").read() }}", "template-injection: template expression"},
      {"${7*7}", "template-injection: template probe"},
      {"<%import os%>${os.system(\"id\")}", "template-injection: template expression"},
      {"{{lipsum.__globals__.os.popen(\'id\').read()}}",
       "template-injection: python object traversal"},
      {"Hello {{ name }}", ""},
      {"price: ${price}", ""},
      {"use __init__.py files", ""},
      {"50% off {today}", ""},
      {"{\"a\": 1}", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(TemplateInjection, LookAlikesPass) {
  const Case cases[] = {

  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
