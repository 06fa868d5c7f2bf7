// RA022 django-csrf-middleware: Django's MIDDLEWARE without CsrfViewMiddleware.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds a Django `MIDDLEWARE` (or old-style `MIDDLEWARE_CLASSES`) list that does not contain
`django.middleware.csrf.CsrfViewMiddleware`.

Why: without the middleware no view checks the CSRF token, whatever the templates send: every
form of the site can be forged from another site (CWE-352).

Example:
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware",
                  "django.contrib.sessions.middleware.SessionMiddleware"]

Instead: keep `"django.middleware.csrf.CsrfViewMiddleware"` in the list (after the session
middleware), as `startproject` writes it.

References: https://docs.djangoproject.com/en/stable/ref/csrf/)";

void check(RuleContext& ctx) {
  if (ctx.setting_name != "MIDDLEWARE" && ctx.setting_name != "MIDDLEWARE_CLASSES") return;
  TSNode v = ctx.setting_value;
  if (!is(v, "list") && !is(v, "tuple")) return;
  for (TSNode item : named_children(v)) {
    if (is(item, "comment")) continue;
    auto s = string_value(item, ctx.src());
    if (!s) return;  // not a literal list: cannot tell
    if (ends_with(*s, "CsrfViewMiddleware")) return;
  }
  ctx.report(ctx.setting_target, ctx.setting_name + " has no CsrfViewMiddleware",
             Confidence::kHigh);
}

}  // namespace

const Rule& django_csrf_middleware() {
  static const Rule r =
      make_rule({"RA022", "django-csrf-middleware", "Django CSRF middleware missing",
                 Severity::kHigh, Confidence::kHigh, "CSRF", kDoc},
                {"@setting"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
