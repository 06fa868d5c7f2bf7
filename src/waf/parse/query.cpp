#include "waf/parse/query.h"

#include "waf/decode/decode.h"

namespace rampart::waf {

void parse_urlencoded(std::string_view text, Part part, FieldSink& sink) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t amp = text.find('&', start);
    if (amp == std::string_view::npos) amp = text.size();
    std::string_view pair = text.substr(start, amp - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string_view name = pair.substr(0, eq);
      std::string_view value =
          eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      sink.add(part, url_decode(name, true), url_decode(value, true));
    }
    start = amp + 1;
  }
}

}  // namespace rampart::waf
