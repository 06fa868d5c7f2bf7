#pragma once
// What every guard reads the same way from its settings layers.

#include <string>
#include <vector>

#include "common/config_node.h"

namespace rampart::guards {

enum class Mode { kEnforce, kMonitor };

// Reads `mode: enforce | monitor` from the layers (the last layer that sets it wins).
Mode read_mode(const std::vector<ConfigNode>& layers);

}  // namespace rampart::guards
