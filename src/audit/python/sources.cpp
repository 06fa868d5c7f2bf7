#include "audit/python/sources.h"

#include <algorithm>
#include <array>

#include "audit/python/imports.h"
#include "audit/python/taint.h"

namespace rampart::audit::python {

namespace {

template <size_t N>
bool in(const std::array<std::string_view, N>& set, std::string_view s) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

constexpr std::array<std::string_view, 29> kRequestAttributes = {
    // Flask / Werkzeug / Quart
    "args", "form", "values", "json", "cookies", "headers", "files", "data", "stream",
    "query_string", "path", "full_path", "url", "base_url", "referrer", "view_args",
    // Django
    "GET", "POST", "COOKIES", "META", "body", "FILES",
    // Starlette / FastAPI / DRF
    "query_params", "path_params",
    // aiohttp
    "match_info", "query", "rel_url", "content", "raw_path"};

constexpr std::array<std::string_view, 10> kRequestMethods = {
    "get_json", "get_data", "json", "body", "form", "post", "text", "read", "multipart", "getlist"};

constexpr std::array<std::string_view, 14> kCleanAnnotations = {"int",
                                                                "float",
                                                                "bool",
                                                                "UUID",
                                                                "date",
                                                                "datetime",
                                                                "time",
                                                                "Decimal",
                                                                "Session",
                                                                "AsyncSession",
                                                                "BackgroundTasks",
                                                                "Response",
                                                                "PositiveInt",
                                                                "conint"};

constexpr std::array<std::string_view, 22> kTypeConversions = {
    "int",        "float",      "bool",     "len",     "abs",     "round",     "ord",     "hash",
    "id",         "isinstance", "callable", "hasattr", "isdigit", "isnumeric", "isalnum", "isalpha",
    "startswith", "endswith",   "count",    "index",   "find",    "exists"};

constexpr std::array<std::string_view, 24> kStringMethods = {
    "format", "join",  "replace",    "strip",        "lstrip",       "rstrip",
    "lower",  "upper", "title",      "capitalize",   "casefold",     "encode",
    "decode", "str",   "format_map", "removeprefix", "removesuffix", "center",
    "ljust",  "rjust", "zfill",      "expandtabs",   "swapcase",     "translate"};

constexpr std::array<std::string_view, 8> kMutators = {
    "append", "extend", "insert", "add", "update", "setdefault", "appendleft", "push"};

}  // namespace

bool is_request_attribute(std::string_view attr) { return in(kRequestAttributes, attr); }
bool is_request_method(std::string_view method) { return in(kRequestMethods, method); }

bool is_request_parameter(std::string_view name, std::string_view annotation) {
  std::string_view a = annotation.substr(
      annotation.rfind('.') == std::string_view::npos ? 0 : annotation.rfind('.') + 1);
  if (a == "Request" || a == "HttpRequest" || a == "WSGIRequest" || a == "ASGIRequest" ||
      a == "BaseRequest")
    return true;
  return annotation.empty() && (name == "request" || name == "req");
}

bool is_clean_annotation(std::string_view annotation) {
  std::string_view a = annotation;
  if (auto dot = a.rfind('.'); dot != std::string_view::npos) a = a.substr(dot + 1);
  if (auto br = a.find('['); br != std::string_view::npos) a = a.substr(0, br);
  return in(kCleanAnnotations, a);
}

uint8_t sanitizer_mask(std::string_view q, std::string_view last) {
  // Builtins and str methods whose result is a number or a bool ("x.isdigit()").
  if (in(kTypeConversions, last)) return kSinkAll;
  if (name_is(q, "uuid.UUID") || name_is(q, "decimal.Decimal") || name_is(q, "datetime")) {
    return kSinkAll;
  }
  if (last == "escape" || last == "conditional_escape" || name_is(q, "bleach.clean") ||
      last == "escape_html" || last == "quoteattr" || last == "urlencode") {
    return kSinkHtml;
  }
  if (name_is(q, "shlex.quote") || name_is(q, "pipes.quote") || name_is(q, "shlex.join")) {
    return kSinkCommand;
  }
  if (last == "secure_filename" || name_is(q, "os.path.basename") || last == "safe_join") {
    return kSinkPath;
  }
  if (name_is(q, "sql.Identifier") || name_is(q, "sql.Literal") || name_is(q, "sql.Placeholder")) {
    return kSinkSql;
  }
  // The databases' own quoting of identifiers and values (Django's connection.ops.quote_name and
  // schema_editor.quote_value, psycopg's quote_ident, MySQLdb's escape_string).
  static constexpr std::array<std::string_view, 9> kSqlQuoting = {
      "quote_name",    "quote_name_unless_alias", "quote_ident",   "quote_identifier",
      "quote_value",   "quote_literal",           "escape_string", "escape_identifier",
      "escape_literal"};
  if (in(kSqlQuoting, last)) return kSinkSql;
  if (last == "quote" || last == "quote_plus") return kSinkHtml | kSinkCommand | kSinkUrl;
  return 0;
}

bool is_string_method(std::string_view method) { return in(kStringMethods, method); }
bool is_container_mutator(std::string_view method) { return in(kMutators, method); }

}  // namespace rampart::audit::python
