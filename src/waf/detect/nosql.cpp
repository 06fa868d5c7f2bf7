// NoSQL (MongoDB) operator injection: query operators where the application expects plain
// values, in argument names ("user[$ne]=x", JSON keys "$where") or as JSON text inside a value.

#include <algorithm>

#include "waf/detect/detector.h"

namespace rampart::waf {
namespace {

constexpr std::string_view kOperators[] = {
    "$ne",         "$eq",     "$gt",    "$gte",   "$lt",       "$lte",
    "$in",         "$nin",    "$regex", "$where", "$exists",   "$or",
    "$and",        "$not",    "$nor",   "$expr",  "$function", "$accumulator",
    "$elemmatch",  "$size",   "$type",  "$mod",   "$all",      "$text",
    "$jsonschema", "$lookup", "$merge", "$out",   "$options",  "$search",
    "$comment",    "$set",    "$unset", "$push",  "$rename",   "$inc"};

bool is_operator(std::string_view w) {
  return std::find(std::begin(kOperators), std::end(kOperators), w) != std::end(kOperators);
}

}  // namespace

void detect_nosql(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  size_t p = t.find('$');
  if (p == std::string_view::npos) return;
  for (; p != std::string_view::npos; p = t.find('$', p + 1)) {
    size_t e = p + 1;
    while (e < t.size() && ((t[e] >= 'a' && t[e] <= 'z'))) ++e;
    std::string_view op = t.substr(p, e - p);
    if (!is_operator(op)) continue;
    char before = p == 0 ? '\0' : t[p - 1];
    char after = e < t.size() ? t[e] : '\0';
    if (s.is_name) {
      // Key "$ne" or a bracketed name "password[$ne]".
      if ((p == 0 && after == '\0') || (before == '[' && after == ']')) {
        out.push_back(Hit{AttackClass::kNoSql, 9, kCertain, p, e, "query operator in name"});
        return;
      }
      continue;
    }
    // In a value: JSON text {"$gt": ""} or a $where with JavaScript.
    bool json_key = (before == '"' || before == '\'') && (after == '"' || after == '\'');
    if (json_key && t.find('{') != std::string_view::npos) {
      out.push_back(Hit{AttackClass::kNoSql, 8, kCertain, p, t.size(), "query operator in JSON"});
      return;
    }
    // "user[$ne]=x" read whole (a raw body, an XML attribute): the bracketed name form.
    if (before == '[' && after == ']') {
      out.push_back(Hit{AttackClass::kNoSql, 7, kLikely, p, e, "query operator in brackets"});
      return;
    }
    if (op == "$where" && (t.find("this.") != std::string_view::npos ||
                           t.find("function") != std::string_view::npos ||
                           t.find("sleep(") != std::string_view::npos)) {
      out.push_back(Hit{AttackClass::kNoSql, 9, kCertain, p, t.size(), "$where javascript"});
      return;
    }
    if (p == 0 && (op == "$where" || op == "$regex" || op == "$ne" || op == "$gt") &&
        after == '\0') {
      out.push_back(Hit{AttackClass::kNoSql, 5, kSuspicious, p, e, "query operator"});
    }
  }
  // MongoDB JavaScript in values: "'; return true; var x='", "this.password.match(".
  size_t r = t.find("return true");
  if (r != std::string_view::npos && t.find(';') != std::string_view::npos &&
      (t.find('\'') != std::string_view::npos || t.find('"') != std::string_view::npos)) {
    out.push_back(Hit{AttackClass::kNoSql, 7, kLikely, r, t.size(), "javascript condition"});
  }
}

}  // namespace rampart::waf
