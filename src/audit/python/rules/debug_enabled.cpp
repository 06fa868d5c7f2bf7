// RA060 debug-enabled: debug mode on.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds debug mode switched on: `DEBUG = True` (Django settings, Flask config and config
classes), `app.debug = True`, `app.config["DEBUG"] = True`, `app.run(debug=True)`.

Why: Werkzeug's debugger runs any Python typed into the error page (remote code execution);
Django's debug pages show settings, SQL and source to any visitor (CWE-489, CWE-215).

Example:
    app.run(host="0.0.0.0", debug=True)

Instead: read it from the environment, off by default, and never run the development server in
production:
    DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

References: https://flask.palletsprojects.com/en/stable/debugging/,
https://docs.djangoproject.com/en/stable/ref/settings/#debug)";

void check(RuleContext& ctx) {
  if (is(ctx.node, "call")) {
    TSNode call = ctx.node;
    if (method_name(ctx, call) != "run" || !is(field(call, "function"), "attribute")) return;
    const CallArgs& args = ctx.args_of(call);
    if (bool_value(args.keyword("debug"), ctx.src()) == true) {
      ctx.report(call, "application run with debug=True", Confidence::kHigh);
    }
    return;
  }
  if (ctx.setting_name != "DEBUG" && ctx.setting_name != "FLASK_DEBUG") return;
  if (bool_value(ctx.setting_value, ctx.src()) == true) {
    ctx.report(ctx.setting_target, ctx.setting_name + " = True", Confidence::kHigh);
  }
}

}  // namespace

const Rule& debug_enabled() {
  static const Rule r = make_rule({"RA060", "debug-enabled", "Debug mode on", Severity::kHigh,
                                   Confidence::kHigh, "HTTPS and configuration", kDoc},
                                  {"@setting", "call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
