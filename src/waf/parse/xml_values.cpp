#include "waf/parse/xml_values.h"

#include <string>

namespace rampart::waf {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':' || (static_cast<unsigned char>(c) >= 0x80);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool all_space(std::string_view s) {
  for (char c : s) {
    if (!is_space(c)) return false;
  }
  return true;
}

}  // namespace

void parse_xml_values(std::string_view body, FieldSink& sink) {
  std::string element;  // innermost open element, for naming text
  size_t i = 0;
  size_t text_start = 0;
  auto flush_text = [&](size_t end) {
    if (end > text_start) {
      std::string_view text = body.substr(text_start, end - text_start);
      if (!all_space(text)) sink.add(Part::kBodyXml, element, std::string(text));
    }
  };
  while (i < body.size()) {
    if (body[i] != '<') {
      ++i;
      continue;
    }
    std::string_view rest = body.substr(i);
    if (rest.substr(0, 9) == "<![CDATA[") {
      flush_text(i);
      size_t end = body.find("]]>", i + 9);
      size_t stop = end == std::string_view::npos ? body.size() : end;
      sink.add(Part::kBodyXml, element, std::string(body.substr(i + 9, stop - i - 9)));
      i = end == std::string_view::npos ? body.size() : end + 3;
      text_start = i;
      continue;
    }
    if (rest.substr(0, 4) == "<!--") {
      flush_text(i);
      size_t end = body.find("-->", i + 4);
      i = end == std::string_view::npos ? body.size() : end + 3;
      text_start = i;
      continue;
    }
    if (rest.size() > 1 && (rest[1] == '?' || rest[1] == '!')) {
      // Declarations and processing instructions (the DOCTYPE, with its internal subset in
      // brackets): skipped here, seen by the XXE detector in the raw body.
      flush_text(i);
      int brackets = 0;
      size_t j = i + 2;
      for (; j < body.size(); ++j) {
        if (body[j] == '[')
          ++brackets;
        else if (body[j] == ']' && brackets > 0)
          --brackets;
        else if (body[j] == '>' && brackets == 0)
          break;
      }
      i = j < body.size() ? j + 1 : body.size();
      text_start = i;
      continue;
    }
    size_t j = i + 1;
    bool closing = j < body.size() && body[j] == '/';
    if (closing) ++j;
    size_t name_start = j;
    while (j < body.size() && is_name_char(body[j])) ++j;
    if (j == name_start) {
      ++i;  // a lone '<' is text
      continue;
    }
    flush_text(i);
    std::string name(body.substr(name_start, j - name_start));
    // Attributes up to '>'.
    while (j < body.size() && body[j] != '>') {
      if (is_space(body[j]) || body[j] == '/') {
        ++j;
        continue;
      }
      size_t an = j;
      while (j < body.size() && is_name_char(body[j])) ++j;
      if (j == an) {
        ++j;  // stray character in a tag
        continue;
      }
      std::string attr(body.substr(an, j - an));
      while (j < body.size() && is_space(body[j])) ++j;
      if (j < body.size() && body[j] == '=') {
        ++j;
        while (j < body.size() && is_space(body[j])) ++j;
        if (j < body.size() && (body[j] == '"' || body[j] == '\'')) {
          char q = body[j];
          size_t vs = ++j;
          while (j < body.size() && body[j] != q) ++j;
          sink.add(Part::kBodyXml, name + "@" + attr, std::string(body.substr(vs, j - vs)));
          if (j < body.size()) ++j;
        } else {
          size_t vs = j;
          while (j < body.size() && !is_space(body[j]) && body[j] != '>') ++j;
          sink.add(Part::kBodyXml, name + "@" + attr, std::string(body.substr(vs, j - vs)));
        }
      }
    }
    if (!closing) element = name;
    i = j < body.size() ? j + 1 : body.size();
    text_start = i;
  }
  flush_text(body.size());
}

}  // namespace rampart::waf
