#pragma once
// The table of guards: name, whether it is on when the configuration does not mention it, and
// how to build it from its settings. Settings come as layers (the global `guards.NAME` node, then
// a route's override): each guard reads them in order, a later layer overriding the keys it sets.
// Errors go to the ConfigErrors of the nodes and name file, line and key.

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/config_node.h"
#include "gateway/guard.h"
#include "state/store.h"

namespace rampart::gateway {

struct GuardContext {
  std::string_view source;  // the configuration's name, for messages
  // The state store (limits, bans, sessions): shared by every guard and thread, alive as long
  // as the pipeline. Never null.
  state::Store* store = nullptr;
  // The same store, for work a guard leaves running past its own life (a reload replaces the
  // pipeline): such work holds this reference.
  std::shared_ptr<state::Store> store_owner;
};

struct GuardSpec {
  std::string_view name;
  bool on_by_default;
  std::unique_ptr<Guard> (*build)(const std::vector<ConfigNode>& layers, const GuardContext& ctx);
};

// In the order their request steps run.
std::span<const GuardSpec> guard_specs();

}  // namespace rampart::gateway
