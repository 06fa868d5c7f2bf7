#include "audit/python/registry.h"

#include "audit/python/rules/rules.h"

namespace rampart::audit::python {

namespace {

using Factory = const Rule& (*)();

// The registry: every rule of the code audit, in code order.
constexpr Factory kRules[] = {
    rules::sql_injection,
    rules::template_injection,
    rules::mark_safe,
    rules::jinja_autoescape_off,
    rules::template_safe_filter,
    rules::template_autoescape_off,
    rules::html_from_strings,
    rules::csrf_exempt,
    rules::csrf_disabled,
    rules::django_csrf_middleware,
    rules::flask_csrf_missing,
    rules::insecure_cookie_setting,
    rules::security_settings_missing,
    rules::set_cookie_flags,
    rules::session_lifetime,
    rules::jwt_unverified,
    rules::unsigned_cookie,
    rules::weak_password_hash,
    rules::weak_hash,
    rules::password_plain_compare,
    rules::weak_hash_parameters,
    rules::django_password_hashers,
    rules::password_plain_storage,
    rules::hardcoded_secret,
    rules::private_key_literal,
    rules::debug_enabled,
    rules::allowed_hosts_wildcard,
    rules::ssl_redirect_off,
    rules::hsts_off,
    rules::tls_verify_off,
    rules::command_injection,
    rules::code_injection,
    rules::unsafe_deserialization,
    rules::ssrf,
    rules::path_traversal,
    rules::open_redirect,
    rules::xxe,
};

std::vector<const Rule*> build() {
  std::vector<const Rule*> out;
  for (Factory f : kRules) out.push_back(&f());
  return out;
}

}  // namespace

std::span<const Rule* const> all_rules() {
  static const std::vector<const Rule*> rules = build();
  return rules;
}

const Rule* find_rule(std::string_view code) {
  for (const Rule* r : all_rules()) {
    if (r->info.code == code) return r;
  }
  return nullptr;
}

}  // namespace rampart::audit::python
