#pragma once
// The `access_log` guard: one JSON line per exchange with Elastic Common Schema field names, plus
// rampart.route and rampart.events (the security events of the exchange).

#include <memory>
#include <string>
#include <vector>

#include "common/config_node.h"
#include "gateway/guard.h"
#include "gateway/guard_registry.h"
#include "guards/access_log/log_sink.h"

namespace rampart::guards {

class AccessLogGuard : public gateway::Guard {
 public:
  explicit AccessLogGuard(std::shared_ptr<LogSink> sink) : sink_(std::move(sink)) {}
  std::string_view name() const override { return "access_log"; }
  void on_complete(const gateway::Exchange& ex) const override;

  static std::unique_ptr<gateway::Guard> build(const std::vector<ConfigNode>& layers,
                                               const gateway::GuardContext& ctx);

 private:
  std::shared_ptr<LogSink> sink_;
};

// The JSON line for an exchange (ends with '\n').
std::string format_access_line(const gateway::Exchange& ex);
// Appends `s` as a JSON string literal, escaping quotes, backslashes and control bytes; bytes
// that are not valid UTF-8 are written as \u00XX so the line stays valid JSON.
void append_json_string(std::string& out, std::string_view s);

}  // namespace rampart::guards
