// RA014 template-autoescape-off: `{% autoescape off %}` / `{% autoescape false %}`.
#include <cctype>

#include "audit/python/rules/rules.h"
#include "audit/python/rules/template_tags.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds template blocks that turn autoescaping off: Django's `{% autoescape off %}` and Jinja2's
`{% autoescape false %}`.

Why: every value written inside the block is markup; one user-controlled value is enough for
cross-site scripting (CWE-79).

Example:
    {% autoescape off %}{{ comment.text }}{% endautoescape %}

Instead: remove the block; for a value that really is trusted HTML, mark that one value safe
where it is produced, after sanitizing it.

A template without HTML markup (a plain-text e-mail body) is not reported: escaping is for HTML.

References: https://docs.djangoproject.com/en/stable/ref/templates/builtins/#autoescape,
https://jinja.palletsprojects.com/en/stable/templates/#autoescape-overrides)";

// True when the text holds an HTML tag or comment ("<p", "</", "<!"). A template without any is
// plain text (an e-mail body, a text/plain response): escaping for HTML would corrupt it, and it
// is rightly turned off.
bool has_markup(std::string_view text) {
  for (size_t p = text.find('<'); p != std::string_view::npos; p = text.find('<', p + 1)) {
    if (p + 1 >= text.size()) break;
    unsigned char c = static_cast<unsigned char>(text[p + 1]);
    if (std::isalpha(c) || c == '/' || c == '!') return true;
  }
  return false;
}

void check(TemplateContext& ctx) {
  if (!has_markup(ctx.text)) return;
  for (const auto& tag : template_tags(ctx.text)) {
    if (!tag.statement || tag.inner.substr(0, 10) != "autoescape") continue;
    std::string_view rest = tag.inner.substr(10);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest == "off" || rest == "false" || rest == "False") {
      ctx.report(tag.begin, tag.end,
                 "{% autoescape " + std::string(rest) + " %} turns escaping off for its block",
                 Confidence::kHigh);
    }
  }
}

}  // namespace

const Rule& template_autoescape_off() {
  static const Rule r = make_rule({"RA014", "template-autoescape-off", "Template autoescaping off",
                                   Severity::kHigh, Confidence::kHigh, "XSS", kDoc},
                                  {}, nullptr, check);
  return r;
}

}  // namespace rampart::audit::python::rules
