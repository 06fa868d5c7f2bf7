#pragma once
// The table of guards: name, whether it is on when the configuration does not mention it, and
// how to build it from its settings. Settings come as layers (the global `guards.NAME` node, then
// a route's override): each guard reads them in order, a later layer overriding the keys it sets.
// Errors go to the ConfigErrors of the nodes and name file, line and key.

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/config_node.h"
#include "gateway/guard.h"
#include "state/store.h"

namespace rampart::gateway {

struct GuardContext {
  std::string_view source;  // the configuration's name, for messages
  // False only for a guard built on a route where it is off (see GuardSpec::built_when_off).
  bool enabled = true;
  // The settings node that turned the guard on or off (for errors about the guard as a whole);
  // null when nothing in the configuration names the guard.
  const ConfigNode* node = nullptr;
  // The state store (limits, bans, sessions): shared by every guard and thread, alive as long
  // as the pipeline. Never null.
  state::Store* store = nullptr;
  std::span<const std::string> domains = {};  // the site's own host names (config `domains`)
  // The same store, for work a guard leaves running past its own life (a reload replaces the
  // pipeline): such work holds this reference.
  std::shared_ptr<state::Store> store_owner;
};

struct GuardSpec {
  std::string_view name;
  bool on_by_default;
  std::unique_ptr<Guard> (*build)(const std::vector<ConfigNode>& layers, const GuardContext& ctx);
  // Built (with ctx.enabled false) even where it is off, for a guard that must still do
  // something there: the jwt guard removes client-sent copies of the headers it forwards, so
  // that no route lets a client forge them. build may return null.
  bool built_when_off = false;
};

// In the order their request steps run.
std::span<const GuardSpec> guard_specs();

}  // namespace rampart::gateway
