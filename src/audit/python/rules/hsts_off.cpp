// RA063 hsts-off: no Strict-Transport-Security.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds `SECURE_HSTS_SECONDS = 0` (or any value under a day) and Flask-Talisman's
`strict_transport_security=False`.

Why: without HSTS the browser tries plain HTTP first each time, and an attacker on the network can
keep the user on HTTP (SSL stripping, CWE-319).

Example:
    SECURE_HSTS_SECONDS = 0

Instead: `SECURE_HSTS_SECONDS = 31536000` once HTTPS works everywhere on the domain (start lower
while testing).

References: https://docs.djangoproject.com/en/stable/ref/middleware/#http-strict-transport-security,
https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security)";

void check(RuleContext& ctx) {
  if (is(ctx.node, "call")) {
    if (method_name(ctx, ctx.node) != "Talisman") return;
    const CallArgs& args = ctx.args_of(ctx.node);
    if (bool_value(args.keyword("strict_transport_security"), ctx.src()) == false) {
      ctx.report(ctx.node, "Talisman(strict_transport_security=False) sends no HSTS",
                 Confidence::kHigh);
    }
    return;
  }
  if (ctx.setting_name != "SECURE_HSTS_SECONDS") return;
  auto v = int_value(ctx.setting_value, ctx.src());
  if (v && *v < 86400) {
    ctx.report(ctx.setting_target,
               "SECURE_HSTS_SECONDS = " + std::to_string(*v) +
                   (*v == 0 ? " sends no HSTS" : " is too short to protect"),
               Confidence::kHigh);
  }
}

}  // namespace

const Rule& hsts_off() {
  static const Rule r = make_rule({"RA063", "hsts-off", "HSTS off", Severity::kMedium,
                                   Confidence::kHigh, "HTTPS and configuration", kDoc},
                                  {"@setting", "call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
