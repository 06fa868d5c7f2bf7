#pragma once
// Helpers shared by the rules: names that look like passwords or secrets, and the reporting of a
// value that reaches a sink (request data: high confidence; a string built at run time: lower).

#include <string>
#include <string_view>

#include "audit/python/rule.h"
#include "audit/python/syntax.h"

namespace rampart::audit::python::rules {

// "password", "user_pwd", "passwd", "PASS_HASH"... (not "passport", "bypass").
bool password_like(std::string_view name);
// "SECRET_KEY", "api_token", "aws_secret_access_key", "private_key"...
bool secret_like(std::string_view name);
// The identifier an expression names at its end: `user.password` -> "password",
// `data["password"]` -> "password", `request.form.get("pwd")` -> "pwd".
std::string value_name(TSNode n, std::string_view src);

// Reports `at` when `value` carries request data (confidence high) or, if `built_too`, is a
// string built at run time (confidence medium). Returns true when it reported.
bool report_flow(RuleContext& ctx, TSNode at, TSNode value, SinkKind sink,
                 const std::string& sink_name, std::string_view what, bool built_too);

// The callee's qualified name of a call node ("" when none).
const std::string& callee(RuleContext& ctx, TSNode call);
std::string_view method_name(RuleContext& ctx, TSNode call);

}  // namespace rampart::audit::python::rules
