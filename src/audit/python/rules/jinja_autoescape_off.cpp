// RA012 jinja-autoescape-off: a Jinja2 environment that does not escape.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds Jinja2 environments created with `autoescape=False`, or without `autoescape` at all (the
default of `jinja2.Environment` is off), and `app.jinja_env.autoescape = False`.

Why: with autoescaping off every `{{ value }}` is written into the page as markup: any data that
reaches a template is a cross-site scripting hole (CWE-79).

Example:
    env = jinja2.Environment(loader=FileSystemLoader("templates"))

Instead:
    env = jinja2.Environment(loader=FileSystemLoader("templates"),
                             autoescape=select_autoescape(["html", "xml"]))

References: https://jinja.palletsprojects.com/en/stable/api/#autoescaping,
https://cwe.mitre.org/data/definitions/79.html)";

void check(RuleContext& ctx) {
  TSNode n = ctx.node;
  if (is(n, "assignment")) {
    std::string left = dotted_name(field(n, "left"), ctx.src());
    if (ends_with(left, "jinja_env.autoescape") &&
        bool_value(field(n, "right"), ctx.src()) == false) {
      ctx.report(n, "Jinja2 autoescaping turned off", Confidence::kHigh);
    }
    return;
  }
  const std::string& q = callee(ctx, n);
  if (!(name_is(q, "jinja2.Environment") || name_is(q, "jinja2.environment.Environment"))) return;
  const CallArgs& args = ctx.args_of(n);
  TSNode ae = args.keyword("autoescape");
  if (is_null(ae)) {
    if (args.has_star) return;
    ctx.report(n, "jinja2.Environment() without autoescape= does not escape (the default is off)",
               Confidence::kMedium);
  } else if (bool_value(ae, ctx.src()) == false) {
    ctx.report(n, "jinja2.Environment(autoescape=False) does not escape", Confidence::kHigh);
  }
}

}  // namespace

const Rule& jinja_autoescape_off() {
  static const Rule r = make_rule({"RA012", "jinja-autoescape-off", "Jinja2 autoescaping off",
                                   Severity::kHigh, Confidence::kHigh, "XSS", kDoc},
                                  {"call", "assignment"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
