// RA076 xxe: XML parsers that resolve entities.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds XML parsing that expands entities: lxml's `XMLParser(resolve_entities=True)`,
`XMLParser(no_network=False)`, `load_dtd=True`; SAX parsers with `feature_external_ges` on; and
request data parsed by lxml, `xml.dom.minidom`, `xml.sax` or `xml.etree` (entity expansion).
`defusedxml` is the safe replacement.

Why: an external entity reads local files (`<!ENTITY x SYSTEM "file:///etc/passwd">`) or makes
requests from the server; nested entities exhaust memory ("billion laughs") (CWE-611, CWE-776).

Example:
    tree = lxml.etree.fromstring(request.data)

Instead:
    from defusedxml.ElementTree import fromstring
    tree = fromstring(request.data)

References: https://docs.python.org/3/library/xml.html#xml-vulnerabilities,
https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html)";

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  const std::string& q = callee(ctx, call);
  std::string_view m = method_name(ctx, call);
  std::string_view src = ctx.src();
  const CallArgs& args = ctx.args_of(call);
  if (starts_with(q, "lxml.") && m == "XMLParser") {
    if (bool_value(args.keyword("resolve_entities"), src) == true ||
        bool_value(args.keyword("no_network"), src) == false ||
        bool_value(args.keyword("load_dtd"), src) == true) {
      ctx.report(call, "lxml parser set to resolve entities or load external DTDs",
                 Confidence::kHigh);
    }
    return;
  }
  if (m == "setFeature") {
    auto first = args.get(0, "name");
    std::string feature = dotted_name(first, src);
    if (ends_with(feature, "feature_external_ges") &&
        bool_value(args.get(1, "state"), src) == true) {
      ctx.report(call, "SAX parser set to resolve external entities", Confidence::kHigh);
    }
    return;
  }
  bool parser =
      (starts_with(q, "lxml.etree.") || starts_with(q, "xml.dom.minidom.") ||
       starts_with(q, "xml.sax.") || starts_with(q, "xml.etree.") ||
       starts_with(q, "xml.dom.pulldom.")) &&
      (m == "fromstring" || m == "parse" || m == "parseString" || m == "XML" || m == "iterparse");
  if (!parser) return;
  TSNode data = args.get(0, "source");
  if (is_null(data)) return;
  Taint t = ctx.taint(data);
  if (t.request) {
    ctx.report(call, "request data parsed as XML by " + q + "(), which expands entities",
               Confidence::kHigh, {RuleContext::source_note(t)});
  }
}

}  // namespace

const Rule& xxe() {
  static const Rule r = make_rule({"RA076", "xxe", "XML entity expansion", Severity::kHigh,
                                   Confidence::kHigh, "beyond the guide", kDoc},
                                  {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
