#include <gtest/gtest.h>

#include <string>

#include "waf/parse/cookies.h"
#include "waf/parse/json_values.h"
#include "waf/parse/multipart.h"
#include "waf/parse/query.h"
#include "waf/parse/xml_values.h"

namespace rampart::waf {
namespace {

// "name=value" lines, for compact comparison.
std::string describe(const std::vector<Field>& fields) {
  std::string out;
  for (const Field& f : fields) {
    out += std::string(part_name(f.part)) + " " + f.name + (f.key ? " (key)" : "") + "=" + f.value +
           "\n";
  }
  return out;
}

TEST(ParseUrlencoded, PairsDecodedOnce) {
  std::vector<Field> fields;
  FieldSink sink{&fields, 100};
  parse_urlencoded("a=1&b=x+y%20z&&flag&c=%2541&=v", Part::kQuery, sink);
  EXPECT_EQ(describe(fields), "query a=1\nquery b=x y z\nquery flag=\nquery c=%41\nquery =v\n");
}

TEST(ParseUrlencoded, CountsWhatIsBeyondTheLimit) {
  std::vector<Field> fields;
  FieldSink sink{&fields, 2};
  parse_urlencoded("a=1&b=2&c=3&d=4", Part::kBodyForm, sink);
  EXPECT_EQ(fields.size(), 2u);
  EXPECT_EQ(sink.dropped, 2u);
}

TEST(ParseCookies, LenientPairs) {
  std::vector<Field> fields;
  FieldSink sink{&fields, 100};
  parse_cookies(" sid=abc; theme=\"dark\";;lonely ; x = 1 ", sink);
  EXPECT_EQ(describe(fields), "cookie sid=abc\ncookie theme=dark\ncookie =lonely\ncookie x=1\n");
}

TEST(ParseMultipart, FieldsAndFileNames) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHello\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"shell.php\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n<?php echo 1; ?>\r\n--XyZ--\r\n";
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=XyZ"), "XyZ");
  EXPECT_EQ(multipart_boundary("multipart/form-data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_EQ(multipart_boundary("multipart/form-data"), "");
  std::vector<Field> fields;
  FieldSink sink{&fields, 100};
  ASSERT_TRUE(parse_multipart(body, "XyZ", sink));
  EXPECT_EQ(describe(fields),
            "body-multipart title=Hello\nbody-multipart upload=<?php echo 1; ?>\n"
            "body-multipart upload.filename=shell.php\n");
}

TEST(ParseMultipart, RejectsBodiesWithoutTheBoundary) {
  std::vector<Field> fields;
  FieldSink sink{&fields, 100};
  EXPECT_FALSE(parse_multipart("just text", "XyZ", sink));
  EXPECT_FALSE(parse_multipart("--XyZ\r\n", "", sink));
  // Truncated after the headers: what was read is kept, nothing crashes.
  EXPECT_TRUE(parse_multipart("--XyZ\r\nContent-Disposition: form-data; name=a", "XyZ", sink));
}

TEST(ParseJson, StringsAndKeysWithPaths) {
  std::vector<Field> fields;
  FieldSink sink{&fields, 100};
  EXPECT_EQ(parse_json_values(R"({"user":{"name":"Ann","tags":["a",2,null]},"$where":"x"})", sink),
            JsonOutcome::kOk);
  EXPECT_EQ(describe(fields),
            "body-json user (key)=user\nbody-json user.name (key)=name\nbody-json user.name=Ann\n"
            "body-json user.tags (key)=tags\nbody-json user.tags[]=a\n"
            "body-json $where (key)=$where\nbody-json $where=x\n");
}

TEST(ParseJson, InvalidAndTooDeep) {
  std::vector<Field> fields;
  FieldSink sink{&fields, 100};
  EXPECT_EQ(parse_json_values("{\"a\": ", sink), JsonOutcome::kInvalid);
  EXPECT_EQ(parse_json_values(std::string(100, '[') + std::string(100, ']'), sink),
            JsonOutcome::kTooDeep);
}

TEST(ParseXml, TextAttributesAndCdataWithoutEntities) {
  std::vector<Field> fields;
  FieldSink sink{&fields, 100};
  parse_xml_values(
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<r id='7'><name>Ann &x;</name><![CDATA[<b>]]><!-- c --><e a=b/></r>",
      sink);
  EXPECT_EQ(describe(fields),
            "body-xml r@id=7\nbody-xml name=Ann &x;\nbody-xml name=<b>\nbody-xml e@a=b/\n");
}

TEST(ParseXml, BrokenMarkupIsText) {
  std::vector<Field> fields;
  FieldSink sink{&fields, 100};
  parse_xml_values("a < b <c d=\"unterminated", sink);
  EXPECT_EQ(describe(fields), "body-xml =a < b \nbody-xml c@d=unterminated\n");
}

}  // namespace
}  // namespace rampart::waf
