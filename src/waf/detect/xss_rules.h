#pragma once
// Rules of the XSS detector shared between its two files: xss.cpp reads markup, URLs and
// attribute contexts; xss_script.cpp reads JavaScript as tokens (computed access on globals,
// calls of code-running functions, module imports, string breakouts).

#include <algorithm>
#include <iterator>
#include <string_view>

#include "waf/detect/detector.h"

namespace rampart::waf::xss {

template <typename C>
bool in_list(const C& c, std::string_view w) {
  return std::find(std::begin(c), std::end(c), w) != std::end(c);
}

// True when s holds a function or object an XSS payload reaches for (alert(, document.cookie,
// ...); *at is its offset.
bool has_sink(std::string_view s, size_t* at);

// JavaScript read as tokens: computed access on a global (self["alert"], (document)["cookie"],
// comments anywhere between), calls of code-running functions at a statement start, and ES
// module imports.
void script_tokens(const Scan& s, Hits& out);

// A value that opens with a quote and then assigns to a property: it closes the script string
// it lands in and writes to the page ("';x.y=", "\"in valueOf=").
void string_breakout_assignment(std::string_view t, Hits& out);

}  // namespace rampart::waf::xss
