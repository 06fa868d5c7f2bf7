// RA041 weak-hash: MD5 or SHA-1 used where they may protect something.
#include "audit/python/rules/common.h"
#include "audit/python/rules/password_words.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds MD5 and SHA-1 (`hashlib.md5`, `hashlib.sha1`, `hashlib.new("md5")`) not marked with
`usedforsecurity=False`. Password hashing is RA040's.

Why: both have practical collisions; a token, signature or integrity check built on them can be
forged (CWE-327, CWE-328).

Example:
    token = hashlib.md5(f"{user.id}{time.time()}".encode()).hexdigest()

Instead: `secrets.token_urlsafe()` for tokens, `hmac` with SHA-256 for signatures, SHA-256 for
integrity; for a non-security use (a cache key), say so: `hashlib.md5(data,
usedforsecurity=False)`.

References: https://cwe.mitre.org/data/definitions/328.html)";

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  std::string alg = hashlib_algorithm(call, callee(ctx, call), ctx.src());
  if (alg != "md5" && alg != "sha1") return;
  const CallArgs& args = ctx.args_of(call);
  if (bool_value(args.keyword("usedforsecurity"), ctx.src()) == false) return;
  TSNode data = callee(ctx, call).ends_with(".new") ? args.get(1, "data") : args.get(0, "data");
  if (!is_null(data) &&
      (mentions_password(data, ctx.src()) || password_like(ctx.taint(data).source))) {
    return;  // RA040's
  }
  ctx.report(call, alg + " is broken for security uses", Confidence::kMedium);
}

}  // namespace

const Rule& weak_hash() {
  static const Rule r = make_rule({"RA041", "weak-hash", "MD5 or SHA-1 used", Severity::kMedium,
                                   Confidence::kMedium, "passwords", kDoc},
                                  {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
