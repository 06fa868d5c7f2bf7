// RA044 django-password-hashers: PASSWORD_HASHERS led by a weak hasher.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds a Django `PASSWORD_HASHERS` whose first entry, the one that hashes new passwords, is
not Argon2, PBKDF2, BCrypt or Scrypt (for instance `MD5PasswordHasher`, left from a test
configuration, or `UnsaltedSHA1PasswordHasher`).

Why: every password set or changed is then stored with a fast hash that a leak gives away
(CWE-916).

Example:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", ...]

Instead:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher",
                        "django.contrib.auth.hashers.PBKDF2PasswordHasher", ...]

References: https://docs.djangoproject.com/en/stable/topics/auth/passwords/)";

void check(RuleContext& ctx) {
  if (ctx.setting_name != "PASSWORD_HASHERS") return;
  TSNode v = ctx.setting_value;
  if (!is(v, "list") && !is(v, "tuple")) return;
  std::vector<TSNode> items;
  for (TSNode c : named_children(v)) {
    if (!is(c, "comment")) items.push_back(c);
  }
  if (items.empty()) return;
  auto first = string_value(items[0], ctx.src());
  if (!first) return;
  std::string cls = first->substr(first->rfind('.') + 1);
  for (const char* good : {"Argon2", "PBKDF2", "BCrypt", "Scrypt"}) {
    if (cls.find(good) != std::string::npos) return;
  }
  ctx.report(items[0], "PASSWORD_HASHERS starts with " + cls + ": new passwords get a weak hash",
             Confidence::kHigh);
}

}  // namespace

const Rule& django_password_hashers() {
  static const Rule r =
      make_rule({"RA044", "django-password-hashers", "Weak first Django password hasher",
                 Severity::kHigh, Confidence::kHigh, "passwords", kDoc},
                {"@setting"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
