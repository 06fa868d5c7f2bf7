// RA042 password-plain-compare: a stored password compared with == to what the user typed.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds a stored password (an attribute or key named like one: `user.password`,
`row["password"]`) compared with `==` or `!=` to another value.

Why: it means the password is stored as it was typed, so a leak of the table gives every account
away (and often the same password elsewhere); `==` also leaks through timing (CWE-256, CWE-208).

Example:
    if user.password == request.form["password"]:

Instead: store a hash and verify it: `check_password_hash(user.pw_hash, form_password)`
(Werkzeug), `user.check_password(raw)` (Django), `argon2.PasswordHasher().verify(...)`.

References: https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html)";

bool stored_password(TSNode n, std::string_view src) {
  if (!is(n, "attribute") && !is(n, "subscript")) return false;
  std::string name = value_name(n, src);
  if (!password_like(name)) return false;
  return name.find("hash") == std::string::npos && name.find("digest") == std::string::npos;
}

void check(RuleContext& ctx) {
  TSNode n = ctx.node;
  std::string_view src = ctx.src();
  std::vector<TSNode> operands;
  bool equality = false;
  for (uint32_t i = 0; i < ts_node_child_count(n); ++i) {
    TSNode c = ts_node_child(n, i);
    if (ts_node_is_named(c))
      operands.push_back(c);
    else if (text(c, src) == "==" || text(c, src) == "!=")
      equality = true;
  }
  if (!equality || operands.size() != 2) return;
  for (int i = 0; i < 2; ++i) {
    TSNode a = operands[i], b = operands[1 - i];
    if (!stored_password(a, src)) continue;
    if (is_none(b) || string_value(b, src) || is(b, "call")) return;
    std::string other = value_name(b, src);
    if (!password_like(other) && !ctx.taint(b).request) return;
    ctx.report(n, "password compared in plain text: it is stored unhashed", Confidence::kHigh);
    return;
  }
}

}  // namespace

const Rule& password_plain_compare() {
  static const Rule r =
      make_rule({"RA042", "password-plain-compare", "Password compared in plain text",
                 Severity::kHigh, Confidence::kHigh, "passwords", kDoc},
                {"comparison_operator"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
