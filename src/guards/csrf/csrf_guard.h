#pragma once
// The `csrf` guard: refuses cross-site requests with unsafe methods, at the edge, for any backend.
//
// For every method but GET, HEAD, OPTIONS and TRACE: the request passes when Sec-Fetch-Site is
// `same-origin` or `none`; otherwise its Origin (or, when Origin is absent, its Referer) must be
// one of the site's own origins (the scheme and Host the gateway sees, after trusted proxies, and
// the configured `domains` on that scheme and port) or a `trusted_origins` entry. `Origin: null`
// is cross-site. A cross-site request is answered 403 (reason csrf_origin_mismatch) with an
// event naming the origin. A request with none of the three headers (a non-browser client) passes,
// or is refused in `strict` mode. Requests whose bearer token the jwt guard verified are exempt;
// routes are exempted by turning the guard off for them.
//
// The optional double-submit token is the fallback for old browsers that send none of the
// headers: the gateway sets a random token cookie (`__Host-` prefixed on HTTPS) and a header-less
// unsafe request must carry the same token in a header or a form field (urlencoded or multipart
// body, read through the body step). The page's scripts copy the cookie into the header or field.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/config_node.h"
#include "gateway/guard.h"
#include "gateway/guard_registry.h"
#include "guards/csrf/origin.h"

namespace rampart::guards {

struct CsrfTokenSettings {
  bool enabled = false;
  std::string cookie = "rampart_csrf";  // "__Host-" is put before it on HTTPS
  std::string header = "X-CSRF-Token";
  std::string field = "csrf_token";
  uint64_t body_limit = 64 * 1024;  // how much of a form body is read to find the field
};

struct CsrfSettings {
  bool monitor = false;
  bool strict = false;
  bool exempt_bearer = true;
  std::vector<OriginPattern> trusted_origins;
  std::vector<std::string> domains;  // the gateway's `domains`, lower case
  CsrfTokenSettings token;

  void read(const ConfigNode& node);
};

// What the headers of an unsafe request say about where it comes from.
enum class CsrfVerdict {
  kSameOrigin,  // Sec-Fetch-Site same-origin/none, or an origin of the site itself
  kTrusted,     // an origin in trusted_origins
  kNoHeaders,   // none of Sec-Fetch-Site, Origin, Referer
  kCrossSite,   // another origin, Origin: null, or Sec-Fetch-Site cross-site/same-site alone
  kMalformed,   // an Origin or Referer that is not an origin or URL
};

struct CsrfDecision {
  CsrfVerdict verdict = CsrfVerdict::kNoHeaders;
  std::string part;    // "request.header.Origin"
  std::string origin;  // as received (cut for the log), when the verdict names one
};

// The token-less check, from the request's headers and the gateway's view of scheme and host.
CsrfDecision judge_origin(const http::Headers& headers, std::string_view scheme,
                          std::string_view host, const CsrfSettings& s);
bool is_safe_method(std::string_view method);

class CsrfGuard : public gateway::Guard {
 public:
  explicit CsrfGuard(CsrfSettings s) : s_(std::move(s)) {}
  std::string_view name() const override { return "csrf"; }
  std::optional<gateway::Reply> on_request(gateway::Exchange& ex) const override;
  uint64_t request_body_wanted(const gateway::Exchange& ex) const override;
  std::optional<gateway::Reply> on_request_body(gateway::Exchange& ex, std::string_view body,
                                                bool complete) const override;
  void on_response(gateway::Exchange& ex, http::ResponseHead& resp) const override;

  static std::unique_ptr<gateway::Guard> build(const std::vector<ConfigNode>& layers,
                                               const gateway::GuardContext& ctx);

 private:
  // The token cookie's name for this exchange (with __Host- on HTTPS).
  std::string cookie_name(const gateway::Exchange& ex) const;
  // Whether the request needs the token and it is not in a header: the body step must look.
  bool token_in_body_needed(const gateway::Exchange& ex) const;
  // nullopt: the token check passed; otherwise the rule that failed.
  std::optional<std::string> check_token(const gateway::Exchange& ex,
                                         std::optional<std::string_view> submitted) const;
  std::optional<gateway::Reply> refuse(gateway::Exchange& ex, std::string rule, std::string part,
                                       std::string reason) const;

  CsrfSettings s_;
};

}  // namespace rampart::guards
