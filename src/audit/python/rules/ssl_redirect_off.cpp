// RA062 ssl-redirect-off: Django does not redirect HTTP to HTTPS.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds `SECURE_SSL_REDIRECT = False` (and Flask-Talisman's `force_https=False`).

Why: a user who types the address or follows an old link talks plain HTTP, where the session
cookie and form data can be read and the page altered on the way (CWE-319). (When a proxy in
front of the application does the redirect, say so with `# rampart: ignore[RA062]`; `rampart
serve` redirects by default.)

Example:
    SECURE_SSL_REDIRECT = False

Instead:
    SECURE_SSL_REDIRECT = True

References: https://docs.djangoproject.com/en/stable/ref/settings/#secure-ssl-redirect)";

void check(RuleContext& ctx) {
  if (is(ctx.node, "call")) {
    if (method_name(ctx, ctx.node) != "Talisman") return;
    const CallArgs& args = ctx.args_of(ctx.node);
    if (bool_value(args.keyword("force_https"), ctx.src()) == false) {
      ctx.report(ctx.node, "Talisman(force_https=False) leaves plain HTTP open", Confidence::kHigh);
    }
    return;
  }
  if (ctx.setting_name != "SECURE_SSL_REDIRECT") return;
  if (bool_value(ctx.setting_value, ctx.src()) == false) {
    ctx.report(ctx.setting_target, "SECURE_SSL_REDIRECT = False leaves plain HTTP open",
               Confidence::kHigh);
  }
}

}  // namespace

const Rule& ssl_redirect_off() {
  static const Rule r =
      make_rule({"RA062", "ssl-redirect-off", "HTTP not redirected to HTTPS", Severity::kMedium,
                 Confidence::kHigh, "HTTPS and configuration", kDoc},
                {"@setting", "call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
