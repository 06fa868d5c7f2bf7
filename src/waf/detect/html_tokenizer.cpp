#include "waf/detect/html_tokenizer.h"

namespace rampart::waf {
namespace {

bool is_html_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::vector<HtmlTag> html_tags(std::string_view s, size_t max_tags) {
  std::vector<HtmlTag> tags;
  size_t i = 0;
  while (i < s.size() && tags.size() < max_tags) {
    size_t lt = s.find('<', i);
    if (lt == std::string_view::npos) break;
    size_t j = lt + 1;
    HtmlTag tag;
    tag.from = lt;
    if (j < s.size() && s[j] == '/') {
      tag.closing = true;
      ++j;
    }
    // "<:vmlframe": an empty namespace prefix, which old IE read as the element after it.
    bool ns_colon = j + 1 < s.size() && s[j] == ':' && is_alpha(s[j + 1]);
    if (j >= s.size() || !(is_alpha(s[j]) || ns_colon)) {
      i = lt + 1;
      continue;
    }
    size_t name_start = j;
    while (j < s.size() && !is_html_space(s[j]) && s[j] != '/' && s[j] != '>' && s[j] != '<') ++j;
    tag.name = s.substr(name_start, j - name_start);
    // Attributes (HTML5: before-attribute-name, attribute-name, value states).
    while (j < s.size() && s[j] != '>') {
      if (is_html_space(s[j]) || s[j] == '/') {
        ++j;
        continue;
      }
      if (s[j] == '<') break;  // a new tag starts: this one was never closed
      HtmlAttr a;
      a.from = j;
      size_t an = j;
      ++j;  // the first character of a name can be anything but space, '/', '>'
      while (j < s.size() && !is_html_space(s[j]) && s[j] != '/' && s[j] != '>' && s[j] != '=') ++j;
      a.name = s.substr(an, j - an);
      size_t k = j;
      while (k < s.size() && is_html_space(s[k])) ++k;
      if (k < s.size() && s[k] == '=') {
        ++k;
        while (k < s.size() && is_html_space(s[k])) ++k;
        a.has_value = true;
        if (k < s.size() && (s[k] == '"' || s[k] == '\'' || s[k] == '`')) {
          char q = s[k];
          size_t vs = k + 1;
          size_t ve = s.find(q, vs);
          if (ve == std::string_view::npos) ve = s.size();
          a.value = s.substr(vs, ve - vs);
          j = ve < s.size() ? ve + 1 : s.size();
        } else {
          size_t vs = k;
          while (k < s.size() && !is_html_space(s[k]) && s[k] != '>') ++k;
          a.value = s.substr(vs, k - vs);
          j = k;
        }
      }
      if (tag.attrs.size() < 32) tag.attrs.push_back(a);
    }
    tag.to = j < s.size() && s[j] == '>' ? j + 1 : j;
    i = tag.to > lt ? tag.to : lt + 1;
    tags.push_back(std::move(tag));
  }
  return tags;
}

}  // namespace rampart::waf
