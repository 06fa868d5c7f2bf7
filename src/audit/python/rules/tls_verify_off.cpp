// RA064 tls-verify-off: outgoing HTTPS without certificate checks.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds outgoing TLS connections that do not check the server's certificate: `verify=False` in
requests and httpx calls and clients, aiohttp's `ssl=False`, `ssl._create_unverified_context()`,
`check_hostname = False`, `verify_mode = ssl.CERT_NONE`.

Why: anyone on the network path can then impersonate the server and read or change what is sent,
credentials and API tokens included (CWE-295).

Example:
    requests.get(url, verify=False)

A context's `check_hostname` or `verify_mode` set under an `if` (no host name given, the caller
asked for no checks) and a context-like class's own defaults are not reported: the choice is
made elsewhere.

Instead: keep verification on; for a private CA pass its bundle: `verify="/etc/ssl/my-ca.pem"`.

References: https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification,
https://cwe.mitre.org/data/definitions/295.html)";

bool http_client_call(const std::string& q) {
  return starts_with(q, "requests") || starts_with(q, "httpx") || starts_with(q, "aiohttp") ||
         starts_with(q, "urllib3");
}

void check(RuleContext& ctx) {
  TSNode n = ctx.node;
  std::string_view src = ctx.src();
  if (is(n, "assignment")) {
    std::string left = dotted_name(field(n, "left"), src);
    TSNode right = field(n, "right");
    // A class's own attributes (a context-like class setting its defaults), and a context set up
    // under a condition (no host name to check, the caller's cert_reqs option): the code applies
    // a choice made elsewhere, as TLS libraries do.
    if (left == "self.check_hostname" || left == "self.verify_mode") return;
    if ((ends_with(left, ".check_hostname") || ends_with(left, ".verify_mode")) &&
        !is_null(enclosing(n, {"if_statement", "function_definition"})) &&
        is(enclosing(n, {"if_statement", "function_definition"}), "if_statement")) {
      return;
    }
    if (ends_with(left, ".check_hostname") && bool_value(right, src) == false) {
      ctx.report(n, "TLS host name check turned off", Confidence::kHigh);
    } else if (ends_with(left, ".verify_mode") && ends_with(dotted_name(right, src), "CERT_NONE")) {
      ctx.report(n, "TLS certificate check turned off (CERT_NONE)", Confidence::kHigh);
    } else if (ends_with(left, ".verify") && bool_value(right, src) == false) {
      ctx.report(n, "TLS certificate check turned off for the session", Confidence::kHigh);
    }
    return;
  }
  const std::string& q = callee(ctx, n);
  if (name_is(q, "ssl._create_unverified_context")) {
    ctx.report(n, "unverified TLS context", Confidence::kHigh);
    return;
  }
  const CallArgs& args = ctx.args_of(n);
  if (bool_value(args.keyword("verify"), src) == false) {
    std::string_view m = method_name(ctx, n);
    bool client = http_client_call(q) || m == "get" || m == "post" || m == "put" || m == "delete" ||
                  m == "patch" || m == "head" || m == "request" || m == "Client" ||
                  m == "AsyncClient" || m == "urlopen";
    if (client) ctx.report(n, "HTTPS request with verify=False", Confidence::kHigh);
  } else if (bool_value(args.keyword("ssl"), src) == false && starts_with(q, "aiohttp")) {
    ctx.report(n, "aiohttp request with ssl=False", Confidence::kHigh);
  }
}

}  // namespace

const Rule& tls_verify_off() {
  static const Rule r =
      make_rule({"RA064", "tls-verify-off", "TLS certificate checks off", Severity::kHigh,
                 Confidence::kHigh, "HTTPS and configuration", kDoc},
                {"call", "assignment"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
