// RA021 csrf-disabled: CSRF protection switched off in the configuration.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds configuration that turns CSRF protection off: `WTF_CSRF_ENABLED = False`,
`WTF_CSRF_CHECK_DEFAULT = False` (Flask-WTF), `CSRF_ENABLED = False`.

Why: every form and state-changing route of the application then accepts requests forged by
other sites (CWE-352).

Example:
    app.config["WTF_CSRF_ENABLED"] = False

Instead: leave it on (the default); disable it only in a test configuration that never runs in
production.

References: https://flask-wtf.readthedocs.io/en/stable/csrf/)";

void check(RuleContext& ctx) {
  const std::string& name = ctx.setting_name;
  if (name != "WTF_CSRF_ENABLED" && name != "WTF_CSRF_CHECK_DEFAULT" && name != "CSRF_ENABLED") {
    return;
  }
  if (bool_value(ctx.setting_value, ctx.src()) == false) {
    ctx.report(ctx.setting_target, name + " = False turns CSRF protection off", Confidence::kHigh);
  }
}

}  // namespace

const Rule& csrf_disabled() {
  static const Rule r = make_rule({"RA021", "csrf-disabled", "CSRF protection disabled",
                                   Severity::kHigh, Confidence::kHigh, "CSRF", kDoc},
                                  {"@setting"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
