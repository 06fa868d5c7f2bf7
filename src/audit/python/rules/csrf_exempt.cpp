// RA020 csrf-exempt: a view exempted from CSRF protection.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds views taken out of CSRF protection: Django's `@csrf_exempt` and Flask-WTF's
`@csrf.exempt`.

Why: the view then accepts a form posted from any site the victim visits while logged in: a
hidden form can change their e-mail, password or payment details (CWE-352). An exemption is
right only for endpoints authenticated by something other than cookies (a signed webhook, a
bearer token).

Example:
    @csrf_exempt
    def transfer(request): ...

Instead: keep the protection and send the token with the form or in the `X-CSRFToken` header;
for a webhook, verify its signature and say so next to the exemption.

References: https://docs.djangoproject.com/en/stable/ref/csrf/,
https://owasp.org/www-community/attacks/csrf)";

void check(RuleContext& ctx) {
  TSNode e = ts_node_named_child(ctx.node, 0);
  if (is(e, "call")) e = field(e, "function");
  std::string q = ctx.qualified(e);
  std::string_view last = last_name(e, ctx.src());
  if (last == "csrf_exempt" ||
      (last == "exempt" && ends_with(dotted_name(e, ctx.src()), "csrf.exempt"))) {
    ctx.report(ctx.node, "view exempted from CSRF protection", Confidence::kHigh);
  }
}

}  // namespace

const Rule& csrf_exempt() {
  static const Rule r = make_rule({"RA020", "csrf-exempt", "View exempted from CSRF protection",
                                   Severity::kMedium, Confidence::kHigh, "CSRF", kDoc},
                                  {"decorator"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
