// RA013 template-safe-filter: `|safe` and friends in a template.
#include "audit/python/rules/rules.h"
#include "audit/python/rules/template_tags.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds the template filters and blocks that switch escaping off for a value: `{{ x|safe }}`,
`{{ xs|safeseq }}` and `{% filter safe %}` (Jinja2 and Django templates).

Why: the value is written into the page as markup; if any part of it comes from a user, a
`<script>` in it runs in every visitor's browser (stored or reflected XSS, CWE-79).

Example:
    <div class="bio">{{ user.bio|safe }}</div>

Instead: let the engine escape (`{{ user.bio }}`), or sanitize the HTML with an allow-list (bleach,
nh3) before storing it and mark only that result as safe.

References: https://jinja.palletsprojects.com/en/stable/templates/#html-escaping,
https://docs.djangoproject.com/en/stable/ref/templates/builtins/#safe)";

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Position of a filter `name` applied in an expression ("x | safe"), or npos.
size_t find_filter(std::string_view expr, std::string_view name) {
  for (size_t bar = expr.find('|'); bar != std::string_view::npos; bar = expr.find('|', bar + 1)) {
    size_t p = bar + 1;
    while (p < expr.size() && expr[p] == ' ') ++p;
    if (expr.substr(p, name.size()) == name &&
        (p + name.size() == expr.size() || !is_word_char(expr[p + name.size()]))) {
      return bar;
    }
  }
  return std::string_view::npos;
}

void check(TemplateContext& ctx) {
  for (const auto& tag : template_tags(ctx.text)) {
    if (!tag.statement) {
      for (std::string_view f : {"safeseq", "safe"}) {
        if (find_filter(tag.inner, f) != std::string_view::npos) {
          ctx.report(tag.begin, tag.end,
                     "the |" + std::string(f) + " filter writes the value without escaping",
                     Confidence::kMedium);
          break;
        }
      }
    } else if (tag.inner.substr(0, 6) == "filter" &&
               find_filter(tag.inner, "safe") == std::string_view::npos) {
      std::string_view rest = tag.inner.substr(6);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      if (rest.substr(0, 4) == "safe" && (rest.size() == 4 || !is_word_char(rest[4]))) {
        ctx.report(tag.begin, tag.end, "{% filter safe %} writes its block without escaping",
                   Confidence::kMedium);
      }
    }
  }
}

}  // namespace

const Rule& template_safe_filter() {
  static const Rule r = make_rule({"RA013", "template-safe-filter", "Template output marked safe",
                                   Severity::kMedium, Confidence::kMedium, "XSS", kDoc},
                                  {}, nullptr, check);
  return r;
}

}  // namespace rampart::audit::python::rules
