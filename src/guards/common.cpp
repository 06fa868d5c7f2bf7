#include "guards/common.h"

namespace rampart::guards {

Mode read_mode(const std::vector<ConfigNode>& layers) {
  Mode mode = Mode::kEnforce;
  for (const auto& l : layers) {
    std::string m = l.get_choice("mode", mode == Mode::kMonitor ? "monitor" : "enforce",
                                 {"enforce", "monitor"});
    mode = m == "monitor" ? Mode::kMonitor : Mode::kEnforce;
  }
  return mode;
}

}  // namespace rampart::guards
