// RA014 template-autoescape-off: `{% autoescape off %}` / `{% autoescape false %}`.
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

References: https://docs.djangoproject.com/en/stable/ref/templates/builtins/#autoescape,
https://jinja.palletsprojects.com/en/stable/templates/#autoescape-overrides)";

void check(TemplateContext& ctx) {
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
