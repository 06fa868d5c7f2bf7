// RA050 hardcoded-secret: a secret key, password or token written in the source.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"
#include "common/strings.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds string literals given to names that hold secrets: `SECRET_KEY = "..."`,
`app.secret_key = "..."`, `app.config["JWT_SECRET_KEY"] = "..."`, `DB_PASSWORD = "..."`,
`connect(password="...")`, `{"api_token": "..."}`, and the default of
`os.environ.get("SECRET_KEY", "...")`.

Why: the source is copied to every laptop, CI runner, backup and sometimes a public repository.
A known `SECRET_KEY` lets anyone sign session cookies (log in as anyone) and, with Django's
pickled sessions of old, run code (CWE-798).

Example:
    SECRET_KEY = "django-insecure-7x!q..."

Instead: read it from the environment or a secret store and fail when it is absent:
    SECRET_KEY = os.environ["SECRET_KEY"]

References: https://cwe.mitre.org/data/definitions/798.html,
https://docs.djangoproject.com/en/stable/ref/settings/#secret-key)";

// Placeholders and values that are not secrets.
bool real_secret(const std::string& v) {
  if (v.size() < 3) return false;
  // A mask ("********", ":****", "xxxx") or a symbol (an emoji named "secret") hides or names a
  // secret and is none: a credential has letters or digits, and not only x's.
  bool alnum = false, only_x = true;
  for (char c : v) {
    bool letter_or_digit =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    alnum = alnum || letter_or_digit;
    if (letter_or_digit && c != 'x' && c != 'X') only_x = false;
  }
  if (!alnum || only_x) return false;
  static constexpr std::string_view kNot[] = {"None",  "null",  "changeme-in-env", "Bearer",
                                              "Basic", "Token", "password",        "secret"};
  for (auto n : kNot) {
    if (v == n) return v == "password" || v == "secret";  // these two are real (and bad)
  }
  // A state or a switch ("yes", "disabled": sysconfig's MODULE_PWD_STATE) names no credential.
  static constexpr std::string_view kStates[] = {"yes",     "no",       "true",     "false",
                                                 "on",      "off",      "enabled",  "disabled",
                                                 "missing", "required", "optional", "none"};
  std::string lower = to_lower(v);
  for (auto st : kStates) {
    if (lower == st) return false;
  }
  // A pattern: a character class with a range ("[-!#$%^&'*+.^_`|~0-9a-zA-Z]+", a token grammar).
  size_t open = v.find('['), close = v.rfind(']');
  if (open != std::string::npos && close != std::string::npos && open < close) {
    std::string_view cls = std::string_view(v).substr(open, close - open);
    if (cls.find("a-z") != std::string_view::npos || cls.find("0-9") != std::string_view::npos ||
        cls.find("A-Z") != std::string_view::npos)
      return false;
  }
  if (v.find(' ') != std::string::npos && v.size() > 60) return false;  // prose, a message
  if (v.starts_with("{") || v.starts_with("%(") || v.starts_with("$")) return false;
  return true;
}

// Token-like names (TOKEN, API_KEY...) also name things that are not secrets (a session key, a
// URL part): for them the value must look generated: a digit, or 20 characters of mixed case.
bool looks_generated(const std::string& v) {
  bool upper = false, lower = false;
  for (char c : v) {
    if (c >= '0' && c <= '9') return true;
    upper = upper || (c >= 'A' && c <= 'Z');
    lower = lower || (c >= 'a' && c <= 'z');
  }
  return v.size() >= 20 && upper && lower;
}

void maybe_report(RuleContext& ctx, TSNode at, std::string_view name, TSNode value) {
  if (!secret_like(name)) return;
  auto v = string_value(value, ctx.src());
  if (!v || !real_secret(*v)) return;
  if (v->find_first_of(" \t\n") != std::string::npos) return;  // prose, SQL, a message
  std::string lower = to_lower(name);
  bool strong_name = password_like(lower) || lower.find("secret") != std::string::npos;
  if (!strong_name && !looks_generated(*v)) return;
  ctx.report(at, "hard-coded secret in '" + std::string(name) + "'", Confidence::kHigh);
}

void check(RuleContext& ctx) {
  TSNode n = ctx.node;
  std::string_view src = ctx.src();
  std::string_view k = kind(n);
  if (k == "assignment") {
    TSNode left = field(n, "left");
    std::string name = value_name(left, src);
    maybe_report(ctx, n, name, field(n, "right"));
  } else if (k == "keyword_argument") {
    // Keyword arguments of config.update() are settings and reach the "assignment"-like path
    // through here too.
    maybe_report(ctx, n, text(field(n, "name"), src), field(n, "value"));
  } else if (k == "pair") {
    auto key = string_value(field(n, "key"), src);
    if (key) maybe_report(ctx, n, *key, field(n, "value"));
  } else if (k == "call") {
    const std::string& q = callee(ctx, n);
    if (!(name_is(q, "os.environ.get") || name_is(q, "os.getenv") ||
          name_is(q, "os.environ.setdefault"))) {
      return;
    }
    const CallArgs& args = ctx.args_of(n);
    auto key = string_value(args.get(0, "key"), src);
    if (key) maybe_report(ctx, n, *key, args.get(1, "default"));
  }
}

}  // namespace

const Rule& hardcoded_secret() {
  static const Rule r = make_rule({"RA050", "hardcoded-secret", "Hard-coded secret",
                                   Severity::kHigh, Confidence::kHigh, "secrets", kDoc},
                                  {"assignment", "keyword_argument", "pair", "call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
