// RA030 insecure-cookie-setting: a session or CSRF cookie setting switched off.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds settings that weaken the session, CSRF and remember-me cookies:
`SESSION_COOKIE_SECURE = False`, `CSRF_COOKIE_SECURE = False`, `REMEMBER_COOKIE_SECURE = False`,
`SESSION_COOKIE_HTTPONLY = False`, `REMEMBER_COOKIE_HTTPONLY = False`, and
`SESSION_COOKIE_SAMESITE` / `CSRF_COOKIE_SAMESITE` set to `None` or `"None"`.

Why: without `Secure` the cookie travels over plain HTTP where anyone on the network reads it;
without `HttpOnly` any injected script reads it; without `SameSite` it rides along on cross-site
requests (session hijacking, CWE-614, CWE-1004, CWE-352).

Example:
    SESSION_COOKIE_SECURE = False

Instead:
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"

References: https://docs.djangoproject.com/en/stable/topics/security/,
https://flask.palletsprojects.com/en/stable/security/#set-cookie-options)";

void check(RuleContext& ctx) {
  const std::string& name = ctx.setting_name;
  TSNode v = ctx.setting_value;
  if (name == "SESSION_COOKIE_SECURE" || name == "CSRF_COOKIE_SECURE" ||
      name == "REMEMBER_COOKIE_SECURE" || name == "SESSION_COOKIE_HTTPONLY" ||
      name == "REMEMBER_COOKIE_HTTPONLY" || name == "LANGUAGE_COOKIE_SECURE") {
    if (bool_value(v, ctx.src()) == false) {
      ctx.report(ctx.setting_target, name + " = False", Confidence::kHigh);
    }
  } else if (name == "SESSION_COOKIE_SAMESITE" || name == "CSRF_COOKIE_SAMESITE") {
    auto s = string_value(v, ctx.src());
    if (is_none(v) || bool_value(v, ctx.src()) == false || (s && (*s == "None" || s->empty()))) {
      ctx.report(ctx.setting_target, name + " is off: the cookie goes with cross-site requests",
                 Confidence::kHigh);
    }
  }
}

}  // namespace

const Rule& insecure_cookie_setting() {
  static const Rule r =
      make_rule({"RA030", "insecure-cookie-setting", "Session cookie protection off",
                 Severity::kMedium, Confidence::kHigh, "sessions", kDoc},
                {"@setting"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
