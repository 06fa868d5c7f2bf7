#include "waf/parse/multipart.h"

#include <string>

#include "common/strings.h"

namespace rampart::waf {
namespace {

// A parameter of a header value like `form-data; name="a"; filename="b.txt"`.
std::string param(std::string_view header, std::string_view key) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t semi = header.find(';', pos);
    if (semi == std::string_view::npos) return std::string();
    pos = semi + 1;
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == '\t')) ++pos;
    if (!rampart::istarts_with(header.substr(pos), key)) continue;
    size_t p = pos + key.size();
    while (p < header.size() && header[p] == ' ') ++p;
    if (p >= header.size() || header[p] != '=') continue;
    ++p;
    while (p < header.size() && header[p] == ' ') ++p;
    std::string out;
    if (p < header.size() && header[p] == '"') {
      for (++p; p < header.size() && header[p] != '"'; ++p) {
        if (header[p] == '\\' && p + 1 < header.size()) ++p;
        out.push_back(header[p]);
      }
    } else {
      while (p < header.size() && header[p] != ';') out.push_back(header[p++]);
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
    }
    return out;
  }
  return std::string();
}

}  // namespace

std::string_view multipart_boundary(std::string_view content_type) {
  size_t pos = 0;
  while (true) {
    size_t semi = content_type.find(';', pos);
    if (semi == std::string_view::npos) return {};
    pos = semi + 1;
    while (pos < content_type.size() && content_type[pos] == ' ') ++pos;
    if (!rampart::istarts_with(content_type.substr(pos), "boundary=")) continue;
    std::string_view b = content_type.substr(pos + 9);
    if (!b.empty() && b.front() == '"') {
      b.remove_prefix(1);
      size_t q = b.find('"');
      if (q == std::string_view::npos) return {};
      b = b.substr(0, q);
    } else {
      b = b.substr(0, b.find(';'));
      while (!b.empty() && (b.back() == ' ' || b.back() == '\t')) b.remove_suffix(1);
    }
    if (b.empty() || b.size() > 200) return {};
    return b;
  }
}

bool parse_multipart(std::string_view body, std::string_view boundary, FieldSink& sink) {
  if (boundary.empty()) return false;
  std::string delim = "--" + std::string(boundary);
  size_t pos = body.find(delim);
  if (pos == std::string_view::npos) return false;
  pos += delim.size();
  while (pos < body.size()) {
    if (body.substr(pos, 2) == "--") return true;  // closing delimiter
    size_t line_end = body.find('\n', pos);
    if (line_end == std::string_view::npos) return true;
    size_t head_start = line_end + 1;
    // Headers end at an empty line (CRLF CRLF, or LF LF from lenient clients).
    size_t head_end = body.find("\r\n\r\n", head_start);
    size_t skip = 4;
    size_t lf = body.find("\n\n", head_start);
    if (lf != std::string_view::npos && (head_end == std::string_view::npos || lf < head_end)) {
      head_end = lf;
      skip = 2;
    }
    if (head_end == std::string_view::npos) return true;
    std::string_view headers = body.substr(head_start, head_end - head_start);
    size_t data_start = head_end + skip;
    size_t next = body.find(delim, data_start);
    size_t data_end = next == std::string_view::npos ? body.size() : next;
    std::string_view data = body.substr(data_start, data_end - data_start);
    if (data.size() >= 2 && data.substr(data.size() - 2) == "\r\n")
      data.remove_suffix(2);
    else if (!data.empty() && data.back() == '\n')
      data.remove_suffix(1);

    std::string name, filename;
    size_t hpos = 0;
    while (hpos <= headers.size()) {
      size_t eol = headers.find('\n', hpos);
      if (eol == std::string_view::npos) eol = headers.size();
      std::string_view line = headers.substr(hpos, eol - hpos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (rampart::istarts_with(line, "content-disposition:")) {
        name = param(line, "name");
        filename = param(line, "filename");
      }
      hpos = eol + 1;
    }
    sink.add(Part::kBodyMultipart, name, std::string(data));
    if (!filename.empty()) sink.add(Part::kBodyMultipart, name + ".filename", filename);
    if (next == std::string_view::npos) return true;
    pos = next + delim.size();
  }
  return true;
}

}  // namespace rampart::waf
