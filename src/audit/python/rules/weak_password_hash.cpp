// RA040 weak-password-hash: a password hashed with a fast general-purpose hash.
#include "audit/python/rules/common.h"
#include "audit/python/rules/password_words.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds passwords hashed with MD5, SHA-1 or a bare SHA-2/SHA-3/BLAKE2 (`hashlib.sha256(password)`,
`hashlib.new("md5", pwd)`), salted or not.

Why: these hashes are built to be fast: a GPU tries billions of guesses a second, so a leaked
table of such hashes gives up most passwords within hours (CWE-916, CWE-759).

Example:
    user.pw_hash = hashlib.sha256(password.encode()).hexdigest()

Instead: a password hashing function with a work factor: Argon2id (argon2-cffi), scrypt,
bcrypt, or PBKDF2 with 600,000 iterations; in Django `make_password`, in Flask/Werkzeug
`generate_password_hash` (scrypt by default).

References: https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html)";

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  std::string alg = hashlib_algorithm(call, callee(ctx, call), ctx.src());
  if (alg.empty()) return;
  const CallArgs& args = ctx.args_of(call);
  TSNode data = callee(ctx, call).ends_with(".new") ? args.get(1, "data") : args.get(0, "data");
  if (is_null(data)) return;
  if (!mentions_password(data, ctx.src()) && !password_like(ctx.taint(data).source)) return;
  ctx.report(call, "password hashed with " + alg + ", a fast hash that is cheap to brute-force",
             Confidence::kHigh);
}

}  // namespace

const Rule& weak_password_hash() {
  static const Rule r =
      make_rule({"RA040", "weak-password-hash", "Password hashed with a fast hash", Severity::kHigh,
                 Confidence::kHigh, "passwords", kDoc},
                {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
