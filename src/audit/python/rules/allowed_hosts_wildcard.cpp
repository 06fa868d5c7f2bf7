// RA061 allowed-hosts-wildcard: Django accepts any Host header.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc = R"(Finds `ALLOWED_HOSTS` containing `"*"`.

Why: Django then builds absolute URLs (password reset links, redirects) from whatever `Host`
header the client sends: an attacker requests a reset for the victim with `Host: evil.example`
and the victim receives a link to the attacker's site (host header poisoning, CWE-644).

Example:
    ALLOWED_HOSTS = ["*"]

Instead: list the site's names: `ALLOWED_HOSTS = ["shop.example.com"]`.

References: https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts)";

void check(RuleContext& ctx) {
  if (ctx.setting_name != "ALLOWED_HOSTS") return;
  for (TSNode item : named_children(ctx.setting_value)) {
    if (string_value(item, ctx.src()) == std::optional<std::string>("*")) {
      ctx.report(ctx.setting_target, "ALLOWED_HOSTS accepts any host ('*')", Confidence::kHigh);
      return;
    }
  }
}

}  // namespace

const Rule& allowed_hosts_wildcard() {
  static const Rule r =
      make_rule({"RA061", "allowed-hosts-wildcard", "ALLOWED_HOSTS wildcard", Severity::kMedium,
                 Confidence::kHigh, "HTTPS and configuration", kDoc},
                {"@setting"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
