// RA035 unsigned-cookie: identity or privileges kept in a plain cookie.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"
#include "common/strings.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds cookies whose name says they carry who the user is or what they may do (`user`,
`user_id`, `username`, `role`, `is_admin`, `auth`, `logged_in`...) set with a plain value rather
than a signed one (`set_signed_cookie`, itsdangerous, the framework's session).

Why: the browser sends back whatever the user puts in it: `role=admin` makes anyone an admin
(CWE-565, CWE-642).

Example:
    resp.set_cookie("user_id", str(user.id))

Instead: keep identity in the framework's session (`session["user_id"] = user.id` in Flask,
`request.session` in Django), or sign the value (`response.set_signed_cookie`,
`itsdangerous.URLSafeTimedSerializer`).

References: https://cwe.mitre.org/data/definitions/565.html)";

bool identity_name(std::string_view raw) {
  std::string n = to_lower(raw);
  static constexpr std::string_view kNames[] = {
      "user",     "userid",   "user_id",     "uid",     "username",   "user_name",     "role",
      "roles",    "is_admin", "admin",       "isadmin", "auth",       "authenticated", "logged_in",
      "loggedin", "is_staff", "permissions", "account", "account_id", "email",         "login"};
  for (auto k : kNames) {
    if (n == k) return true;
  }
  return false;
}

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  if (method_name(ctx, call) != "set_cookie" || !is(field(call, "function"), "attribute")) return;
  const CallArgs& args = ctx.args_of(call);
  auto name = string_value(args.get(0, "key"), ctx.src());
  if (!name || !identity_name(*name)) return;
  TSNode value = args.get(1, "value");
  if (is_null(value)) return;
  if (is(value, "call")) {
    std::string_view m = method_name(ctx, value);
    if (m == "sign" || m == "dumps" || m == "encode" || m == "encrypt") return;
  }
  ctx.report(call,
             "cookie '" + *name +
                 "' holds identity or privileges unsigned; the client can "
                 "change it",
             Confidence::kMedium);
}

}  // namespace

const Rule& unsigned_cookie() {
  static const Rule r =
      make_rule({"RA035", "unsigned-cookie", "Identity kept in an unsigned cookie", Severity::kHigh,
                 Confidence::kMedium, "sessions", kDoc},
                {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
