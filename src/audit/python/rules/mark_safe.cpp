// RA011 mark-safe: data marked as safe HTML (Markup, mark_safe, SafeString, format_html misuse).
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds request data, or HTML assembled at run time, marked as safe so that the template engine
will not escape it: `Markup(...)`, `mark_safe(...)`, `SafeString(...)`, and `format_html` given a
format string that was itself built from data (its arguments are escaped, its format is not).

Why: the value is written into the page as markup; `<script>` in it runs in the victim's browser
(cross-site scripting, CWE-79).

Example:
    return Markup("<b>%s</b>" % request.args["name"])
    return mark_safe(f"<a href='{url}'>{label}</a>")

Instead: let the engine escape, or escape each piece:
    return Markup("<b>%s</b>") % request.args["name"]   # Markup's % escapes
    return format_html("<a href='{}'>{}</a>", url, label)

References: https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html,
https://markupsafe.palletsprojects.com/, https://cwe.mitre.org/data/definitions/79.html)";

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  const std::string& q = callee(ctx, call);
  std::string_view m = method_name(ctx, call);
  const CallArgs& args = ctx.args_of(call);
  TSNode arg = args.get(0, "s");
  if (m == "format_html") {
    if (is_null(arg)) return;
    Taint t = ctx.taint(arg);
    if (t.request_for(kSinkHtml) || (!t.literal && t.built)) {
      ctx.report(call,
                 "format_html() given a format string built at run time; only its "
                 "arguments are escaped",
                 t.request ? Confidence::kHigh : Confidence::kMedium,
                 t.request ? std::vector<std::string>{RuleContext::source_note(t)}
                           : std::vector<std::string>{});
    }
    return;
  }
  bool safe = name_is(q, "markupsafe.Markup") || name_is(q, "flask.Markup") ||
              name_is(q, "jinja2.Markup") || m == "mark_safe" || m == "SafeString" ||
              m == "SafeText" || (q == "Markup");
  if (!safe) return;
  report_flow(ctx, call, arg, kSinkHtml, std::string(m) + "()", "HTML", true);
}

}  // namespace

const Rule& mark_safe() {
  static const Rule r = make_rule({"RA011", "mark-safe", "Data marked as safe HTML",
                                   Severity::kHigh, Confidence::kHigh, "XSS", kDoc},
                                  {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
