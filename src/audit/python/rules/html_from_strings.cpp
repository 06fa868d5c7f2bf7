// RA015 html-from-strings: HTML assembled from request data and sent as a response.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds HTML built by string operations (concatenation, `%`, `.format`, f-strings, `join`) from
request data and sent as the response: returned by a Flask view, or given to `HttpResponse`,
`make_response`, `HTMLResponse`, `Response`.

Why: the string bypasses the template engine and its escaping; `?name=<script>...` runs in the
browser of whoever follows the link (reflected XSS, CWE-79).

Example:
    return "<h1>Hello " + request.args["name"] + "</h1>"

Instead: render a template (`render_template("hello.html", name=name)`), or escape:
    return f"<h1>Hello {escape(name)}</h1>"

References: https://flask.palletsprojects.com/en/stable/security/#cross-site-scripting-xss,
https://cwe.mitre.org/data/definitions/79.html)";

bool is_response_constructor(std::string_view m) {
  return m == "HttpResponse" || m == "make_response" || m == "HTMLResponse" || m == "Response" ||
         m == "StreamingHttpResponse";
}

void check_value(RuleContext& ctx, TSNode at, TSNode value, std::string_view where) {
  if (is_null(value)) return;
  Taint t = ctx.taint(value);
  if (t.html && t.request_for(kSinkHtml) && t.built) {
    ctx.report(at, "HTML built from request data is " + std::string(where) + " unescaped",
               Confidence::kHigh, {RuleContext::source_note(t)});
  }
}

void check(RuleContext& ctx) {
  TSNode n = ctx.node;
  if (is(n, "call")) {
    std::string_view m = method_name(ctx, n);
    if (!is_response_constructor(m)) return;
    const CallArgs& args = ctx.args_of(n);
    TSNode body = args.get(0, "content");
    if (is_null(body)) body = args.keyword("text");
    if (is_null(body)) body = args.keyword("response");
    if (!is_null(body) && is(body, "call") && is_response_constructor(method_name(ctx, body))) {
      return;
    }
    check_value(ctx, n, body, "sent");
    return;
  }
  // return_statement in a Flask view: a returned str is sent as text/html.
  TSNode value = ts_node_named_child(n, 0);
  if (is(value, "expression_list")) value = ts_node_named_child(value, 0);
  std::string_view k = kind(value);
  if (k == "call") {
    std::string_view m = method_name(ctx, value);
    if (m != "format" && m != "join") return;
  } else if (k != "string" && k != "binary_operator" && k != "identifier" &&
             k != "concatenated_string" && k != "parenthesized_expression") {
    return;
  }
  Taint t = ctx.taint(value);
  if (!t.html || !t.request) return;
  const FunctionInfo* f = ctx.analysis().enclosing_function(n);
  if (!f || !f->flask_route) return;
  check_value(ctx, n, value, "returned");
}

}  // namespace

const Rule& html_from_strings() {
  static const Rule r = make_rule({"RA015", "html-from-strings", "HTML built from request data",
                                   Severity::kHigh, Confidence::kHigh, "XSS", kDoc},
                                  {"call", "return_statement"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
