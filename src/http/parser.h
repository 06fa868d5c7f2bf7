#pragma once
// Strict HTTP/1.1 parsing on Boost.Beast's basic_parser: Beast does the low-level grammar (request
// line, field syntax, chunk framing, limits); these classes add the rules a security gateway
// needs on top (one Content-Length only, Transfer-Encoding exactly "chunked", no obs-fold, a field
// count limit, origin-form targets) and capture the head into RequestHead / ResponseHead. Decoded
// body bytes are appended to a caller-supplied string, so the caller streams them on.
//
// Not thread-safe; one parser per message. No sockets here: the caller feeds bytes with put().

#include <boost/beast/http/basic_parser.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace rampart::http {

namespace beast_http = boost::beast::http;
using boost::beast::error_code;
using bsv = boost::beast::string_view;  // Beast's callbacks take boost::core::string_view

// Errors found by the rules above, reported as values of ParseRule.
enum class ParseRule {
  kNone,
  kTooManyFields,        // 431
  kDuplicateLength,      // 400
  kBadTransferEncoding,  // 400 (anything but exactly "chunked")
  kBadTarget,            // 400
  kBadVersion,           // 505
};

struct ParserLimits {
  size_t max_head_size = 16 * 1024;
  size_t max_fields = 100;
  std::optional<uint64_t> max_body;  // none: unlimited
};

class RequestParser : public beast_http::basic_parser<true> {
 public:
  explicit RequestParser(const ParserLimits& limits);

  RequestHead& head() { return head_; }
  // When the target was absolute-form ("http://host/path"), its authority; Host must then be
  // replaced by it (RFC 9112 section 3.2.2).
  const std::string& absolute_authority() const { return absolute_authority_; }
  ParseRule rule_broken() const { return rule_; }
  void set_body_sink(std::string* sink) { sink_ = sink; }
  uint64_t body_bytes() const { return body_bytes_; }

 private:
  void on_request_impl(beast_http::verb, bsv method, bsv target, int version,
                       error_code& ec) override;
  void on_response_impl(int, bsv, int, error_code&) override {}
  void on_field_impl(beast_http::field, bsv name, bsv value, error_code& ec) override;
  void on_header_impl(error_code&) override { header_done_ = true; }
  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
  size_t on_body_impl(bsv body, error_code&) override;
  void on_chunk_header_impl(std::uint64_t, bsv, error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t, bsv body, error_code&) override;
  void on_finish_impl(error_code&) override {}
  void fail(ParseRule rule, error_code& ec);

  RequestHead head_;
  ParserLimits limits_;
  std::string absolute_authority_;
  std::string* sink_ = nullptr;
  uint64_t body_bytes_ = 0;
  ParseRule rule_ = ParseRule::kNone;
  size_t length_fields_ = 0;
  bool header_done_ = false;
};

class ResponseParser : public beast_http::basic_parser<false> {
 public:
  ResponseParser();

  ResponseHead& head() { return head_; }
  void set_body_sink(std::string* sink) { sink_ = sink; }
  // Instead of copying, records each piece of decoded body as a view into the buffer given to
  // put(): valid while that buffer's bytes are (the caller writes them out before reading more).
  void set_body_pieces(std::vector<std::string_view>* pieces) { pieces_ = pieces; }
  uint64_t body_bytes() const { return body_bytes_; }

 private:
  void on_request_impl(beast_http::verb, bsv, bsv, int, error_code&) override {}
  void on_response_impl(int status, bsv reason, int version, error_code& ec) override;
  void on_field_impl(beast_http::field, bsv name, bsv value, error_code& ec) override;
  void on_header_impl(error_code&) override { header_done_ = true; }
  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
  size_t on_body_impl(bsv body, error_code&) override;
  void on_chunk_header_impl(std::uint64_t, bsv, error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t, bsv body, error_code&) override;
  void on_finish_impl(error_code&) override {}

  ResponseHead head_;
  std::string* sink_ = nullptr;
  std::vector<std::string_view>* pieces_ = nullptr;
  uint64_t body_bytes_ = 0;
  bool header_done_ = false;
};

// The status a client gets for a request that failed to parse.
int status_for_request_error(const error_code& ec, ParseRule rule);
// A short machine-readable reason for the log ("bad_content_length", "header_limit", ...).
std::string_view reason_for_request_error(const error_code& ec, ParseRule rule);

// Where a message head ends in `buf` (the offset just past the blank line), or npos.
size_t find_head_end(std::string_view buf);
// Whether a head contains a folded line (obs-fold: a line starting with space or tab).
bool has_obs_fold(std::string_view head);

}  // namespace rampart::http
