// RA051 private-key-literal: a private key or a provider's access token in a string.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds private keys (`-----BEGIN ... PRIVATE KEY-----`) and access tokens whose format is
known (AWS access key ids `AKIA...`, GitHub `ghp_`/`github_pat_`, Slack `xox?-`, Stripe
`sk_live_`, Google API keys `AIza...`) in string literals, whatever the variable is called.

Why: anyone who reads the source can sign as the server or use the account behind the token
(CWE-798, CWE-321). Tokens pushed to a public repository are harvested within minutes.

Example:
    AWS_KEY = "AKIAIOSFODNN7EXAMPLE"

Instead: load keys and tokens from files outside the repository or from the environment, and
revoke any that was committed.

References: https://cwe.mitre.org/data/definitions/321.html)";

bool run_of(std::string_view s, size_t from, size_t n, bool (*ok)(char)) {
  if (from + n > s.size()) return false;
  for (size_t i = from; i < from + n; ++i) {
    if (!ok(s[i])) return false;
  }
  return true;
}
bool upper_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool token_char(char c) { return upper_alnum(c) || (c >= 'a' && c <= 'z') || c == '_' || c == '-'; }

std::string kind_of_secret(std::string_view v) {
  size_t b = v.find("-----BEGIN ");
  if (b != std::string_view::npos && v.find("PRIVATE KEY-----", b) != std::string_view::npos) {
    return "a private key";
  }
  for (size_t p = v.find("AKIA"); p != std::string_view::npos; p = v.find("AKIA", p + 1)) {
    if (run_of(v, p + 4, 16, upper_alnum)) return "an AWS access key id";
  }
  for (std::string_view prefix : {"ghp_", "gho_", "ghs_", "github_pat_"}) {
    size_t p = v.find(prefix);
    if (p != std::string_view::npos && run_of(v, p + prefix.size(), 20, token_char)) {
      return "a GitHub token";
    }
  }
  for (std::string_view prefix : {"xoxb-", "xoxp-", "xoxa-", "xoxs-"}) {
    if (v.find(prefix) != std::string_view::npos) return "a Slack token";
  }
  size_t s = v.find("sk_live_");
  if (s != std::string_view::npos && run_of(v, s + 8, 16, token_char)) return "a Stripe key";
  size_t g = v.find("AIza");
  if (g != std::string_view::npos && run_of(v, g + 4, 35, token_char)) return "a Google API key";
  return "";
}

void check(RuleContext& ctx) {
  TSNode n = ctx.node;
  auto v = string_value(n, ctx.src());
  if (!v) return;
  std::string what = kind_of_secret(*v);
  if (what.empty()) return;
  if (is(n, "string") && is(parent_of(n), "concatenated_string")) return;  // judged whole
  ctx.report(n, what + " is written in the source", Confidence::kHigh);
}

}  // namespace

const Rule& private_key_literal() {
  static const Rule r =
      make_rule({"RA051", "private-key-literal", "Private key or token in the source",
                 Severity::kHigh, Confidence::kHigh, "secrets", kDoc},
                {"string", "concatenated_string"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
