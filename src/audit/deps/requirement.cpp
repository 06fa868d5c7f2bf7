#include "audit/deps/requirement.h"

#include "audit/deps/name.h"
#include "common/strings.h"

namespace rampart::audit::deps {

namespace {

bool name_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
         c == '_' || c == '.';
}

std::string_view strip(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

StatusOr<Requirement> parse_requirement(std::string_view text) {
  std::string_view s = strip(text);
  Requirement req;
  size_t i = 0;
  while (i < s.size() && name_char(s[i])) ++i;
  req.name = std::string(s.substr(0, i));
  if (!is_valid_name(req.name)) {
    return Status::error(
        quote_for_message(text) +
        " is not a requirement (expected a project name such as 'requests>=2.31')");
  }
  s = strip(s.substr(i));
  if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos)
      return Status::error("extras in " + quote_for_message(text) + " are not closed with ']'");
    for (auto e : split_trimmed(s.substr(1, close - 1), ',')) {
      if (!is_valid_name(e))
        return Status::error("extra " + quote_for_message(e) + " in " + quote_for_message(text) +
                             " is not a valid name");
      req.extras.emplace_back(e);
    }
    s = strip(s.substr(close + 1));
  }
  std::string_view rest = s;
  if (!rest.empty() && std::string_view("<>=!~(;@").find(rest.front()) == std::string_view::npos) {
    return Status::error(
        quote_for_message(text) +
        " is not a requirement (expected a project name such as 'requests>=2.31')");
  }
  std::string_view marker;
  if (!rest.empty() && rest.front() == '@') {
    rest = strip(rest.substr(1));
    // A URL ends at whitespace; a marker follows after " ;".
    size_t end = 0;
    while (end < rest.size() && rest[end] != ' ' && rest[end] != '\t') ++end;
    req.url = std::string(rest.substr(0, end));
    if (req.url.empty())
      return Status::error(quote_for_message(text) + ": '@' is not followed by a URL");
    rest = strip(rest.substr(end));
    if (!rest.empty()) {
      if (rest.front() != ';')
        return Status::error(quote_for_message(text) + ": unexpected text after the URL");
      marker = strip(rest.substr(1));
    }
  } else {
    size_t semi = rest.find(';');
    std::string_view spec = strip(rest.substr(0, semi));
    if (semi != std::string_view::npos) marker = strip(rest.substr(semi + 1));
    if (!spec.empty() && spec.front() == '(') {
      if (spec.back() != ')') return Status::error(quote_for_message(text) + ": '(' is not closed");
      spec = strip(spec.substr(1, spec.size() - 2));
    }
    auto set = SpecifierSet::parse(spec);
    if (!set.ok()) return set.status();
    req.specifier_text = std::string(spec);
    req.specifiers = std::move(*set);
  }
  if (marker.empty() && rest.find(';') != std::string_view::npos && req.url.empty()) {
    return Status::error(quote_for_message(text) + ": ';' is not followed by a marker");
  }
  req.marker = std::string(marker);
  return req;
}

}  // namespace rampart::audit::deps
