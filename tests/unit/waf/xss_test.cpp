#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(Xss, AttacksAreFound) {
  const Case cases[] = {
      {"<script>alert(1)</script>", "xss: script-capable tag"},
      {"[].sort.call`${alert}1337`", "xss: tagged template call"},
      {"(![] [])[ ! []]", "xss: jsfuck"},
      {"<ScRiPt src=//evil.example/x.js>", "xss: script-capable tag"},
      {"<img src=x onerror=alert(1)>", "xss: event handler attribute"},
      {"<svg/onload=alert(1)>", "xss: script-capable tag"},
      {"<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "xss: script URL in attribute"},
      {"<a href=\"javascript&colon;alert(1)\">x</a>", "xss: script URL in attribute"},
      {"%3Cimg%20src%3Dx%20onerror%3Dprompt(1)%3E", "xss: event handler attribute"},
      {"&lt;iframe src=x&gt;", "xss: script-capable tag"},
      {"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e", "xss: script-capable tag"},
      {"\" onmouseover=\"alert(document.cookie)", "xss: attribute breakout to event handler"},
      {"javascript:alert(document.domain)", "xss: script URL"},
      {"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "xss: data URL with markup"},
      {"</title><script>alert(1)</script>", "xss: script-capable tag"},
      {"\';alert(1)//", "xss: script string breakout"},
      {"<div style=\"background:url(javascript:alert(1))\">", "xss: script in style"},
      {"window[\"alert\"](document[\"cookie\"])", "xss: obfuscated script access"},
      {"+ADw-script+AD4-alert(1)+ADw-/script+AD4-", "xss: utf-7 markup"},
      {"<noscript#", "xss: active content tag"},
      {"[][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]]", "xss: jsfuck"},
      {"<b>bold</b> and <i>italic</i>", ""},
      {"a < b and c > d", ""},
      {"Learn javascript: the good parts", ""},
      {"I love the onion=good recipe", ""},
      {"<3 you", ""},
      {"Use the <br> tag for breaks", ""},
      {"1 < 2 > 0", ""},
      {"See https://example.com/a?b=c&d=e", ""},
      {"style: casual; colour: red", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Xss, LookAlikesPass) {
  const Case cases[] = {

  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
