// RA070 command-injection: a shell command built from data.
#include <vector>

#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds commands built from request data or at run time that reach a shell: `os.system`,
`os.popen`, `subprocess.*(..., shell=True)`, `subprocess.getoutput`, `asyncio.create_subprocess_shell`;
and request data choosing the program run by `subprocess` or `os.exec*`/`os.spawn*`.

Why: the shell reads `;`, `|`, `$()` and backquotes in the data as commands: `?host=x; rm -rf /`
(CWE-78).

Example:
    os.system("ping -c 1 " + request.args["host"])

Instead: no shell, a list of arguments, and validation of the value:
    subprocess.run(["ping", "-c", "1", host], check=True)

References: https://docs.python.org/3/library/subprocess.html#security-considerations,
https://cwe.mitre.org/data/definitions/78.html)";

// True when every binding of `name` in the call's function is a list or tuple whose first
// element carries no request data (`cmd = [sys.executable, "-m", "pip"]`): what is appended later
// adds arguments and does not choose the program.
bool program_fixed(RuleContext& ctx, TSNode call, std::string_view name) {
  TSNode fn = enclosing(call, {"function_definition"});
  if (is_null(fn)) return false;
  bool any = false;
  std::vector<TSNode> stack{field(fn, "body")};
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    if (is(n, "function_definition") || is(n, "class_definition")) continue;
    if (is(n, "assignment") || is(n, "augmented_assignment") || is(n, "for_statement") ||
        is(n, "named_expression") || is(n, "with_item")) {
      TSNode left = is(n, "named_expression") ? field(n, "name") : field(n, "left");
      if (is(n, "with_item") || (is(left, "identifier") && ctx.text(left) == name)) {
        if (is(n, "with_item")) {
          if (ctx.text(n).find(name) != std::string_view::npos) return false;
        } else {
          TSNode right = is(n, "named_expression") ? field(n, "value") : field(n, "right");
          if (!is(n, "assignment") || !(is(right, "list") || is(right, "tuple"))) return false;
          TSNode first = ts_node_named_child(right, 0);
          if (is_null(first) || ctx.taint(first).request) return false;
          any = true;
        }
      } else if (!is(left, "identifier") && ctx.text(left).find(name) != std::string_view::npos) {
        return false;  // a, cmd = ... or cmd[0] = ...: not followed
      }
    }
    for (TSNode c : named_children(n)) stack.push_back(c);
  }
  return any;
}

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  const std::string& q = callee(ctx, call);
  std::string_view src = ctx.src();
  const CallArgs& args = ctx.args_of(call);
  bool always_shell =
      name_is(q, "os.system") || name_is(q, "os.popen") || name_is(q, "subprocess.getoutput") ||
      name_is(q, "subprocess.getstatusoutput") || name_is(q, "commands.getoutput") ||
      name_is(q, "asyncio.create_subprocess_shell");
  if (always_shell) {
    report_flow(ctx, call, args.get(0, "cmd"), kSinkCommand, q + "()", "a shell command", true);
    return;
  }
  bool subprocess = starts_with(q, "subprocess.") &&
                    (ends_with(q, ".run") || ends_with(q, ".call") || ends_with(q, ".Popen") ||
                     ends_with(q, ".check_output") || ends_with(q, ".check_call"));
  bool exec = starts_with(q, "os.exec") || starts_with(q, "os.spawn") ||
              name_is(q, "asyncio.create_subprocess_exec");
  if (!subprocess && !exec) return;
  TSNode cmd = args.get(0, "args");
  if (subprocess && bool_value(args.keyword("shell"), src) == true) {
    report_flow(ctx, call, cmd, kSinkCommand, q + "(shell=True)", "a shell command", true);
    return;
  }
  // Without a shell, only the program itself matters: the first element of a list.
  TSNode program = cmd;
  if (is(cmd, "list") || is(cmd, "tuple")) program = ts_node_named_child(cmd, 0);
  if (is_null(program)) return;
  if (is(cmd, "identifier") && program_fixed(ctx, call, ctx.text(cmd))) return;
  Taint t = ctx.taint(program);
  if (t.request_for(kSinkCommand)) {
    ctx.report(call, "request data chooses the program run by " + q + "()", Confidence::kHigh,
               {RuleContext::source_note(t)});
  }
}

}  // namespace

const Rule& command_injection() {
  static const Rule r = make_rule({"RA070", "command-injection", "Shell command built from data",
                                   Severity::kHigh, Confidence::kHigh, "beyond the guide", kDoc},
                                  {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
