// RA023 flask-csrf-missing: a Flask application with state-changing routes and no CSRF protection.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds Flask views that accept POST, PUT, PATCH or DELETE in a project where nothing sets up CSRF
protection (`flask_wtf.csrf.CSRFProtect`, Flask-SeaSurf). Flask itself has none.

Why: a form on any other site can post to these routes with the victim's session cookie
(CWE-352); SameSite cookies reduce but do not remove the risk (same-site subdomains, older
browsers, GET-triggered changes).

Example:
    app = Flask(__name__)
    @app.route("/transfer", methods=["POST"])
    def transfer(): ...

Instead:
    from flask_wtf.csrf import CSRFProtect
    csrf = CSRFProtect(app)

References: https://flask-wtf.readthedocs.io/en/stable/csrf/,
https://owasp.org/www-community/attacks/csrf)";

void check(RuleContext& ctx) {
  TSNode n = ctx.node;
  if (is(n, "call")) {
    const std::string& q = callee(ctx, n);
    if (name_is(q, "flask.Flask")) {
      ctx.facts().flask_apps.push_back(ctx.location(n));
    } else if (name_is(q, "CSRFProtect") || name_is(q, "SeaSurf") || name_is(q, "csrf.init_app") ||
               ends_with(q, "CSRFProtect().init_app")) {
      ctx.facts().csrf_protection = true;
    }
    return;
  }
  const FunctionInfo* f = ctx.analysis().function_at(n);
  if (!f || !f->flask_route) return;
  for (const auto& m : f->http_methods) {
    if (m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE") {
      ctx.facts().post_routes.push_back(ctx.location(field(n, "name")));
      return;
    }
  }
}

void check_project(ProjectContext& ctx) {
  bool protection = false, flask = false;
  for (const auto& f : *ctx.files) {
    protection = protection || f.csrf_protection;
    flask = flask || !f.flask_apps.empty();
  }
  if (protection || !flask) return;
  for (const auto& f : *ctx.files) {
    for (const auto& route : f.post_routes) {
      ctx.report(route, "Flask view accepts unsafe methods and no CSRF protection is set up",
                 Confidence::kMedium);
    }
  }
}

}  // namespace

const Rule& flask_csrf_missing() {
  static const Rule r =
      make_rule({"RA023", "flask-csrf-missing", "Flask app without CSRF protection",
                 Severity::kMedium, Confidence::kMedium, "CSRF", kDoc},
                {"call", "function_definition"}, check, nullptr, check_project);
  return r;
}

}  // namespace rampart::audit::python::rules
