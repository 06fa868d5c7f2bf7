#pragma once
// The guards of a configuration, per route. Built once per configuration (at start-up and on
// reload) and shared read-only by all connections. Routes are path prefixes; the longest match
// wins, and "/" (the guards as configured globally) matches everything else.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "gateway/config.h"
#include "gateway/guard.h"
#include "state/store.h"

namespace rampart::gateway {

class Pipeline {
 public:
  struct Route {
    std::string prefix;
    std::vector<std::unique_ptr<Guard>> guards;
  };

  static StatusOr<std::shared_ptr<const Pipeline>> build(const GatewayConfig& config);

  const Route& match(std::string_view path) const;
  // Whether `prefix` matches `path` as a route does: "/api" matches "/api" and "/api/x", not
  // "/apix"; "/api/" matches "/api/x".
  static bool prefix_matches(std::string_view prefix, std::string_view path);

  state::Store& store() const { return *store_; }

 private:
  std::vector<Route> routes_;  // longest prefix first; the last is "/"
  std::shared_ptr<state::Store> store_;
};

}  // namespace rampart::gateway
