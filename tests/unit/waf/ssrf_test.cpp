#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(Ssrf, AttacksAreFound) {
  const Case cases[] = {
      {"http:2852039166", "ssrf: internal address in URL"},
      {"http:/0251.0376.0251.0376", "ssrf: internal address in URL"},
      {"http://169\u3002254\u3002169\u3002254/", "ssrf: cloud metadata address"},
      {"see http: the protocol", ""},
      {"http://127.0.0.1:8080/admin", "ssrf: internal address in URL"},
      {"http://169.254.169.254/latest/meta-data/", "ssrf: cloud metadata address"},
      {"http://2130706433/", "ssrf: internal address in URL"},
      {"http://0x7f000001/", "ssrf: internal address in URL"},
      {"http://0177.0.0.1/", "ssrf: internal address in URL"},
      {"http://127.1/", "ssrf: internal address in URL"},
      {"http://[::1]/", "ssrf: internal address in URL"},
      {"http://[::ffff:10.0.0.1]/", "ssrf: internal address in URL"},
      {"http://metadata.google.internal/computeMetadata/v1/", "ssrf: cloud metadata address"},
      {"gopher://127.0.0.1:6379/_SET", "ssrf: dangerous URL scheme"},
      {"dict://localhost:11211/stats", "ssrf: dangerous URL scheme"},
      {"http://user@192.168.1.1/", "ssrf: internal address in URL"},
      {"http://10.0.0.1.nip.io/", "ssrf: internal address in URL"},
      {"http://\xe2\x91\xa0\xe2\x91\xa1\xe2\x91\xa6.\xe2\x93\xaa.\xe2\x93\xaa.\xe2\x91\xa0/",
       "ssrf: internal address in URL"},
      {"https://example.com/hook", ""},
      {"http://93.184.216.34/", "remote-inclusion: URL to an IP address"},
      {"https://internal-docs.example.com/", ""},
      {"Meet at 10.0.0.1 pm", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Ssrf, LookAlikesPass) {
  const Case cases[] = {
      {"http:0xABCDEF", ""},
      {"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAE=", ""},
      {"https://lvh.me.example.com/", ""},
      {"my-service.example.com/", ""},
      {"call 0800 1234 5678", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

// Spellings of internal hosts that slip past parsers and lists: integers that overflow IPv4,
// backslash-escaped names, scheme-less development and cluster names, wrapper schemes with '_'.
TEST(Ssrf, EvasionsAreFound) {
  const Case cases[] = {
      {"http://7147006462/", "ssrf: internal address in URL"},
      {"http://0x41414141A9FEA9FE/", "ssrf: internal address in URL"},
      {"http://\\\\l\\\\o\\\\c\\\\a\\\\l\\\\h\\\\o\\\\s\\\\t/", "ssrf: escaped host name in URL"},
      {"http:123456789", "ssrf: obfuscated address in URL"},
      {"local_file://2852039166/", "ssrf: dangerous URL scheme"},
      {"https://metadata.packet.net/userdata", "ssrf: cloud metadata address"},
      {"ip6-loopback/", "ssrf: internal host"},
      {"kubernetes.default.svc.cluster.local/", "ssrf: internal host"},
      {"lvh.me/", "ssrf: internal host"},
      {"http://app.lvh.me:3000/", "ssrf: internal address in URL"},
      {"data:text/plain;base64,SSBsb3ZlIFBIUAo=", "ssrf: data URL"},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf

namespace rampart::waf {
namespace {

// Remote inclusion judged against the request's Host: a query argument that is a whole URL to
// another site is flagged at level 3 (at the default level only when its host is one that
// parsers disagree on); a link back to this site, an argument made for links and free text are
// not.
std::string rfi_verdict(std::string_view target, std::string_view host, int level = 3) {
  Request r;
  r.method = "GET";
  r.set_target(target);
  r.headers.emplace_back("Host", host);
  Policy policy;
  policy.set_level(AttackClass::kRemoteInclusion, level);
  Result result = testing::shared_inspector().inspect(r, policy);
  if (!result.attack()) return "";
  return std::string(attack_class_name(result.findings[0].attack)) + ": " +
         result.findings[0].reason;
}

TEST(RemoteInclusion, UrlsToAnotherHost) {
  EXPECT_EQ(rfi_verdict("/get?x=https://evilexample.com/", "example.com"),
            "remote-inclusion: URL to another host");
  EXPECT_EQ(rfi_verdict("/get?x=https://example.com:1234/", "example.com"),
            "remote-inclusion: URL to another host");
  EXPECT_EQ(rfi_verdict("/get?x=http://example.com%2f@evil.com/", "example.com"),
            "remote-inclusion: URL to another host");
  // At the default level, shared links, return addresses and image URLs of any argument name
  // pass; a host that parsers read differently does not.
  EXPECT_EQ(rfi_verdict("/get?x=https://evilexample.com/", "example.com", kSensitivityDefault), "");
  EXPECT_EQ(
      rfi_verdict("/share?img=https://cdn.example.net/a.png", "example.com", kSensitivityDefault),
      "");
  EXPECT_EQ(
      rfi_verdict("/get?x=http://example.com%2f@evil.com/", "example.com", kSensitivityDefault),
      "remote-inclusion: URL to another host");
  EXPECT_EQ(rfi_verdict("/get?x=https://example.com/", "example.com"), "");
  EXPECT_EQ(rfi_verdict("/get?x=http://www.example.com/some/path", "example.com"), "");
  EXPECT_EQ(rfi_verdict("/get?x=http://foo:bar@example.com/", "example.com"), "");
  EXPECT_EQ(rfi_verdict("/login?next=https://other.example.org/", "example.com"), "");
  EXPECT_EQ(rfi_verdict("/search?q=https://other.example.org/", "example.com"), "");
  EXPECT_EQ(rfi_verdict("/get?x=http%3F", "example.com"),
            "remote-inclusion: URL scheme with truncating suffix");
  EXPECT_EQ(rfi_verdict("/get?x=local_file://something", "example.com"),
            "ssrf: dangerous URL scheme");
}

}  // namespace
}  // namespace rampart::waf
