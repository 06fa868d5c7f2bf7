// RA045 password-plain-storage: a password kept in a plain model field.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds passwords stored as typed: a model field named like a password declared as a plain
string column (Django `CharField`/`TextField`, SQLAlchemy `Column(String)` /
`mapped_column(String)`, Flask-SQLAlchemy `db.Column(db.String)`), and request data assigned to
such a field or passed as `password=` to a model constructor or `objects.create()` without
hashing.

Why: a single leak of the table (a backup, an SQL injection) gives every account away, and often
the same password on other sites (CWE-256).

Example:
    class Account(models.Model):
        password = models.CharField(max_length=128)
    user.password = request.POST["password"]

Instead: store a hash: Django's `AbstractBaseUser` with `set_password()` / `create_user()`,
Werkzeug's `generate_password_hash()`, argon2-cffi; name the column `password_hash`.

References: https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html)";

bool hashed_name(std::string_view name) {
  return name.find("hash") != std::string_view::npos ||
         name.find("digest") != std::string_view::npos ||
         name.find("HASH") != std::string_view::npos;
}

bool string_column(RuleContext& ctx, TSNode v) {
  if (!is(v, "call")) return false;
  std::string_view m = method_name(ctx, v);
  if (m == "CharField" || m == "TextField") return true;
  if (m == "Column" || m == "mapped_column") {
    for (TSNode a : named_children(field(v, "arguments"))) {
      TSNode t = is(a, "call") ? field(a, "function") : a;
      std::string_view tn = last_name(t, ctx.src());
      if (tn == "String" || tn == "Text" || tn == "Unicode" || tn == "VARCHAR") return true;
    }
  }
  return false;
}

bool model_class(RuleContext& ctx, TSNode cls) {
  TSNode bases = field(cls, "superclasses");
  bool model = false;
  for (TSNode b : named_children(bases)) {
    std::string d = dotted_name(b, ctx.src());
    if (ends_with(d, "AbstractBaseUser") || ends_with(d, "AbstractUser")) return false;
    // pydantic's BaseModel validates data; it stores nothing.
    if (d == "BaseModel" || ends_with(d, ".BaseModel")) continue;
    if (ends_with(d, "Model") || d == "Base" || ends_with(d, "DeclarativeBase")) model = true;
  }
  return model;
}

// A model that hashes what its password field holds (Django's AbstractBaseUser itself, or any
// model with a set_password() that calls make_password or generate_password_hash).
bool hashes_itself(RuleContext& ctx, TSNode cls) {
  std::string_view body = ctx.text(field(cls, "body"));
  return body.find("make_password(") != std::string_view::npos ||
         body.find("generate_password_hash(") != std::string_view::npos ||
         body.find("def set_password(") != std::string_view::npos;
}

// The class a constructor call makes is a model: defined in this module as one, or imported from
// a models module (`from .models import Customer`). Other classes given a password (credentials
// objects, HTTP clients, forms) do not store it.
bool model_constructor(RuleContext& ctx, TSNode call) {
  TSNode fn = field(call, "function");
  const std::string& q = callee(ctx, call);
  if (q.find("models.") != std::string::npos || q.find(".model.") != std::string::npos) return true;
  if (!is(fn, "identifier")) return false;
  std::string_view name = ctx.text(fn);
  for (TSNode c : named_children(ts_tree_root_node(call.tree))) {
    TSNode def = is(c, "decorated_definition") ? field(c, "definition") : c;
    if (is(def, "class_definition") && ctx.text(field(def, "name")) == name)
      return model_class(ctx, def) && !hashes_itself(ctx, def);
  }
  return false;
}

void check(RuleContext& ctx) {
  TSNode n = ctx.node;
  std::string_view src = ctx.src();
  if (is(n, "assignment")) {
    TSNode left = field(n, "left"), right = field(n, "right");
    std::string name = value_name(left, src);
    if (!password_like(name) || hashed_name(name) || is_null(right)) return;
    TSNode scope = enclosing(n, {"class_definition", "function_definition"});
    if (is(scope, "class_definition") && is(left, "identifier")) {
      if (model_class(ctx, scope) && !hashes_itself(ctx, scope) && string_column(ctx, right)) {
        ctx.report(n, "password field '" + name + "' stores the password as plain text",
                   Confidence::kMedium);
      }
      return;
    }
    if (is(left, "attribute") && ctx.taint(right).request) {
      ctx.report(
          n, "password from the request stored unhashed in '" + std::string(text(left, src)) + "'",
          Confidence::kHigh, {RuleContext::source_note(ctx.taint(right))});
    }
    return;
  }
  // Model(password=...) / Model.objects.create(password=...)
  std::string_view m = method_name(ctx, n);
  bool ctor = !m.empty() && m[0] >= 'A' && m[0] <= 'Z';
  if (!ctor && m != "create" && m != "get_or_create" && m != "update_or_create") return;
  if (ctor && !model_constructor(ctx, n)) return;
  const CallArgs& args = ctx.args_of(n);
  for (const auto& [k, v] : args.keywords) {
    if (!password_like(k) || hashed_name(k)) continue;
    Taint t = ctx.taint(v);
    if (t.request) {
      ctx.report(n,
                 "password from the request stored unhashed via " + std::string(m) + "(" +
                     std::string(k) + "=...)",
                 Confidence::kHigh, {RuleContext::source_note(t)});
      return;
    }
  }
}

}  // namespace

const Rule& password_plain_storage() {
  static const Rule r =
      make_rule({"RA045", "password-plain-storage", "Password stored as plain text",
                 Severity::kHigh, Confidence::kMedium, "passwords", kDoc},
                {"assignment", "call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
