#include "guards/csrf/csrf_guard.h"

#include "common/strings.h"
#include "guards/common.h"
#include "guards/csrf/csrf_token.h"
#include "http/cookie_header.h"

namespace rampart::guards {
namespace {

using gateway::Action;

bool is_token_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c <= 0x20 || c >= 0x7f) return false;
    if (std::string_view("()<>@,;:\\\"/[]?={}").find(c) != std::string_view::npos) return false;
  }
  return true;
}

// At most 200 bytes of a received value go into an event.
std::string for_log(std::string_view v) {
  v = trim(v);
  return std::string(v.substr(0, 200));
}

void read_token(const ConfigNode& n, CsrfTokenSettings& t) {
  if (n.is_scalar()) {
    std::string v = n.scalar();
    if (v == "true" || v == "on") {
      t.enabled = true;
    } else if (v == "false" || v == "off") {
      t.enabled = false;
    } else {
      n.error("expected true, false or a mapping of token settings");
    }
    return;
  }
  if (!n.expect_map()) return;
  n.only_keys({"enabled", "cookie", "header", "field", "body_limit"});
  t.enabled = n.get_bool("enabled", true);
  std::string cookie = n.get_string("cookie", t.cookie);
  if (!is_token_name(cookie) || cookie.starts_with("__Host-") || cookie.starts_with("__Secure-")) {
    n.child("cookie").error(
        "expected a cookie name without a __Host- or __Secure- prefix (the "
        "gateway adds __Host- on HTTPS), got " +
        quote_for_message(cookie));
  } else {
    t.cookie = cookie;
  }
  std::string header = n.get_string("header", t.header);
  if (!is_token_name(header)) {
    n.child("header").error("expected a header name, got " + quote_for_message(header));
  } else {
    t.header = header;
  }
  std::string field = n.get_string("field", t.field);
  if (field.empty()) {
    n.child("field").error("expected a form field name");
  } else {
    t.field = field;
  }
  t.body_limit = n.get_size("body_limit", t.body_limit);
  if (t.body_limit == 0 || t.body_limit > (16u << 20)) {
    n.child("body_limit").error("expected a size between 1 byte and 16MiB");
    t.body_limit = 64 * 1024;
  }
}

// The site's own origin from the gateway's view, and the configured domains on its scheme and
// port.
CsrfVerdict classify(const Origin& o, std::string_view scheme, std::string_view host,
                     const CsrfSettings& s) {
  auto own = origin_from_host(scheme, host);
  if (own && *own == o) return CsrfVerdict::kSameOrigin;
  uint16_t port = own ? own->port : default_port(scheme);
  for (const auto& d : s.domains) {
    if (o.scheme == scheme && o.port == port && o.host == d) return CsrfVerdict::kSameOrigin;
  }
  for (const auto& p : s.trusted_origins) {
    if (p.matches(o)) return CsrfVerdict::kTrusted;
  }
  return CsrfVerdict::kCrossSite;
}

std::string describe_method(std::string_view m) { return std::string(m.substr(0, 20)); }

}  // namespace

void CsrfSettings::read(const ConfigNode& n) {
  n.only_keys({"enabled", "mode", "strict", "trusted_origins", "exempt_bearer", "token"});
  if (n.child("mode").defined()) monitor = read_mode({n}) == Mode::kMonitor;
  strict = n.get_bool("strict", strict);
  exempt_bearer = n.get_bool("exempt_bearer", exempt_bearer);
  ConfigNode t = n.child("trusted_origins");
  if (t.defined()) {
    trusted_origins.clear();
    std::vector<std::string> list = n.get_string_list("trusted_origins");
    for (size_t i = 0; i < list.size(); ++i) {
      auto p = OriginPattern::parse(list[i]);
      if (!p) {
        ConfigNode at = t.is_sequence() ? t.at(i) : t;
        at.error(
            "expected an origin such as https://app.example.com or https://*.example.com, "
            "got " +
            quote_for_message(list[i]));
        continue;
      }
      trusted_origins.push_back(*p);
    }
  }
  ConfigNode tok = n.child("token");
  if (tok.defined()) read_token(tok, token);
}

bool is_safe_method(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE";
}

CsrfDecision judge_origin(const http::Headers& headers, std::string_view scheme,
                          std::string_view host, const CsrfSettings& s) {
  CsrfDecision d;
  auto fetch_site = headers.get("Sec-Fetch-Site");
  if (fetch_site) {
    std::string v = to_lower(trim(*fetch_site));
    if (v == "same-origin" || v == "none") {
      d.verdict = CsrfVerdict::kSameOrigin;
      d.part = "request.header.Sec-Fetch-Site";
      return d;
    }
  }
  auto origins = headers.get_all("Origin");
  if (!origins.empty()) {
    d.part = "request.header.Origin";
    d.origin = for_log(origins.front());
    if (origins.size() > 1) {
      d.verdict = CsrfVerdict::kMalformed;
      return d;
    }
    if (trim(origins.front()) == "null") {
      d.verdict = CsrfVerdict::kCrossSite;
      return d;
    }
    auto o = parse_origin(origins.front());
    if (!o) {
      d.verdict = CsrfVerdict::kMalformed;
      return d;
    }
    d.verdict = classify(*o, scheme, host, s);
    return d;
  }
  if (auto referer = headers.get("Referer")) {
    d.part = "request.header.Referer";
    auto o = origin_of_url(*referer);
    if (!o) {
      d.origin = for_log(*referer);
      d.verdict = CsrfVerdict::kMalformed;
      return d;
    }
    d.origin = o->to_string();  // the origin only: a Referer's path may be private
    d.verdict = classify(*o, scheme, host, s);
    return d;
  }
  if (fetch_site) {
    d.part = "request.header.Sec-Fetch-Site";
    d.origin = for_log(*fetch_site);
    d.verdict = CsrfVerdict::kCrossSite;
    return d;
  }
  d.verdict = CsrfVerdict::kNoHeaders;
  return d;
}

std::string CsrfGuard::cookie_name(const gateway::Exchange& ex) const {
  return ex.https() ? "__Host-" + s_.token.cookie : s_.token.cookie;
}

std::optional<gateway::Reply> CsrfGuard::refuse(gateway::Exchange& ex, std::string rule,
                                                std::string part, std::string reason) const {
  if (s_.monitor) {
    ex.add_event({"csrf", std::move(rule), Action::kLogged, std::move(part),
                  std::move(reason) + " (monitor mode: passed)"});
    return std::nullopt;
  }
  ex.add_event({"csrf", rule, Action::kBlocked, std::move(part), std::move(reason)});
  gateway::Reply reply;
  reply.status = 403;
  reply.reason = std::move(rule);
  reply.body =
      "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>403 Forbidden</title>"
      "</head>\n<body><h1>403 Forbidden</h1>\n<p>Cross-site request refused.</p></body></html>\n";
  return reply;
}

std::optional<std::string> CsrfGuard::check_token(const gateway::Exchange& ex,
                                                  std::optional<std::string_view> submitted) const {
  auto cookies = http::cookie_values(ex.request.headers, cookie_name(ex));
  if (cookies.empty()) return "csrf_token_cookie_missing";
  for (auto c : cookies) {
    if (c != cookies.front()) return "csrf_token_cookie_duplicate";
  }
  if (!submitted) return "csrf_token_missing";
  if (!well_formed_csrf_token(cookies.front()) ||
      !csrf_tokens_equal(cookies.front(), trim(*submitted))) {
    return "csrf_token_mismatch";
  }
  return std::nullopt;
}

bool CsrfGuard::token_in_body_needed(const gateway::Exchange& ex) const {
  if (!s_.token.enabled || is_safe_method(ex.request.method)) return false;
  if (s_.exempt_bearer && ex.bearer_verified) return false;
  if (ex.request.headers.has(s_.token.header)) return false;
  auto ct = ex.request.headers.get("Content-Type");
  if (!ct || !is_form_content_type(*ct)) return false;
  return judge_origin(ex.request.headers, ex.client.scheme, ex.client.host, s_).verdict ==
         CsrfVerdict::kNoHeaders;
}

namespace {

std::string token_reason(std::string_view rule, std::string_view method) {
  std::string m(method.substr(0, 20));
  if (rule == "csrf_token_cookie_missing")
    return "a " + m + " without Origin or Referer and without the token cookie refused";
  if (rule == "csrf_token_cookie_duplicate")
    return "a " + m + " with several different token cookies refused";
  if (rule == "csrf_token_missing")
    return "a " + m + " without Origin or Referer and without the token refused";
  return "a " + m + " whose token does not match its token cookie refused";
}

}  // namespace

std::optional<gateway::Reply> CsrfGuard::on_request(gateway::Exchange& ex) const {
  const auto& method = ex.request.method;
  if (is_safe_method(method)) return std::nullopt;
  if (s_.exempt_bearer && ex.bearer_verified) return std::nullopt;
  CsrfDecision d = judge_origin(ex.request.headers, ex.client.scheme, ex.client.host, s_);
  switch (d.verdict) {
    case CsrfVerdict::kSameOrigin:
    case CsrfVerdict::kTrusted:
      return std::nullopt;
    case CsrfVerdict::kCrossSite:
      if (d.part == "request.header.Sec-Fetch-Site") {
        return refuse(ex, "csrf_origin_mismatch", d.part,
                      "cross-site " + describe_method(method) + " (Sec-Fetch-Site: " + d.origin +
                          ", no Origin or Referer) refused");
      }
      return refuse(ex, "csrf_origin_mismatch", d.part,
                    "cross-site " + describe_method(method) + " from origin " +
                        quote_for_message(d.origin) + " refused");
    case CsrfVerdict::kMalformed:
      return refuse(ex, "csrf_origin_malformed", d.part,
                    describe_method(method) + " with a malformed " + d.part.substr(15) + " " +
                        quote_for_message(d.origin) + " refused");
    case CsrfVerdict::kNoHeaders:
      break;
  }
  if (s_.token.enabled) {
    auto header = ex.request.headers.get(s_.token.header);
    if (!header && token_in_body_needed(ex)) return std::nullopt;  // the body step decides
    if (auto rule = check_token(ex, header)) {
      std::string part = *rule == "csrf_token_missing" || *rule == "csrf_token_mismatch"
                             ? "request.header." + s_.token.header
                             : "request.header.Cookie";
      return refuse(ex, *rule, part, token_reason(*rule, method));
    }
    return std::nullopt;
  }
  if (s_.strict) {
    return refuse(ex, "csrf_no_origin", "request",
                  "a " + describe_method(method) +
                      " without Sec-Fetch-Site, Origin or Referer refused (strict mode)");
  }
  return std::nullopt;
}

uint64_t CsrfGuard::request_body_wanted(const gateway::Exchange& ex) const {
  return token_in_body_needed(ex) ? s_.token.body_limit : 0;
}

std::optional<gateway::Reply> CsrfGuard::on_request_body(gateway::Exchange& ex,
                                                         std::string_view body,
                                                         bool complete) const {
  if (!token_in_body_needed(ex)) return std::nullopt;
  auto ct = ex.request.headers.get("Content-Type");
  auto value = form_field(ct ? *ct : "", body, s_.token.field);
  std::optional<std::string_view> submitted;
  if (value) submitted = *value;
  if (auto rule = check_token(ex, submitted)) {
    std::string reason = token_reason(*rule, ex.request.method);
    if (*rule == "csrf_token_missing" && !complete) {
      reason += " (only the first " + std::to_string(s_.token.body_limit) +
                " bytes of the body are read: put the field first)";
    }
    std::string part =
        *rule == "csrf_token_cookie_missing" || *rule == "csrf_token_cookie_duplicate"
            ? "request.header.Cookie"
            : "request.body." + s_.token.field;
    return refuse(ex, *rule, part, reason);
  }
  return std::nullopt;
}

void CsrfGuard::on_response(gateway::Exchange& ex, http::ResponseHead& resp) const {
  if (!s_.token.enabled) return;
  std::string name = cookie_name(ex);
  auto have = http::cookie_values(ex.request.headers, name);
  if (have.size() == 1 && well_formed_csrf_token(have.front())) return;
  auto token = new_csrf_token();
  if (!token) {
    ex.add_event({"csrf", "csrf_token_unavailable", Action::kLogged, "response",
                  "no random bytes for a token cookie"});
    return;
  }
  std::string v = name + "=" + *token + "; Path=/; SameSite=Lax";
  if (ex.https()) v += "; Secure";
  resp.headers.add("Set-Cookie", v);
}

std::unique_ptr<gateway::Guard> CsrfGuard::build(const std::vector<ConfigNode>& layers,
                                                 const gateway::GuardContext& ctx) {
  CsrfSettings s;
  for (const auto& d : ctx.domains) s.domains.push_back(to_lower(d));
  for (const auto& l : layers) s.read(l);
  return std::make_unique<CsrfGuard>(std::move(s));
}

}  // namespace rampart::guards
