#pragma once
// An HTML tag tokenizer that follows the browser's reading of tags (HTML5 tokenizer states for
// tag names and attributes), tolerant of fragments: a tag that is not closed by '>' before the
// end of the value still counts, since the page around the value may close it. Written here:
// full HTML parsers (Gumbo, lexbor) build documents; the detector needs only tags and attributes
// of a fragment, and must stay allocation-light.

#include <cstddef>
#include <string_view>
#include <vector>

namespace rampart::waf {

struct HtmlAttr {
  std::string_view name;   // lower-case (views into the lower-cased text)
  std::string_view value;  // without quotes; empty when the attribute has no value
  size_t from = 0;         // offset of the attribute name
  bool has_value = false;
};

struct HtmlTag {
  std::string_view name;  // lower-case
  bool closing = false;   // </name>
  size_t from = 0;        // offset of '<'
  size_t to = 0;          // offset after '>' (or end of text)
  std::vector<HtmlAttr> attrs;
};

// Tags of lower-cased `text`, at most max_tags.
std::vector<HtmlTag> html_tags(std::string_view text, size_t max_tags = 64);

}  // namespace rampart::waf
