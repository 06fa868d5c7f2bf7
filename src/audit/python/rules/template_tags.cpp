#include "audit/python/rules/template_tags.h"

namespace rampart::audit::python::rules {

std::vector<TemplateTag> template_tags(std::string_view text) {
  std::vector<TemplateTag> out;
  size_t p = 0;
  while (p + 1 < text.size()) {
    size_t open = text.find('{', p);
    if (open == std::string_view::npos || open + 1 >= text.size()) break;
    char c = text[open + 1];
    if (c != '{' && c != '%') {
      p = open + 1;
      continue;
    }
    std::string_view close = c == '{' ? "}}" : "%}";
    size_t e = text.find(close, open + 2);
    if (e == std::string_view::npos) break;
    TemplateTag t;
    t.statement = c == '%';
    t.begin = open;
    t.end = e + 2;
    std::string_view inner = text.substr(open + 2, e - open - 2);
    while (!inner.empty() &&
           (inner.front() == ' ' || inner.front() == '-' || inner.front() == '+' ||
            inner.front() == '\n' || inner.front() == '\t' || inner.front() == '\r')) {
      inner.remove_prefix(1);
    }
    while (!inner.empty() &&
           (inner.back() == ' ' || inner.back() == '-' || inner.back() == '+' ||
            inner.back() == '\n' || inner.back() == '\t' || inner.back() == '\r')) {
      inner.remove_suffix(1);
    }
    t.inner = inner;
    out.push_back(t);
    p = e + 2;
  }
  return out;
}

}  // namespace rampart::audit::python::rules
