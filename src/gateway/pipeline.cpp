#include "gateway/pipeline.h"

#include <algorithm>
#include <optional>

#include "common/config_node.h"
#include "common/strings.h"
#include "gateway/guard_registry.h"
#include "state/open_store.h"

namespace rampart::gateway {
namespace {

// Whether a guard's settings node turns it on: absent means the default; `false`, or a map with
// `enabled: false`, turns it off.
bool guard_enabled(const ConfigNode& node, bool by_default) {
  if (!node.defined()) return by_default;
  if (node.is_scalar()) {
    std::string v = node.yaml().Scalar();
    if (v == "false" || v == "off") return false;
    if (v == "true" || v == "on") return true;
    node.error("expected true, false, or a mapping of settings");
    return by_default;
  }
  if (!node.is_map()) {
    node.error("expected a mapping of settings");
    return by_default;
  }
  return node.get_bool("enabled", true);
}

std::vector<std::string> known_guard_names() {
  std::vector<std::string> names;
  for (const auto& spec : guard_specs()) names.emplace_back(spec.name);
  return names;
}

void check_guard_names(const ConfigNode& guards) {
  if (!guards.is_map()) return;
  auto names = known_guard_names();
  for (const auto& kv : guards.yaml()) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (std::find(names.begin(), names.end(), key) != names.end()) continue;
    std::string list;
    std::string closest;
    size_t best = SIZE_MAX;
    for (const auto& n : names) {
      list += (list.empty() ? "" : ", ") + n;
      size_t d = edit_distance(n, key);
      if (d < best) {
        best = d;
        closest = n;
      }
    }
    std::string msg = "unknown guard " + quote_for_message(key);
    msg += best <= 2 ? " (did you mean '" + closest + "'?)" : "; the guards are: " + list;
    guards.errors()->add(kv.first.Mark(), guards.path(), msg);
  }
}

}  // namespace

bool Pipeline::prefix_matches(std::string_view prefix, std::string_view path) {
  if (path.substr(0, prefix.size()) != prefix) return false;
  if (prefix.empty() || prefix.back() == '/' || path.size() == prefix.size()) return true;
  return path[prefix.size()] == '/';
}

const Pipeline::Route& Pipeline::match(std::string_view path) const {
  for (const auto& r : routes_) {
    if (prefix_matches(r.prefix, path)) return r;
  }
  return routes_.back();
}

StatusOr<std::shared_ptr<const Pipeline>> Pipeline::build(const GatewayConfig& config) {
  ConfigErrors errors(config.source);
  auto pipeline = std::make_shared<Pipeline>();
  auto store = state::open_store(config.state);
  if (!store.ok()) return Status::error(config.source + ": " + store.status().message());
  pipeline->store_ = *store;
  GuardContext ctx;
  ctx.source = config.source;
  ctx.store = pipeline->store_.get();
  ctx.domains = config.domains;
  ctx.store_owner = pipeline->store_;

  ConfigNode global(config.guards, "guards", &errors);
  check_guard_names(global);

  struct Layered {
    std::string prefix;
    std::vector<ConfigNode> route_nodes;  // empty for the default route
  };
  std::vector<Layered> wanted;
  for (size_t i = 0; i < config.routes.size(); ++i) {
    const auto& r = config.routes[i];
    ConfigNode g(r.guards, "routes[" + std::to_string(i) + "].guards", &errors);
    check_guard_names(g);
    wanted.push_back({r.prefix, {g}});
  }
  std::stable_sort(wanted.begin(), wanted.end(), [](const Layered& a, const Layered& b) {
    return a.prefix.size() > b.prefix.size();
  });
  if (wanted.empty() || wanted.back().prefix != "/") wanted.push_back({"/", {}});

  for (const auto& w : wanted) {
    Route route;
    route.prefix = w.prefix;
    for (const auto& spec : guard_specs()) {
      ConfigNode base = global.child(spec.name);
      std::vector<ConfigNode> layers;
      bool on = guard_enabled(base, spec.on_by_default);
      // emplace, not assignment: assigning a YAML::Node rewrites the node it refers to.
      std::optional<ConfigNode> decided;
      if (base.defined()) decided.emplace(base);
      if (base.is_map()) layers.push_back(base);
      for (const auto& rn : w.route_nodes) {
        ConfigNode over = rn.child(spec.name);
        if (!over.defined()) continue;
        on = guard_enabled(over, on);
        decided.emplace(over);
        if (over.is_map()) layers.push_back(over);
      }
      if (!on && !spec.built_when_off) continue;
      GuardContext guard_ctx = ctx;
      guard_ctx.enabled = on;
      guard_ctx.node = decided ? &*decided : nullptr;
      auto guard = spec.build(layers, guard_ctx);
      if (guard) route.guards.push_back(std::move(guard));
    }
    pipeline->routes_.push_back(std::move(route));
  }
  if (!errors.empty()) return errors.to_status();
  return std::shared_ptr<const Pipeline>(std::move(pipeline));
}

}  // namespace rampart::gateway
