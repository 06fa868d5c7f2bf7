#include "audit/python/rules/common.h"

#include "common/strings.h"

namespace rampart::audit::python::rules {

bool password_like(std::string_view name) {
  std::string n = to_lower(name);
  if (n.find("passport") != std::string::npos || n.find("bypass") != std::string::npos ||
      n.find("compass") != std::string::npos) {
    return false;
  }
  return n.find("password") != std::string::npos || n.find("passwd") != std::string::npos ||
         n.find("pwd") != std::string::npos || n == "pass" || n.starts_with("pass_") || n == "pw" ||
         n.starts_with("pw_") || n.ends_with("_pw") || n.ends_with("_pass") || n == "passphrase";
}

bool secret_like(std::string_view name) {
  std::string n = to_lower(name);
  // Names of settings that hold no secret: PASSWORD_FIELD, SECRET_KEY_FILE, TOKEN_LIFETIME...
  static constexpr std::string_view kNotSecret[] = {
      "_name", "_url",  "_header", "_length",  "_expiry",     "_lifetime", "_age",   "_field",
      "_type", "_path", "_file",   "_backend", "_validators", "_hashers",  "_min",   "_max",
      "_env",  "_var",  "_prefix", "_suffix",  "_param",      "_key_name", "_state", "_status"};
  for (auto suffix : kNotSecret) {
    if (n.ends_with(suffix)) return false;
  }
  if (password_like(n)) return true;
  static constexpr std::string_view kWords[] = {"secret",   "token",       "api_key",
                                                "apikey",   "access_key",  "private_key",
                                                "auth_key", "signing_key", "client_secret"};
  for (auto w : kWords) {
    if (n.find(w) != std::string::npos) return true;
  }
  return false;
}

std::string value_name(TSNode n, std::string_view src) {
  // Subscript chains (a[0][1]...) end at their first non-subscript value.
  while (is(n, "subscript") && !string_value(field(n, "subscript"), src)) n = field(n, "value");
  std::string_view k = kind(n);
  if (k == "identifier") return std::string(text(n, src));
  if (k == "attribute") return std::string(text(field(n, "attribute"), src));
  if (k == "subscript") {
    if (auto s = string_value(field(n, "subscript"), src)) return *s;
  }
  if (k == "call") {
    CallArgs a = call_args(n, src);
    std::string_view m = last_name(field(n, "function"), src);
    if ((m == "get" || m == "getlist" || m == "pop") && !a.positional.empty()) {
      if (auto s = string_value(a.positional[0], src)) return *s;
    }
  }
  return "";
}

bool report_flow(RuleContext& ctx, TSNode at, TSNode value, SinkKind sink,
                 const std::string& sink_name, std::string_view what, bool built_too) {
  if (is_null(value)) return false;
  Taint t = ctx.taint(value);
  if (t.request_for(sink)) {
    ctx.report(at, std::string(what) + " from request data reaches " + sink_name, Confidence::kHigh,
               {RuleContext::source_note(t)});
    return true;
  }
  if (built_too && t.dynamic_for(sink)) {
    ctx.report(at, std::string(what) + " built from strings at run time reaches " + sink_name,
               Confidence::kMedium);
    return true;
  }
  return false;
}

const std::string& callee(RuleContext& ctx, TSNode call) { return ctx.callee_of(call); }

std::string_view method_name(RuleContext& ctx, TSNode call) { return ctx.method_of(call); }

}  // namespace rampart::audit::python::rules
