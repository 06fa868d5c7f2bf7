// RA043 weak-hash-parameters: a password hashing function with a weak method or work factor.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"
#include "common/strings.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds password hashing calls configured below today's minimums: Werkzeug's
`generate_password_hash(method=...)` with `plain`, `md5`, `sha1` or PBKDF2 under 100,000
iterations; `bcrypt.gensalt(rounds)` under 12; `hashlib.pbkdf2_hmac` under 100,000 iterations;
Django's `make_password(..., hasher=...)` with an MD5, SHA-1, unsalted or crypt hasher.

Why: the work factor is what makes each guess of a brute-force attack expensive; below these
values a leaked hash table falls quickly (CWE-916).

Example:
    generate_password_hash(pw, method="pbkdf2:sha1:1000")
    bcrypt.hashpw(pw, bcrypt.gensalt(rounds=8))

Instead: the defaults of current versions (`generate_password_hash(pw)` uses scrypt),
`bcrypt.gensalt()` (12) or more, PBKDF2-SHA256 with 600,000 iterations, Argon2id.

References: https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html)";

constexpr long long kMinIterations = 100000;

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  const std::string& q = callee(ctx, call);
  std::string_view m = method_name(ctx, call);
  std::string_view src = ctx.src();
  const CallArgs& args = ctx.args_of(call);
  if (m == "generate_password_hash") {
    auto method = string_value(args.get(1, "method"), src);
    if (!method) return;
    std::string lm = to_lower(*method);
    auto parts = split(lm, ':');
    std::string_view algo = parts.empty() ? "" : parts[0];
    if (algo == "plain" || algo == "md5" || algo == "sha1" ||
        (algo == "pbkdf2" && parts.size() > 1 && (parts[1] == "sha1" || parts[1] == "md5"))) {
      ctx.report(call, "generate_password_hash() with method '" + *method + "' is weak",
                 Confidence::kHigh);
    } else if (algo == "pbkdf2" && parts.size() > 2) {
      auto it = parse_u64(parts[2]);
      if (it && *it < static_cast<uint64_t>(kMinIterations)) {
        ctx.report(
            call,
            "generate_password_hash() with only " + std::string(parts[2]) + " PBKDF2 iterations",
            Confidence::kHigh);
      }
    }
  } else if (name_is(q, "bcrypt.gensalt")) {
    auto rounds = int_value(args.get(0, "rounds"), src);
    if (rounds && *rounds < 12) {
      ctx.report(call, "bcrypt with " + std::to_string(*rounds) + " rounds (12 or more needed)",
                 Confidence::kHigh);
    }
  } else if (name_is(q, "hashlib.pbkdf2_hmac")) {
    auto it = int_value(args.get(3, "iterations"), src);
    if (it && *it < kMinIterations) {
      ctx.report(call, "PBKDF2 with only " + std::to_string(*it) + " iterations",
                 Confidence::kHigh);
    }
  } else if (m == "make_password") {
    auto hasher = string_value(args.get(2, "hasher"), src);
    if (hasher && (hasher->find("md5") != std::string::npos ||
                   hasher->find("sha1") != std::string::npos || *hasher == "crypt")) {
      ctx.report(call, "make_password() with the weak hasher '" + *hasher + "'", Confidence::kHigh);
    }
  }
}

}  // namespace

const Rule& weak_hash_parameters() {
  static const Rule r =
      make_rule({"RA043", "weak-hash-parameters", "Weak password hashing parameters",
                 Severity::kHigh, Confidence::kHigh, "passwords", kDoc},
                {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
