#pragma once
// A request as the detection library sees it. Every field is a view into the caller's request:
// the caller keeps those bytes alive until inspect() returns. The library parses the query,
// cookies and body itself (bounded), so a guard hands over what it has without preparing it.

#include <string_view>
#include <utility>
#include <vector>

namespace rampart::waf {

struct Request {
  std::string_view method;
  std::string_view path;   // raw, percent-encoded, without '?' and query
  std::string_view query;  // raw query string without the leading '?'
  // Header names in any case; Cookie headers are split into cookies, Content-Type picks the
  // body parser.
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view body;  // as received (after transfer decoding); may be longer than the limit

  // Splits a request target ("/a/b?x=1") into path and query.
  void set_target(std::string_view target);
};

}  // namespace rampart::waf
