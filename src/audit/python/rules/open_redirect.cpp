// RA075 open-redirect: a redirect to a URL chosen by the client.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds redirects (`redirect`, `HttpResponseRedirect`, `HttpResponsePermanentRedirect`,
`RedirectResponse`, aiohttp's `HTTPFound`) to a URL from request data, in a function that does not
check it with `url_has_allowed_host_and_scheme`/`is_safe_url` or by parsing its host.

Why: a link on the real site sends the victim to the attacker's (`/login?next=https://evil.example`),
which borrows the site's reputation for phishing and can leak tokens (CWE-601).

Example:
    return redirect(request.args.get("next", "/"))

Instead:
    nxt = request.args.get("next", "/")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.host}):
        nxt = "/"
    return redirect(nxt)

References: https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html)";

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  std::string_view m = method_name(ctx, call);
  if (m != "redirect" && m != "HttpResponseRedirect" && m != "HttpResponsePermanentRedirect" &&
      m != "RedirectResponse" && m != "HTTPFound" && m != "HTTPSeeOther") {
    return;
  }
  const CallArgs& args = ctx.args_of(call);
  TSNode url = args.get(0, "location");
  if (is_null(url)) url = args.keyword("url");
  if (is_null(url)) return;
  Taint t = ctx.taint(url);
  if (!t.request_for(kSinkUrl) || t.fixed_prefix) return;
  TSNode fn = enclosing(call, {"function_definition"});
  std::string_view body = ctx.text(fn);
  if (body.find("url_has_allowed_host_and_scheme") != std::string_view::npos ||
      body.find("is_safe_url") != std::string_view::npos ||
      body.find(".netloc") != std::string_view::npos) {
    return;
  }
  ctx.report(call, "redirect to a URL taken from the request", Confidence::kHigh,
             {RuleContext::source_note(t)});
}

}  // namespace

const Rule& open_redirect() {
  static const Rule r = make_rule({"RA075", "open-redirect", "Open redirect", Severity::kMedium,
                                   Confidence::kHigh, "beyond the guide", kDoc},
                                  {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
