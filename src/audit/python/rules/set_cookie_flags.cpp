// RA032 set-cookie-flags: a cookie set without Secure or HttpOnly.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds `response.set_cookie(...)` calls (Flask, Django, Starlette, aiohttp) without
`secure=True` or without `httponly=True`. Both default to off in every one of these frameworks.

Why: a cookie without `Secure` is sent over plain HTTP and read by anyone on the path; one
without `HttpOnly` is readable by any script that an XSS flaw injects (CWE-614, CWE-1004).

Example:
    resp.set_cookie("remember", token)

Instead:
    resp.set_cookie("remember", token, secure=True, httponly=True, samesite="Lax")

References: https://developer.mozilla.org/en-US/docs/Web/HTTP/Cookies#restrict_access_to_cookies,
https://owasp.org/www-community/controls/SecureCookieAttribute)";

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  if (method_name(ctx, call) != "set_cookie" || !is(field(call, "function"), "attribute")) return;
  const CallArgs& args = ctx.args_of(call);
  if (args.has_star || args.positional.size() >= 7) return;
  // A cookie jar's set_cookie(cookie) (http.cookiejar, requests) stores a client's cookie: one
  // argument that is not a name.
  if (args.positional.size() == 1 && args.keywords.empty() &&
      !string_value(args.positional[0], ctx.src())) {
    return;
  }
  // A deletion (max_age=0, or an expiry at the epoch) leaves no value to protect.
  if (int_value(args.keyword("max_age"), ctx.src()) == 0) return;
  if (auto e = string_value(args.keyword("expires"), ctx.src());
      e && e->find("1970") != std::string::npos)
    return;
  std::vector<std::string> missing;
  for (const char* flag : {"secure", "httponly"}) {
    TSNode v = args.keyword(flag);
    if (is_null(v) || bool_value(v, ctx.src()) == false) missing.push_back(flag);
  }
  if (missing.empty()) return;
  std::string what = missing.size() == 2 ? "secure and httponly" : missing[0];
  ctx.report(call, "cookie set without " + what, Confidence::kHigh);
}

}  // namespace

const Rule& set_cookie_flags() {
  static const Rule r = make_rule({"RA032", "set-cookie-flags", "Cookie without Secure or HttpOnly",
                                   Severity::kMedium, Confidence::kHigh, "sessions", kDoc},
                                  {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
