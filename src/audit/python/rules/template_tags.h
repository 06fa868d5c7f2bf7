#pragma once
// Finds the tags of a Jinja2 or Django template: {{ expression }} and {% statement %} with their
// byte ranges. Written by hand: no template parser library is packaged for C++, and the rules
// need only the tag boundaries and the words inside.

#include <string_view>
#include <vector>

namespace rampart::audit::python::rules {

struct TemplateTag {
  bool statement = false;     // {% %} rather than {{ }}
  size_t begin = 0, end = 0;  // the whole tag, delimiters included
  std::string_view inner;     // between the delimiters, trimmed of spaces and '-' / '+'
};

std::vector<TemplateTag> template_tags(std::string_view text);

}  // namespace rampart::audit::python::rules
