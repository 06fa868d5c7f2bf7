#include "waf/decode/decode.h"

#include <gtest/gtest.h>

namespace rampart::waf {
namespace {

TEST(Decode, UrlDecoding) {
  EXPECT_EQ(url_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(url_decode("a%20b+c", false), "a b+c");
  EXPECT_EQ(url_decode("%u003cscript%u003E", false), "<script>");
  EXPECT_EQ(url_decode("100%", false), "100%");
  EXPECT_EQ(url_decode("%zz%4", false), "%zz%4");
}

TEST(Decode, HtmlEntities) {
  EXPECT_EQ(html_entity_decode("&lt;b&gt; &amp; &quot;x&quot;"), "<b> & \"x\"");
  EXPECT_EQ(html_entity_decode("&#60;&#x3C;&#X3c;&#0000060"), "<<<<");
  EXPECT_EQ(html_entity_decode("java&Tab;script&colon;"), "java\tscript:");
  EXPECT_EQ(html_entity_decode("AT&T &unknown;"), "AT&T &unknown;");
  EXPECT_EQ(html_entity_decode("&#99999999999;"), "\xEF\xBF\xBD");  // out of range: U+FFFD
}

TEST(Decode, JavaScriptEscapes) {
  EXPECT_EQ(js_unescape("\\u0061\\x62\\u{63}"), "abc");
  EXPECT_EQ(js_unescape("\\ud83d\\ude00"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(js_unescape("C:\\Users\\xavier"), "C:\\Users\\xavier");
  EXPECT_EQ(js_unescape("\\'q\\\""), "'q\"");
}

TEST(Decode, Utf8Normalization) {
  EXPECT_EQ(normalize_utf8("\xC0\xAF"), "/");                   // overlong '/'
  EXPECT_EQ(normalize_utf8("\xE0\x80\xAF"), "/");               // three-byte overlong
  EXPECT_EQ(normalize_utf8("\xEF\xBC\x9C\xEF\xBD\x93"), "<s");  // fullwidth
  EXPECT_EQ(normalize_utf8(std::string("a\0b", 3)), "ab");      // NUL removed
  EXPECT_EQ(normalize_utf8("caf\xC3\xA9"), "caf\xC3\xA9");      // valid text untouched
  EXPECT_EQ(normalize_utf8("\xFF\xFE"), "\xFF\xFE");            // invalid kept
}

TEST(Decode, FullPipelineIsRepeatedAndBounded) {
  EXPECT_EQ(decode_value("%253Cscript%253E"), "<script>");
  EXPECT_EQ(decode_value("%26lt%3Bscript%26gt%3B"), "<script>");
  // Four levels of encoding: the fourth survives (kMaxDecodeRounds is 3).
  EXPECT_EQ(decode_value("%2525253C"), "%3C");
}

TEST(Decode, Base64OfPrintableText) {
  EXPECT_EQ(decode_base64_text("PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
            "<script>alert(1)</script>");
  EXPECT_FALSE(decode_base64_text("c2hvcnQ="));              // too short to matter
  EXPECT_FALSE(decode_base64_text("HelloWorldHelloWorld"));  // decodes to binary noise
  EXPECT_FALSE(decode_base64_text("not base64 at all!!"));
}

}  // namespace
}  // namespace rampart::waf
