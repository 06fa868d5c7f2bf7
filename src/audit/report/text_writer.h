#pragma once
// The terminal report: one block per finding with the source line and a caret under the span,
// then a summary line. Colour (ANSI) only when asked, which the CLI does on a tty.

#include <string>

#include "audit/report/finding.h"

namespace rampart::audit {

struct TextOptions {
  bool color = false;
  bool show_suppressed = false;  // list suppressed findings too, marked as such
};

std::string render_text(const Report& report, const TextOptions& options);

}  // namespace rampart::audit
