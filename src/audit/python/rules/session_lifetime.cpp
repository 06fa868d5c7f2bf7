// RA033 session-lifetime: sessions that live too long.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds session lifetimes over 7 days: `PERMANENT_SESSION_LIFETIME` and `REMEMBER_COOKIE_DURATION`
(Flask, seconds or `timedelta`), `SESSION_COOKIE_AGE` (Django, seconds).

Why: a stolen session cookie (a shared computer, a leaked log, malware) works for as long as the
session lives; short sessions bound the damage (OWASP Session Management: idle timeouts of
minutes to hours, absolute timeouts of hours to days).

Example:
    PERMANENT_SESSION_LIFETIME = timedelta(days=365)

Instead:
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

References: https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#session-expiration)";

constexpr long long kLimit = 7LL * 24 * 3600;

std::optional<long long> seconds(RuleContext& ctx, TSNode v) {
  if (auto i = int_value(v, ctx.src())) return *i;
  if (!is(v, "call")) return std::nullopt;
  const std::string& q = callee(ctx, v);
  if (!name_is(q, "timedelta")) return std::nullopt;
  const CallArgs& args = ctx.args_of(v);
  long long total = 0;
  if (!args.positional.empty()) {
    auto d = int_value(args.positional[0], ctx.src());
    if (!d) return std::nullopt;
    total += *d * 86400;
  }
  for (const auto& [k, node] : args.keywords) {
    auto n = int_value(node, ctx.src());
    if (!n) return std::nullopt;
    if (k == "weeks")
      total += *n * 7 * 86400;
    else if (k == "days")
      total += *n * 86400;
    else if (k == "hours")
      total += *n * 3600;
    else if (k == "minutes")
      total += *n * 60;
    else if (k == "seconds")
      total += *n;
  }
  return total;
}

void check(RuleContext& ctx) {
  const std::string& name = ctx.setting_name;
  if (name != "PERMANENT_SESSION_LIFETIME" && name != "SESSION_COOKIE_AGE" &&
      name != "REMEMBER_COOKIE_DURATION") {
    return;
  }
  auto s = seconds(ctx, ctx.setting_value);
  if (s && *s > kLimit) {
    ctx.report(ctx.setting_target,
               name + " is " + std::to_string(*s / 86400) +
                   " days; sessions over 7 days outlive "
                   "a stolen cookie's usefulness to the user",
               Confidence::kHigh);
  }
}

}  // namespace

const Rule& session_lifetime() {
  static const Rule r = make_rule({"RA033", "session-lifetime", "Session lifetime too long",
                                   Severity::kLow, Confidence::kHigh, "sessions", kDoc},
                                  {"@setting"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
