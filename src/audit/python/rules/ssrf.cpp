// RA073 ssrf: the server fetches a URL chosen by the client.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"
#include "common/strings.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds HTTP clients (requests, httpx, urllib, urllib3, aiohttp) fetching a URL that comes from
request data.

Why: the attacker makes the server fetch what they cannot reach: cloud metadata
(`http://169.254.169.254/` holds credentials), internal admin services, `file://` URLs
(server-side request forgery, CWE-918).

Example:
    r = requests.get(request.args["url"])

Instead: fetch only from an allow-list of hosts, resolve the name and refuse private and
link-local addresses, and do not follow redirects blindly.

References: https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html)";

bool verb(std::string_view m) {
  return m == "get" || m == "post" || m == "put" || m == "delete" || m == "patch" || m == "head" ||
         m == "options" || m == "request" || m == "stream" || m == "urlopen" || m == "Request" ||
         m == "fetch";
}

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  const std::string& q = callee(ctx, call);
  std::string_view m = method_name(ctx, call);
  if (!verb(m)) return;
  bool client = starts_with(q, "requests.") || starts_with(q, "httpx.") ||
                starts_with(q, "urllib.request.") || starts_with(q, "urllib2.") ||
                starts_with(q, "urllib3.") || starts_with(q, "aiohttp.");
  if (!client) {
    TSNode fn = field(call, "function");
    if (!is(fn, "attribute")) return;
    std::string recv = to_lower(dotted_name(field(fn, "object"), ctx.src()));
    client = recv.find("session") != std::string::npos ||
             recv.find("client") != std::string::npos || recv.find("http") != std::string::npos;
    if (recv.find("request") != std::string::npos) client = false;
  }
  if (!client) return;
  const CallArgs& args = ctx.args_of(call);
  TSNode url = m == "request" ? args.get(1, "url") : args.get(0, "url");
  if (is_null(url)) return;
  Taint t = ctx.taint(url);
  if (t.request_for(kSinkUrl) && !t.fixed_prefix) {
    ctx.report(call, "request data chooses the URL fetched by " + std::string(m) + "()",
               Confidence::kHigh, {RuleContext::source_note(t)});
  }
}

}  // namespace

const Rule& ssrf() {
  static const Rule r = make_rule({"RA073", "ssrf", "Server-side request forgery", Severity::kHigh,
                                   Confidence::kHigh, "beyond the guide", kDoc},
                                  {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
