#include "http/forwarded.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/hop_by_hop.h"
#include "http/set_cookie.h"

namespace rampart::http {
namespace {

IpAddress ip(std::string_view s) { return *IpAddress::parse(s); }

CidrSet trusted(std::initializer_list<std::string_view> blocks) {
  CidrSet set;
  for (auto b : blocks) set.add(*Cidr::parse(b));
  return set;
}

TEST(Address, PrintsEveryIpv4Octet) {
  for (const char* text : {"0.0.0.0", "9.10.99.100", "255.255.255.255", "10.0.200.7"}) {
    EXPECT_EQ(ip(text).to_string(), text);
  }
}

TEST(Address, ParsesAndPrints) {
  EXPECT_EQ(ip("203.0.113.7").to_string(), "203.0.113.7");
  EXPECT_TRUE(ip("203.0.113.7").is_v4());
  EXPECT_EQ(ip("[2001:db8::1]").to_string(), "2001:db8::1");
  EXPECT_FALSE(IpAddress::parse("1.2.3").has_value());
  EXPECT_FALSE(IpAddress::parse("example.com").has_value());
  EXPECT_FALSE(Cidr::parse("10.0.0.0/33").has_value());
}

TEST(Address, CidrContains) {
  auto c = *Cidr::parse("10.1.0.0/16");
  EXPECT_TRUE(c.contains(ip("10.1.255.3")));
  EXPECT_FALSE(c.contains(ip("10.2.0.1")));
  auto v6 = *Cidr::parse("2001:db8::/33");
  EXPECT_TRUE(v6.contains(ip("2001:db8:7fff::1")));
  EXPECT_FALSE(v6.contains(ip("2001:db8:8000::1")));
}

TEST(ResolveClient, UntrustedPeerIgnoresForwardedHeaders) {
  Headers h;
  h.add("Host", "app.example.com");
  h.add("X-Forwarded-For", "1.1.1.1");
  h.add("X-Forwarded-Proto", "https");
  auto v = resolve_client(ip("198.51.100.9"), h, trusted({"127.0.0.1"}), "http");
  EXPECT_EQ(v.address.to_string(), "198.51.100.9");
  EXPECT_EQ(v.scheme, "http");
  EXPECT_EQ(v.forwarded_for, "198.51.100.9");
  EXPECT_EQ(v.host, "app.example.com");
}

TEST(ResolveClient, TrustedChainIsWalkedFromTheRight) {
  Headers h;
  h.add("X-Forwarded-For", "6.6.6.6, 203.0.113.5, 10.0.0.2");
  h.add("X-Forwarded-Proto", "https");
  h.add("X-Forwarded-Host", "shop.example");
  auto v = resolve_client(ip("10.0.0.1"), h, trusted({"10.0.0.0/8"}), "http");
  EXPECT_EQ(v.address.to_string(), "203.0.113.5");
  EXPECT_EQ(v.scheme, "https");
  EXPECT_EQ(v.host, "shop.example");
  EXPECT_EQ(v.forwarded_for, "6.6.6.6, 203.0.113.5, 10.0.0.2, 10.0.0.1");
}

TEST(ResolveClient, ForwardedHeaderWhenNoXff) {
  Headers h;
  h.add("Forwarded", "for=\"[2001:db8::7]:4711\";proto=https, for=10.0.0.3");
  auto v = resolve_client(ip("10.0.0.1"), h, trusted({"10.0.0.0/8"}), "https");
  EXPECT_EQ(v.address.to_string(), "2001:db8::7");
}

TEST(ResolveClient, GarbageHopStopsTheWalk) {
  Headers h;
  h.add("X-Forwarded-For", "1.2.3.4, not-an-ip, 10.0.0.9");
  auto v = resolve_client(ip("10.0.0.1"), h, trusted({"10.0.0.0/8"}), "https");
  EXPECT_EQ(v.address.to_string(), "10.0.0.9");
}

TEST(ForwardingHeaders, AreWrittenForTheUpstream) {
  Headers h;
  ClientView v;
  v.address = ip("2001:db8::1");
  v.address_text = "2001:db8::1";
  v.scheme = "https";
  v.host = "a.example";
  v.forwarded_for = "2001:db8::1";
  set_forwarding_headers(h, v);
  EXPECT_EQ(*h.get("X-Forwarded-For"), "2001:db8::1");
  EXPECT_EQ(*h.get("X-Forwarded-Proto"), "https");
  EXPECT_EQ(*h.get("X-Forwarded-Host"), "a.example");
  EXPECT_EQ(*h.get("Forwarded"), "for=\"[2001:db8::1]\";host=a.example;proto=https");
}

TEST(HopByHop, StripsTheTableAndConnectionNamedFields) {
  Headers h;
  h.add("Connection", "keep-alive, X-Secret");
  h.add("Keep-Alive", "timeout=5");
  h.add("X-Secret", "1");
  h.add("TE", "trailers");
  h.add("Transfer-Encoding", "chunked");
  h.add("Upgrade", "h2c");
  h.add("Proxy-Connection", "keep-alive");
  h.add("X-Forwarded-For", "1.2.3.4");
  h.add("Accept", "*/*");
  strip_hop_by_hop(h, /*request=*/true);
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h.begin()->name, "Accept");
}

TEST(HopByHop, KeepsEndToEndFieldsOfEveryLengthAndCase) {
  Headers h;
  h.add("TE", "trailers");
  h.add("te2", "x");  // not TE
  h.add("CONNECTION", "keep-alive, Close");
  h.add("Upgrade", "h2c");
  h.add("Content-Type", "text/plain");
  h.add("content-length", "3");
  h.add("Transfer-Encoding", "chunked");
  h.add("Forwarded", "for=1.2.3.4");
  h.add("X-Long-Header-Name-That-Is-Longer-Than-Thirty-Two", "v");
  strip_hop_by_hop(h, /*request=*/false);
  std::vector<std::string> names;
  for (FieldView f : h) names.emplace_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"te2", "Content-Type", "Forwarded",
                                             "X-Long-Header-Name-That-Is-Longer-Than-Thirty-Two"}));
  EXPECT_EQ(field_role("Proxy-Authorization"), FieldRole::kHopByHop);
  EXPECT_EQ(field_role("X-REAL-IP"), FieldRole::kForwarding);
  EXPECT_EQ(field_role(""), FieldRole::kEndToEnd);
}

TEST(HopByHop, DropsFieldsNamedByEveryConnectionHeader) {
  Headers h;
  h.add("Connection", "close, X-Secret");
  h.add("Connection", " ,x-other ,");
  h.add("X-Secret", "1");
  h.add("X-Other", "2");
  h.add("X-Kept", "3");
  strip_hop_by_hop(h, /*request=*/true);
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h.begin()->name, "X-Kept");
}

TEST(SetCookie, ParsesAttributes) {
  auto v = parse_set_cookie("sid=abc; Path=/; secure; SameSite=Strict");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->name, "sid");
  EXPECT_TRUE(v->secure);
  EXPECT_FALSE(v->http_only);
  EXPECT_EQ(v->same_site, "Strict");
  EXPECT_FALSE(parse_set_cookie("novalue").has_value());
  EXPECT_FALSE(parse_set_cookie("=x").has_value());
  EXPECT_FALSE(parse_set_cookie("a b=x").has_value());
}

}  // namespace
}  // namespace rampart::http
