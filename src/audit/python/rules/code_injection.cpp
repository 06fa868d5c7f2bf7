// RA071 code-injection: eval/exec of data.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds `eval`, `exec` and `compile` run on request data or on strings built at run time.

Why: the data is run as Python with the application's rights: `__import__('os').system(...)`
(CWE-94, CWE-95).

Example:
    result = eval(request.args["expr"])

Instead: parse what you expect: `ast.literal_eval` for Python literals, `json.loads` for JSON, a
small parser or a lookup table for expressions.

References: https://docs.python.org/3/library/functions.html#eval,
https://cwe.mitre.org/data/definitions/95.html)";

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  TSNode fn = field(call, "function");
  if (!is(fn, "identifier")) return;
  std::string_view name = ctx.text(fn);
  if (name != "eval" && name != "exec" && name != "compile") return;
  if (ctx.qualified(fn) != name) return;  // an imported function of that name
  const CallArgs& args = ctx.args_of(call);
  report_flow(ctx, call, args.get(0, "source"), kSinkCommand, std::string(name) + "()", "code",
              true);
}

}  // namespace

const Rule& code_injection() {
  static const Rule r = make_rule({"RA071", "code-injection", "eval or exec of data",
                                   Severity::kHigh, Confidence::kHigh, "beyond the guide", kDoc},
                                  {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
