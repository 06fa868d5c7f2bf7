// RA001 sql-injection: SQL text built from data reaches a query.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds SQL text built from request data, or assembled at run time with concatenation, `%`,
`.format`, f-strings or `join`, that reaches `cursor.execute`/`executemany`/`executescript`,
Django's `.raw()`, `.extra()` and `RawSQL`, SQLAlchemy's `text()`, `exec_driver_sql` and
`session.execute`/`connection.execute`.

Why: the database parses the attacker's text as SQL: `' OR 1=1 --` reads every row, `; DROP
TABLE` destroys them (OWASP A03 Injection, CWE-89).

Text built at run time is not reported when the values are passed as parameters beside it, when
its run-time parts went through the database's quoting (`quote_name`, `quote_ident`, psycopg's
`sql.Identifier`), or when a `%d`-style format makes them numbers; request data is reported
always.

Example:
    cur.execute("SELECT * FROM users WHERE name = '%s'" % request.args["name"])

Instead: pass the values as parameters and let the driver quote them:
    cur.execute("SELECT * FROM users WHERE name = %s", (request.args["name"],))
    User.objects.raw("SELECT * FROM app_user WHERE name = %s", [name])
    session.execute(text("SELECT * FROM users WHERE name = :name"), {"name": name})

References: https://owasp.org/www-community/attacks/SQL_Injection,
https://docs.djangoproject.com/en/stable/topics/db/sql/, https://cwe.mitre.org/data/definitions/89.html)";

bool is_text_call(RuleContext& ctx, TSNode n) {
  if (!is(n, "call")) return false;
  const std::string& q = callee(ctx, n);
  return (starts_with(q, "sqlalchemy") && ends_with(q, ".text")) || name_is(q, "RawSQL");
}

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  const std::string& q = callee(ctx, call);
  std::string m(method_name(ctx, call));
  const CallArgs& args = ctx.args_of(call);
  if (m == "execute" || m == "executemany" || m == "executescript" || m == "exec_driver_sql" ||
      m == "raw" || m == "mogrify") {
    if (!is(field(call, "function"), "attribute")) return;
    TSNode sql = args.get(0, "sql");
    if (is_null(sql)) sql = args.keyword("query");
    if (is_null(sql)) sql = args.keyword("statement");
    if (is_null(sql) || is_text_call(ctx, sql)) return;
    // Values passed as parameters: the code binds its data, and what it assembled at run time is
    // the statement's shape (table and column names, placeholders), as database layers do. Only
    // request data in the text is reported then.
    TSNode params = args.get(1, "params");
    if (is_null(params)) params = args.keyword("parameters");
    bool bound = !is_null(params) && !is_none(params);
    report_flow(ctx, call, sql, kSinkSql, m + "()", "SQL", !bound);
  } else if (is_text_call(ctx, call)) {
    bool raw = name_is(q, "RawSQL");
    TSNode params = raw ? args.get(1, "params") : TSNode{};
    bool bound = !is_null(params) && !is_none(params);
    report_flow(ctx, call, args.get(0, "sql"), kSinkSql, std::string(raw ? "RawSQL()" : "text()"),
                "SQL", !bound);
  } else if (m == "extra" && is(field(call, "function"), "attribute")) {
    for (const char* key : {"where", "select", "tables", "order_by"}) {
      TSNode v = args.keyword(key);
      if (!is_null(v) && report_flow(ctx, call, v, kSinkSql, "extra()", "SQL", true)) return;
    }
  }
}

}  // namespace

const Rule& sql_injection() {
  static const Rule r = make_rule({"RA001", "sql-injection", "SQL built from data reaches a query",
                                   Severity::kHigh, Confidence::kHigh, "SQL injection", kDoc},
                                  {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
