// RA023 flask-csrf-missing: a Flask application with state-changing routes and no CSRF protection.
#include <algorithm>

#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds Flask views that accept POST, PUT, PATCH or DELETE in a project where nothing sets up CSRF
protection for the whole app (`flask_wtf.csrf.CSRFProtect`, Flask-SeaSurf) and the view itself
checks no token: it calls no `form.validate_on_submit()`, validates no Flask-WTF form
(`form = LoginForm(); form.validate()` with `class LoginForm(FlaskForm)`, in any file of the
project), calls no `validate_csrf()` or `csrf.protect()`, and is not a `@jwt_required` view of
Flask-JWT-Extended (whose cookies carry their own double-submit token). Flask itself has none.

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

// What the view's body does that checks a CSRF token (calls it makes, forms it validates).
void scan_view(RuleContext& ctx, TSNode def, PostRoute& route) {
  TSNode parent = parent_of(def);
  if (is(parent, "decorated_definition")) {
    for (TSNode d : named_children(parent)) {
      if (!is(d, "decorator")) continue;
      TSNode e = ts_node_named_child(d, 0);
      if (is(e, "call")) e = field(e, "function");
      if (last_name(e, ctx.src()) == "jwt_required") route.checks_token = true;
    }
  }
  std::vector<std::pair<std::string_view, std::string>> made;  // variable -> class it holds
  std::vector<TSNode> stack{field(def, "body")};
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    if (is(n, "function_definition") || is(n, "class_definition")) continue;
    if (is(n, "assignment")) {
      TSNode left = field(n, "left"), right = field(n, "right");
      if (is(left, "identifier") && is(right, "call")) {
        std::string cls(last_name(field(right, "function"), ctx.src()));
        if (!cls.empty()) made.emplace_back(ctx.text(left), std::move(cls));
      }
    } else if (is(n, "call")) {
      TSNode fn = field(n, "function");
      std::string_view m = last_name(fn, ctx.src());
      if (m == "validate_on_submit" || m == "validate_csrf") route.checks_token = true;
      if (m == "protect" && ctx.text(fn).find("csrf") != std::string_view::npos)
        route.checks_token = true;
      if (m == "validate" && is(fn, "attribute")) {
        TSNode obj = field(fn, "object");
        if (is(obj, "call")) {
          route.validated_classes.emplace_back(last_name(field(obj, "function"), ctx.src()));
        } else if (is(obj, "identifier")) {
          for (const auto& [var, cls] : made) {
            if (var == ctx.text(obj)) route.validated_classes.push_back(cls);
          }
        }
      }
    }
    Nodes children = named_children(n);
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
  }
}

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
  if (is(n, "class_definition")) {
    std::vector<std::string> bases;
    for (TSNode b : named_children(field(n, "superclasses"))) {
      if (is(b, "identifier") || is(b, "attribute")) bases.push_back(ctx.qualified(b));
    }
    ctx.facts().classes.emplace_back(std::string(ctx.text(field(n, "name"))), std::move(bases));
    return;
  }
  const FunctionInfo* f = ctx.analysis().function_at(n);
  if (!f || !f->flask_route) return;
  for (const auto& m : f->http_methods) {
    if (m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE") {
      PostRoute route;
      route.location = ctx.location(field(n, "name"));
      scan_view(ctx, n, route);
      ctx.facts().post_routes.push_back(std::move(route));
      return;
    }
  }
}

// Classes of the project that are Flask-WTF forms (directly or through other forms), by name.
std::vector<std::string> flask_wtf_forms(const std::vector<FileFacts>& files) {
  std::vector<std::string> forms;
  auto known = [&](const std::string& base) {
    std::string_view last = base;
    if (auto dot = last.rfind('.'); dot != std::string_view::npos) last = last.substr(dot + 1);
    if (last == "FlaskForm" || base == "flask_wtf.Form") return true;
    return std::find(forms.begin(), forms.end(), last) != forms.end();
  };
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& f : files) {
      for (const auto& [name, bases] : f.classes) {
        if (std::find(forms.begin(), forms.end(), name) != forms.end()) continue;
        if (std::any_of(bases.begin(), bases.end(), known)) {
          forms.push_back(name);
          grew = true;
        }
      }
    }
  }
  return forms;
}

void check_project(ProjectContext& ctx) {
  bool protection = false, flask = false;
  for (const auto& f : *ctx.files) {
    protection = protection || f.csrf_protection;
    flask = flask || !f.flask_apps.empty();
  }
  if (protection || !flask) return;
  std::vector<std::string> forms = flask_wtf_forms(*ctx.files);
  for (const auto& f : *ctx.files) {
    for (const auto& route : f.post_routes) {
      if (route.checks_token) continue;
      bool form = std::any_of(
          route.validated_classes.begin(), route.validated_classes.end(),
          [&](const auto& c) { return std::find(forms.begin(), forms.end(), c) != forms.end(); });
      if (form) continue;
      ctx.report(route.location,
                 "Flask view accepts unsafe methods and no CSRF protection is set up",
                 Confidence::kMedium);
    }
  }
}

}  // namespace

const Rule& flask_csrf_missing() {
  static const Rule r =
      make_rule({"RA023", "flask-csrf-missing", "Flask app without CSRF protection",
                 Severity::kMedium, Confidence::kMedium, "CSRF", kDoc},
                {"call", "function_definition", "class_definition"}, check, nullptr, check_project);
  return r;
}

}  // namespace rampart::audit::python::rules
