#pragma once
// One function per rule, each defined in its own file of this folder; registry.cpp lists them.

#include "audit/python/rule.h"

namespace rampart::audit::python::rules {

const Rule& sql_injection();              // RA001
const Rule& template_injection();         // RA010
const Rule& mark_safe();                  // RA011
const Rule& jinja_autoescape_off();       // RA012
const Rule& template_safe_filter();       // RA013
const Rule& template_autoescape_off();    // RA014
const Rule& html_from_strings();          // RA015
const Rule& csrf_exempt();                // RA020
const Rule& csrf_disabled();              // RA021
const Rule& django_csrf_middleware();     // RA022
const Rule& flask_csrf_missing();         // RA023
const Rule& insecure_cookie_setting();    // RA030
const Rule& security_settings_missing();  // RA031
const Rule& set_cookie_flags();           // RA032
const Rule& session_lifetime();           // RA033
const Rule& jwt_unverified();             // RA034
const Rule& unsigned_cookie();            // RA035
const Rule& weak_password_hash();         // RA040
const Rule& weak_hash();                  // RA041
const Rule& password_plain_compare();     // RA042
const Rule& weak_hash_parameters();       // RA043
const Rule& django_password_hashers();    // RA044
const Rule& password_plain_storage();     // RA045
const Rule& hardcoded_secret();           // RA050
const Rule& private_key_literal();        // RA051
const Rule& debug_enabled();              // RA060
const Rule& allowed_hosts_wildcard();     // RA061
const Rule& ssl_redirect_off();           // RA062
const Rule& hsts_off();                   // RA063
const Rule& tls_verify_off();             // RA064
const Rule& command_injection();          // RA070
const Rule& code_injection();             // RA071
const Rule& unsafe_deserialization();     // RA072
const Rule& ssrf();                       // RA073
const Rule& path_traversal();             // RA074
const Rule& open_redirect();              // RA075
const Rule& xxe();                        // RA076

}  // namespace rampart::audit::python::rules
