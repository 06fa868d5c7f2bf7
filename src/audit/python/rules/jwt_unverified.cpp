// RA034 jwt-unverified: a JWT decoded without checking its signature.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds `jwt.decode` (PyJWT, python-jose) calls that do not verify the token:
`options={"verify_signature": False}`, `verify=False`, `algorithms` that include `"none"`, or no
`algorithms=` at all (older PyJWT then trusts the algorithm named by the token itself).

Why: anyone can then forge a token for any user or role: change the payload and drop or fake the
signature (CWE-347).

Example:
    claims = jwt.decode(token, options={"verify_signature": False})

Instead:
    claims = jwt.decode(token, key, algorithms=["HS256"])

References: https://pyjwt.readthedocs.io/en/stable/api.html#jwt.decode,
https://cwe.mitre.org/data/definitions/347.html)";

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  const std::string& q = callee(ctx, call);
  if (!(name_is(q, "jwt.decode") || name_is(q, "jose.jwt.decode") ||
        name_is(q, "jwt.JWT().decode"))) {
    return;
  }
  if (!starts_with(q, "jwt") && !starts_with(q, "jose")) return;
  std::string_view src = ctx.src();
  const CallArgs& args = ctx.args_of(call);
  TSNode options = args.keyword("options");
  if (is(options, "dictionary")) {
    for (TSNode p : named_children(options)) {
      auto key = string_value(field(p, "key"), src);
      if (key && (*key == "verify_signature") && bool_value(field(p, "value"), src) == false) {
        ctx.report(call, "jwt.decode() with verify_signature off accepts forged tokens",
                   Confidence::kHigh);
        return;
      }
    }
  }
  if (bool_value(args.keyword("verify"), src) == false) {
    ctx.report(call, "jwt.decode(verify=False) accepts forged tokens", Confidence::kHigh);
    return;
  }
  TSNode algs = args.keyword("algorithms");
  if (is_null(algs)) {
    if (args.has_star) return;
    ctx.report(call, "jwt.decode() without algorithms= lets the token choose its algorithm",
               Confidence::kMedium);
    return;
  }
  for (TSNode a : named_children(algs)) {
    auto s = string_value(a, src);
    if (s && (*s == "none" || *s == "None" || *s == "NONE")) {
      ctx.report(call, "jwt.decode() accepts the \"none\" algorithm: unsigned tokens pass",
                 Confidence::kHigh);
      return;
    }
  }
}

}  // namespace

const Rule& jwt_unverified() {
  static const Rule r = make_rule({"RA034", "jwt-unverified", "JWT decoded without verification",
                                   Severity::kHigh, Confidence::kHigh, "sessions", kDoc},
                                  {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
