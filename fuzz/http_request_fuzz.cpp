// Feeds arbitrary bytes to the request parser the way the gateway does (head first, then the
// body in pieces), and the results to the forwarding and hop-by-hop code.
#include <boost/asio/buffer.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/forwarded.h"
#include "http/hop_by_hop.h"
#include "http/parser.h"
#include "http/serialize.h"

using namespace rampart::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ParserLimits limits;
  limits.max_head_size = 4096;
  limits.max_fields = 50;
  limits.max_body = 1 << 16;
  RequestParser p(limits);
  std::string body;
  p.set_body_sink(&body);
  size_t end = find_head_end(input);
  if (end == std::string_view::npos) return 0;
  if (has_obs_fold(input.substr(0, end))) return 0;
  error_code ec;
  size_t used = p.put(boost::asio::buffer(input.data(), input.size()), ec);
  if (ec) {
    (void)status_for_request_error(ec, p.rule_broken());
    return 0;
  }
  input.remove_prefix(used);
  // The rest of the body in small pieces, as slow clients send it.
  while (!p.is_done() && !input.empty()) {
    size_t piece = std::min<size_t>(input.size(), 7);
    used = p.put(boost::asio::buffer(input.data(), piece), ec);
    if (ec == boost::beast::http::error::need_more) {
      ec = {};
      if (piece == input.size()) break;
      used = p.put(boost::asio::buffer(input.data(), input.size()), ec);
      if (ec == boost::beast::http::error::need_more) break;
    }
    if (ec) break;
    if (used == 0) break;
    input.remove_prefix(used);
  }
  RequestHead head = p.head();
  CidrSet trusted;
  trusted.add(*Cidr::parse("10.0.0.0/8"));
  ClientView view = resolve_client(*IpAddress::parse("10.1.2.3"), head.headers, trusted, "https");
  strip_hop_by_hop(head.headers, true);
  set_forwarding_headers(head.headers, view);
  std::string out;
  append_request_head(out, head, BodyFraming{});
  return 0;
}
