// RA074 path-traversal: a file path chosen by the client.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds file operations on a path that comes from request data: `open`, `io.open`,
`codecs.open`, Flask's `send_file` and the directory of `send_from_directory`, `FileResponse`,
`os.remove`/`unlink`/`rmdir`, `shutil` copies, moves and `rmtree`, and `Path(...)` reads and writes.
`secure_filename`, `os.path.basename` and `safe_join` make a value safe.

Why: `../../etc/passwd` or an absolute path reads, overwrites or deletes any file the application
can reach (CWE-22).

Example:
    return send_file(os.path.join("uploads", request.args["name"]))

Instead:
    return send_from_directory("uploads", request.args["name"])   # checks the path stays inside
    path = os.path.join(UPLOADS, secure_filename(name))

References: https://owasp.org/www-community/attacks/Path_Traversal,
https://flask.palletsprojects.com/en/stable/api/#flask.send_from_directory)";

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  const std::string& q = callee(ctx, call);
  std::string_view m = method_name(ctx, call);
  const CallArgs& args = ctx.args_of(call);
  TSNode path;
  std::string sink;
  if (q == "open" || name_is(q, "io.open") || name_is(q, "codecs.open") ||
      name_is(q, "flask.send_file") || m == "send_file" || m == "FileResponse" ||
      name_is(q, "os.remove") || name_is(q, "os.unlink") || name_is(q, "os.rmdir") ||
      name_is(q, "os.listdir") || name_is(q, "shutil.rmtree") || name_is(q, "shutil.copy") ||
      name_is(q, "shutil.copyfile") || name_is(q, "shutil.move") || name_is(q, "aiofiles.open")) {
    path = args.get(0, "file");
    if (is_null(path)) path = args.get(0, "path");
    sink = (q.empty() ? std::string(m) : q) + "()";
  } else if (m == "send_from_directory") {
    path = args.get(0, "directory");
    sink = "send_from_directory() as the directory";
  } else if ((m == "read_text" || m == "read_bytes" || m == "write_text" || m == "write_bytes" ||
              m == "open" || m == "unlink") &&
             is(field(call, "function"), "attribute")) {
    path = field(field(call, "function"), "object");
    sink = "Path." + std::string(m) + "()";
  } else {
    return;
  }
  if (is_null(path)) return;
  Taint t = ctx.taint(path);
  if (t.request_for(kSinkPath)) {
    ctx.report(call, "request data chooses the file path given to " + sink, Confidence::kHigh,
               {RuleContext::source_note(t)});
  }
}

}  // namespace

const Rule& path_traversal() {
  static const Rule r = make_rule({"RA074", "path-traversal", "File path from request data",
                                   Severity::kHigh, Confidence::kHigh, "beyond the guide", kDoc},
                                  {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
