#include "state/options.h"

#include "common/strings.h"

namespace rampart::state {

bool parse_state_url(std::string_view text, StateOptions& out, std::string& error) {
  std::string_view rest = trim(text);
  out.url.assign(rest);
  if (rest == "memory") {
    out.backend = StateOptions::Backend::kMemory;
    return true;
  }
  const std::string expected =
      "expected 'memory' or a Redis URL such as redis://127.0.0.1:6379/0, got " +
      quote_for_message(text);
  if (!istarts_with(rest, "redis://")) {
    error = expected;
    return false;
  }
  rest.remove_prefix(8);
  out.backend = StateOptions::Backend::kRedis;
  out.password.clear();
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view auth = rest.substr(0, at);
    // redis://:password@host or redis://user:password@host (ACL users are not supported: the
    // user part must be empty or "default").
    size_t colon = auth.find(':');
    std::string_view user = colon == std::string_view::npos ? "" : auth.substr(0, colon);
    if (colon == std::string_view::npos || (!user.empty() && user != "default")) {
      error = "expected redis://:PASSWORD@HOST:PORT/DB (only the default user), got " +
              quote_for_message(text);
      return false;
    }
    out.password.assign(auth.substr(colon + 1));
    rest.remove_prefix(at + 1);
  }
  std::string_view hostport = rest;
  std::string_view db;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    hostport = rest.substr(0, slash);
    db = rest.substr(slash + 1);
  }
  std::string_view host = hostport;
  std::string_view port;
  if (!hostport.empty() && hostport.front() == '[') {
    size_t close = hostport.find(']');
    if (close == std::string_view::npos) {
      error = expected;
      return false;
    }
    host = hostport.substr(1, close - 1);
    std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        error = expected;
        return false;
      }
      port = after.substr(1);
    }
  } else if (size_t colon = hostport.rfind(':'); colon != std::string_view::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
  }
  if (host.empty()) {
    error = expected;
    return false;
  }
  out.host.assign(host);
  out.port = 6379;
  if (!port.empty()) {
    auto p = parse_u64(port);
    if (!p || *p == 0 || *p > 65535) {
      error = "expected a port from 1 to 65535 in " + quote_for_message(text);
      return false;
    }
    out.port = uint16_t(*p);
  }
  out.db = 0;
  if (!db.empty()) {
    auto d = parse_u64(db);
    if (!d || *d > 2147483647) {
      error = "expected a database number after the '/' in " + quote_for_message(text);
      return false;
    }
    out.db = int(*d);
  }
  return true;
}

}  // namespace rampart::state
