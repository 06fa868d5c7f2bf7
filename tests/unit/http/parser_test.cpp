#include "http/parser.h"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>

namespace rampart::http {
namespace {

struct Result {
  int status = 0;  // 0: parsed
  std::string reason;
  RequestHead head;
  std::string body;
  std::string authority;
};

Result parse_request(std::string_view raw, ParserLimits limits = {}) {
  RequestParser p(limits);
  std::string body;
  p.set_body_sink(&body);
  error_code ec;
  Result r;
  size_t head_end = find_head_end(raw);
  if (head_end != std::string_view::npos && has_obs_fold(raw.substr(0, head_end))) {
    r.status = 400;
    r.reason = "obs_fold";
    return r;
  }
  size_t used = p.put(boost::asio::buffer(raw.data(), raw.size()), ec);
  if (!ec && !p.is_done() && p.is_header_done()) {
    raw.remove_prefix(used);
    while (!raw.empty() && !ec && !p.is_done()) {
      used = p.put(boost::asio::buffer(raw.data(), raw.size()), ec);
      raw.remove_prefix(used);
      if (used == 0) break;
    }
  }
  if (ec && ec != beast_http::error::need_more) {
    r.status = status_for_request_error(ec, p.rule_broken());
    r.reason = std::string(reason_for_request_error(ec, p.rule_broken()));
    return r;
  }
  r.head = p.head();
  r.body = body;
  r.authority = p.absolute_authority();
  return r;
}

TEST(RequestParser, ParsesAGoodRequestWithBody) {
  auto r = parse_request("POST /form?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_EQ(r.status, 0) << r.reason;
  EXPECT_EQ(r.head.method, "POST");
  EXPECT_EQ(r.head.path(), "/form");
  EXPECT_EQ(r.head.query(), "x=1");
  EXPECT_EQ(*r.head.headers.get("host"), "a");
  EXPECT_EQ(r.body, "hello");
}

TEST(RequestParser, DecodesChunkedBodies) {
  auto r = parse_request(
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n");
  ASSERT_EQ(r.status, 0) << r.reason;
  EXPECT_EQ(r.body, "abcde");
  EXPECT_FALSE(r.head.headers.has("X-Trailer"));
}

struct BadCase {
  const char* name;
  const char* raw;
  int status;
  const char* reason;
};

TEST(RequestParser, RejectsWhatSmugglingNeeds) {
  const BadCase cases[] = {
      {"CL+TE",
       "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
       "bad_transfer_encoding"},
      {"TE+CL",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n", 400,
       "bad_content_length"},
      {"dup CL same",
       "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nabcd", 400,
       "duplicate_content_length"},
      {"dup CL differ",
       "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcd", 400,
       "duplicate_content_length"},
      {"CL list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4, 4\r\n\r\nabcd", 400,
       "duplicate_content_length"},
      {"CL not a number", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4x\r\n\r\nabcd", 400,
       "bad_content_length"},
      {"CL negative", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400,
       "bad_content_length"},
      {"TE gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 400,
       "bad_transfer_encoding"},
      {"TE xchunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n", 400,
       "bad_transfer_encoding"},
      {"obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", 400, "obs_fold"},
      {"space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, "bad_header_name"},
      {"ctl in value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x01c\r\n\r\n", 400, "bad_header_value"},
      {"bad method", "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "bad_method"},
      {"no version", "GET /\r\nHost: a\r\n\r\n", 400, "bad_request_target"},
      {"http/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 400, "bad_version"},
      {"relative target", "GET foo HTTP/1.1\r\nHost: a\r\n\r\n", 400, "bad_request_target"},
      {"authority form", "CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n", 400, "bad_request_target"},
      {"bare LF", "GET / HTTP/1.1\nHost: a\n\n", 400, "bad_version"},
      {"bad chunk", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400,
       "bad_chunk"},
  };
  for (const auto& c : cases) {
    auto r = parse_request(c.raw);
    EXPECT_EQ(r.status, c.status) << c.name;
    EXPECT_EQ(r.reason, c.reason) << c.name;
  }
}

TEST(RequestParser, EnforcesLimits) {
  ParserLimits limits;
  limits.max_fields = 3;
  limits.max_head_size = 200;
  limits.max_body = 4;
  auto many = parse_request("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", limits);
  EXPECT_EQ(many.status, 431);
  EXPECT_EQ(many.reason, "too_many_header_fields");
  auto big = parse_request("GET / HTTP/1.1\r\nA: " + std::string(300, 'x') + "\r\n\r\n", limits);
  EXPECT_EQ(big.status, 431);
  EXPECT_EQ(big.reason, "header_too_large");
  auto body = parse_request("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", limits);
  EXPECT_EQ(body.status, 413);
}

TEST(RequestParser, NormalizesAbsoluteForm) {
  auto r = parse_request("GET http://example.com:8080/a/b?c=d HTTP/1.1\r\nHost: evil\r\n\r\n");
  ASSERT_EQ(r.status, 0) << r.reason;
  EXPECT_EQ(r.head.target, "/a/b?c=d");
  EXPECT_EQ(r.authority, "example.com:8080");
  auto q = parse_request("GET http://example.com?x HTTP/1.1\r\n\r\n");
  EXPECT_EQ(q.head.target, "/?x");
}

TEST(ResponseParser, ReadsHeadAndBody) {
  ResponseParser p;
  std::string body;
  p.set_body_sink(&body);
  error_code ec;
  std::string raw = "HTTP/1.1 201 Created\r\nServer: x\r\nContent-Length: 2\r\n\r\nok";
  p.put(boost::asio::buffer(raw), ec);
  ASSERT_FALSE(ec);
  EXPECT_TRUE(p.is_done());
  EXPECT_EQ(p.head().status, 201);
  EXPECT_EQ(*p.head().headers.get("server"), "x");
  EXPECT_EQ(body, "ok");
}

}  // namespace
}  // namespace rampart::http
