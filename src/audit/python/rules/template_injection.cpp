// RA010 template-injection: a template compiled from request data (server-side template
// injection).
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds templates compiled from request data or from strings built at run time:
`render_template_string`, `jinja2.Template`, `Environment.from_string`, Django's `Template`.

Why: template syntax is code. `{{ config }}` leaks the secret key, and
`{{ ''.__class__.__mro__[1].__subclasses__() }}` reaches `os.system` (server-side template
injection, CWE-1336).

Example:
    return render_template_string("<h1>Hello " + request.args["name"] + "</h1>")

Instead: keep the template constant and pass the data as a variable, which is escaped:
    return render_template_string("<h1>Hello {{ name }}</h1>", name=request.args["name"])

References: https://portswigger.net/research/server-side-template-injection,
https://cwe.mitre.org/data/definitions/1336.html)";

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  const std::string& q = callee(ctx, call);
  std::string_view m = method_name(ctx, call);
  const CallArgs& args = ctx.args_of(call);
  std::string sink;
  if (m == "render_template_string")
    sink = "render_template_string()";
  else if (name_is(q, "jinja2.Template") || name_is(q, "jinja2.environment.Template"))
    sink = "jinja2.Template()";
  else if (m == "from_string" && is(field(call, "function"), "attribute"))
    sink = "from_string()";
  else if (name_is(q, "django.template.Template"))
    sink = "django Template()";
  else
    return;
  report_flow(ctx, call, args.get(0, "source"), kSinkAll, sink, "a template", true);
}

}  // namespace

const Rule& template_injection() {
  static const Rule r =
      make_rule({"RA010", "template-injection", "Template compiled from request data",
                 Severity::kHigh, Confidence::kHigh, "XSS", kDoc},
                {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
