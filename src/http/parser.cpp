#include "http/parser.h"

#include <boost/beast/http/error.hpp>

#include "common/strings.h"

namespace rampart::http {

RequestParser::RequestParser(const ParserLimits& limits) : limits_(limits) {
  header_limit(uint32_t(limits.max_head_size));
  body_limit(limits.max_body ? boost::optional<uint64_t>(*limits.max_body)
                             : boost::optional<uint64_t>());
  eager(true);
  head_.headers.reserve(16, 768);
}

void RequestParser::fail(ParseRule rule, error_code& ec) {
  rule_ = rule;
  ec = beast_http::error::bad_value;
}

void RequestParser::on_request_impl(beast_http::verb, bsv method, bsv target, int version,
                                    error_code& ec) {
  if (version != 10 && version != 11) return fail(ParseRule::kBadVersion, ec);
  head_.method.assign(method);
  head_.version = version;
  if (!target.empty() && target[0] == '/') {
    head_.target.assign(target);
    return;
  }
  if (target == "*" && method == "OPTIONS") {
    head_.target.assign(target);
    return;
  }
  // absolute-form: scheme "://" authority [path-abempty] ["?" query]
  for (std::string_view scheme : {"http://", "https://"}) {
    if (!istarts_with(target, scheme)) continue;
    std::string_view rest = target.substr(scheme.size());
    size_t end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, end);
    if (authority.empty() || authority.find('@') != std::string_view::npos) break;
    absolute_authority_.assign(authority);
    if (end == std::string_view::npos) {
      head_.target = "/";
    } else if (rest[end] == '?') {
      head_.target = "/" + std::string(rest.substr(end));
    } else {
      head_.target.assign(rest.substr(end));
    }
    return;
  }
  fail(ParseRule::kBadTarget, ec);
}

void RequestParser::on_field_impl(beast_http::field, bsv name, bsv value, error_code& ec) {
  if (header_done_) return;  // trailer fields of a chunked body are not passed on
  if (head_.headers.size() >= limits_.max_fields) return fail(ParseRule::kTooManyFields, ec);
  if (iequals(name, "content-length")) {
    if (++length_fields_ > 1 || value.find(',') != std::string_view::npos) {
      return fail(ParseRule::kDuplicateLength, ec);
    }
  } else if (iequals(name, "transfer-encoding")) {
    if (!iequals(trim(value), "chunked")) return fail(ParseRule::kBadTransferEncoding, ec);
  }
  head_.headers.add(name, value);
}

size_t RequestParser::on_body_impl(bsv body, error_code&) {
  if (sink_ != nullptr) sink_->append(body);
  body_bytes_ += body.size();
  return body.size();
}

size_t RequestParser::on_chunk_body_impl(std::uint64_t, bsv body, error_code& ec) {
  return on_body_impl(body, ec);
}

ResponseParser::ResponseParser() {
  header_limit(64 * 1024);
  body_limit(boost::none);
  eager(true);
  head_.headers.reserve(16, 768);
}

void ResponseParser::on_response_impl(int status, bsv reason, int version, error_code& ec) {
  if (version != 10 && version != 11) {
    ec = beast_http::error::bad_version;
    return;
  }
  head_.status = status;
  head_.reason.assign(reason);
  head_.version = version;
}

void ResponseParser::on_field_impl(beast_http::field, bsv name, bsv value, error_code&) {
  if (header_done_) return;
  head_.headers.add(name, value);
}

size_t ResponseParser::on_body_impl(bsv body, error_code&) {
  if (pieces_ != nullptr) {
    if (!body.empty()) pieces_->emplace_back(body.data(), body.size());
  } else if (sink_ != nullptr) {
    sink_->append(body);
  }
  body_bytes_ += body.size();
  return body.size();
}

size_t ResponseParser::on_chunk_body_impl(std::uint64_t, bsv body, error_code& ec) {
  return on_body_impl(body, ec);
}

int status_for_request_error(const error_code& ec, ParseRule rule) {
  switch (rule) {
    case ParseRule::kTooManyFields:
      return 431;
    case ParseRule::kBadVersion:
      return 505;
    case ParseRule::kNone:
      break;
    default:
      return 400;
  }
  if (ec == beast_http::error::header_limit) return 431;
  if (ec == beast_http::error::body_limit) return 413;
  return 400;
}

std::string_view reason_for_request_error(const error_code& ec, ParseRule rule) {
  switch (rule) {
    case ParseRule::kTooManyFields:
      return "too_many_header_fields";
    case ParseRule::kDuplicateLength:
      return "duplicate_content_length";
    case ParseRule::kBadTransferEncoding:
      return "bad_transfer_encoding";
    case ParseRule::kBadTarget:
      return "bad_request_target";
    case ParseRule::kBadVersion:
      return "unsupported_http_version";
    case ParseRule::kNone:
      break;
  }
  if (ec == beast_http::error::header_limit) return "header_too_large";
  if (ec == beast_http::error::body_limit) return "body_too_large";
  if (ec == beast_http::error::bad_content_length) return "bad_content_length";
  if (ec == beast_http::error::multiple_content_length) return "duplicate_content_length";
  if (ec == beast_http::error::bad_transfer_encoding) return "bad_transfer_encoding";
  if (ec == beast_http::error::bad_method) return "bad_method";
  if (ec == beast_http::error::bad_target) return "bad_request_target";
  if (ec == beast_http::error::bad_version) return "bad_version";
  if (ec == beast_http::error::bad_field) return "bad_header_name";
  if (ec == beast_http::error::bad_value) return "bad_header_value";
  if (ec == beast_http::error::bad_line_ending) return "bad_line_ending";
  if (ec == beast_http::error::bad_chunk) return "bad_chunk";
  return "malformed_request";
}

size_t find_head_end(std::string_view buf) {
  size_t pos = buf.find("\r\n\r\n");
  return pos == std::string_view::npos ? std::string_view::npos : pos + 4;
}

bool has_obs_fold(std::string_view head) {
  for (size_t i = head.find('\n'); i != std::string_view::npos && i + 1 < head.size();
       i = head.find('\n', i + 1)) {
    if (head[i + 1] == ' ' || head[i + 1] == '\t') return true;
  }
  return false;
}

}  // namespace rampart::http
