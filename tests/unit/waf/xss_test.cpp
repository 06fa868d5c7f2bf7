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
      {"<div style=\"background:url(javascript:alert(1))\">", "xss: script URL"},
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
      {"a --> b --> c", ""},
      {"step 1 --> step 2", ""},
      {"![](https://example.com/cat.png)", ""},
      {"see this [link](https://example.com)", ""},
      {"[]", ""},
      {"Learn java script: the good parts", ""},
      {"x < f o", ""},
      {"a < b c d", ""},
      {"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">", ""},
      {"<?xml version=\"1.0\"?><svg></svg>", ""},
      {"<?xml-stylesheet type=\"text/xsl\" href=\"style.xsl\"?>", ""},
      {"we call setTimeout(fn, 0) there", ""},
      {"online=true", ""},
      {"Don't set config.debug=true in production", ""},
      {"the formaction attribute", ""},
      {"url(images/bg.png)", ""},
      {"import this", ""},
      {"`-D_FORTIFY_SOURCE=2`, `-fstack-protector-strong`", ""},
      {"\"gitcvs.enabled = true\" was set at the same time", ""},
      {"acl is_mobile da-csv-fetch(mobileDevice) 1", ""},
      {"first, fetch (or pull) the data", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

// One row per kind of evasion, each in a spelling that no other row uses.
TEST(Xss, EvasionsAreFound) {
  const Case cases[] = {
      // Scheme junk: tabs, newlines and their entity spellings inside "javascript:".
      {"ja&tab;vascript:", "xss: obfuscated script URL"},
      {"v&newline;b&tab;script:msgbox(1)", "xss: obfuscated script URL"},
      {"java%09script:void(0)", "xss: obfuscated script URL"},
      {"<img src=javasc ript:alert(1)>", "xss: script URL"},
      {"javascript:x[1]", "xss: script URL"},
      // CSS url() naming a script scheme, even cut short.
      {"x=x:url(javascript", "xss: script URL in css"},
      {"background: url( 'vbscript:msgbox(1)')", "xss: script URL"},
      // Tag names spelled letter by letter or behind a namespace.
      {"<f o r m", "xss: spelled-out tag"},
      {"$<d/i/a/l/o/g", "xss: spelled-out tag"},
      {"< x: script", "xss: namespaced tag"},
      {"<foo:iframe src=//x>", "xss: namespaced tag"},
      {"<:vmlframe src=x>", "xss: active content tag"},
      {"<importimplementation=", "xss: script-capable tag"},
      // Computed access on globals, comments anywhere.
      {"self[/*a*/\"alert\"](1)", "xss: obfuscated script access"},
      {"top /*x*/ [ 'al'+'ert' ](1)", "xss: obfuscated script access"},
      {"(document/**/)[\"cookie\"]", "xss: obfuscated script access"},
      {"window[atob(\"YWxlcnQ=\")](1)", "xss: obfuscated script access"},
      // Calls of code-running functions where a statement starts; ES imports.
      {"setInterval(code, 1)", "xss: script call"},
      {"x;btoa(document.title)", "xss: script call"},
      {"x)-atob(y)-(", "xss: script call"},
      {"import { a, b } from \"./x.js\";", "xss: module import"},
      {"import * as m from 'https://evil.example/m.js'", "xss: module import"},
      // Leaving a script string to assign.
      {"'  infoo.bar=", "xss: script string breakout"},
      // The SQL reading (a quote, then the operator "in") scores as high and is reported first.
      {"\"in valueOf=", "sqli: quote then sql"},
      // Handlers and dangerous attributes without a tag.
      {"  onload= ", "xss: event handler"},
      {"'formaction=//evil", "xss: attribute breakout"},
      {"\" srcdoc=x", "xss: attribute breakout"},
      // Comments and server-side includes.
      {"-->", "xss: comment breakout"},
      {"\"--><img src=x>", "xss: comment breakout"},
      {"<!--#exec cmd=\"id\"-->", "xss: server-side include directive"},
      // Form controls that phish, JSFuck atoms, IE schemas.
      {"<input pattern=\"^a regex$\">", "xss: form element injection"},
      {"!![]", "xss: jsfuck"},
      {"<img xmlns=\"x-schema:test.xdr\"/>", "xss: namespace attribute"},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
