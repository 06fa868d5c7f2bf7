#include <gtest/gtest.h>

#include "guards/jwt/base64url.h"
#include "guards/jwt/token.h"

namespace rampart::guards::jwt {
namespace {

std::string b64(std::string_view s) { return base64url_encode(s); }

TEST(Base64Url, RoundTripsAndRefusesEverythingNotStrict) {
  const std::string samples[] = {"",     "f",     "fo",     "foo",
                                 "foob", "fooba", "foobar", std::string("\xff\xfe\0", 3)};
  for (const auto& s : samples) {
    auto back = base64url_decode(base64url_encode(s));
    ASSERT_TRUE(back.has_value()) << s;
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(*base64url_decode("-_8"), "\xfb\xff");
  for (const char* bad : {"Zg==", "Zg=", "+/8", "Zm 9v", "Zm9v\n", "Z", "Zh", "Zm9vYh", "Zm9%"}) {
    EXPECT_FALSE(base64url_decode(bad).has_value()) << bad;  // "Zh": non-zero unused bits
  }
}

TEST(ParseToken, ReadsHeaderClaimsAndSignature) {
  std::string t =
      b64(R"({"alg":"RS256","kid":"k1"})") + "." + b64(R"({"sub":"alice"})") + "." + b64("sig");
  auto r = parse_token(t);
  ASSERT_TRUE(std::holds_alternative<ParsedToken>(r));
  auto& p = std::get<ParsedToken>(r);
  EXPECT_EQ(p.alg, Alg::kRS256);
  EXPECT_EQ(p.kid, "k1");
  EXPECT_EQ(p.claims["sub"], "alice");
  EXPECT_EQ(p.signature, "sig");
  EXPECT_EQ(p.signing_input, t.substr(0, t.rfind('.')));
}

TEST(ParseToken, MalformedTable) {
  std::string h = b64(R"({"alg":"HS256"})");
  std::string c = b64(R"({"sub":"a"})");
  std::string deep = std::string(40, '[') + std::string(40, ']');
  struct Case {
    std::string token;
    const char* code;
    const char* detail;
  };
  const Case cases[] = {
      {"", "jwt_malformed", "the token is empty"},
      {"abc", "jwt_malformed", "the token has 1 segments, not 3"},
      {h + "." + c, "jwt_malformed", "the token has 2 segments, not 3"},
      {h + "." + c + ".x.y", "jwt_malformed", "the token has 4 segments, not 3"},
      {h + "." + c + ".x.y.z", "jwt_encrypted", "encrypted tokens (JWE) are not accepted"},
      {h + "." + c + ".x.y.z.w", "jwt_malformed", "the token has 6 segments, not 3"},
      {"." + c + ".", "jwt_malformed", "the token has an empty header or payload"},
      {h + "..", "jwt_malformed", "the token has an empty header or payload"},
      {"e30=." + c + ".", "jwt_bad_base64", "the header is not base64url"},
      {h + ".c*d.", "jwt_bad_base64", "the payload is not base64url"},
      {h + "." + c + ".a+b", "jwt_bad_base64", "the signature is not base64url"},
      {b64("not json") + "." + c + ".", "jwt_bad_json", "the header is not valid JSON"},
      {b64("[1,2]") + "." + c + ".", "jwt_bad_json", "the header is not a JSON object"},
      {h + "." + b64("null") + ".", "jwt_bad_json", "the claims set is not a JSON object"},
      {h + "." + b64("\"sub\"") + ".", "jwt_bad_json", "the claims set is not a JSON object"},
      {h + "." + b64("123") + ".", "jwt_bad_json", "the claims set is not a JSON object"},
      {h + "." + b64(R"({"sub":"a","sub":"b"})") + ".", "jwt_bad_json",
       "the claims set has a duplicate member name"},
      {b64(R"({"alg":"HS256","alg":"none"})") + "." + c + ".", "jwt_bad_json",
       "the header has a duplicate member name"},
      {h + "." + b64(R"({"a":{"x":1,"x":2}})") + ".", "jwt_bad_json",
       "the claims set has a duplicate member name"},
      {h + "." + b64(R"({"a":)" + deep + "}") + ".", "jwt_bad_json",
       "the claims set nests deeper than 16 levels"},
      {h + "." + b64(R"({"sub":"a")") + ".", "jwt_bad_json", "the claims set is not valid JSON"},
      {b64(R"({"typ":"JWT"})") + "." + c + ".", "jwt_malformed", "the header has no \"alg\""},
      {b64(R"({"alg":256})") + "." + c + ".", "jwt_malformed", "the header has no \"alg\""},
      {b64(R"({"alg":"HS256","kid":7})") + "." + c + ".", "jwt_malformed",
       "the header's \"kid\" is not a string"},
      {b64(R"({"alg":"HS256","crit":["exp"]})") + "." + c + ".", "jwt_crit_unsupported",
       "the header lists critical extensions (\"crit\")"},
      {h + "." + b64("{\"sub\":\"" + std::string(9000, 'a') + "\"}") + ".", "jwt_too_large",
       "the token is longer than 8192 bytes"},
  };
  for (const auto& c : cases) {
    auto r = parse_token(c.token);
    ASSERT_TRUE(std::holds_alternative<JwtError>(r)) << c.token;
    EXPECT_EQ(std::get<JwtError>(r).code, c.code) << c.token;
    EXPECT_EQ(std::get<JwtError>(r).detail, c.detail) << c.token;
  }
}

TEST(ParseToken, UnsupportedAlgIsReadButNotKnown) {
  auto r = parse_token(b64(R"({"alg":"none"})") + "." + b64("{}") + ".");
  ASSERT_TRUE(std::holds_alternative<ParsedToken>(r));
  EXPECT_EQ(std::get<ParsedToken>(r).alg_text, "none");
  EXPECT_FALSE(std::get<ParsedToken>(r).alg.has_value());
}

}  // namespace
}  // namespace rampart::guards::jwt
