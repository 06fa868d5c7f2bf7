#pragma once
// The `waf` guard: runs the detection library (src/waf/) over every request (path, query,
// headers, cookies and up to `body_limit` of the body) and blocks one whose findings reach the
// threshold with 403. The client learns only an event id; the findings (class, part, argument,
// the decoded fragment, the reason) go to the security events of the access log. `monitor` mode
// records without blocking. Exclusions per route (route settings) and per argument; an allow
// list of client addresses that are not inspected.

#include <memory>
#include <vector>

#include "common/config_node.h"
#include "gateway/guard.h"
#include "gateway/guard_registry.h"
#include "http/address.h"
#include "waf/inspector.h"

namespace rampart::guards {

struct WafSettings {
  WafSettings();
  waf::Policy policy;
  bool monitor = false;
  http::CidrSet allow;
  // Bodies of these media types (a prefix when ending in '/') are binary: not inspected.
  std::vector<std::string> binary_types = {"application/octet-stream",
                                           "image/",
                                           "audio/",
                                           "video/",
                                           "font/",
                                           "application/pdf",
                                           "application/zip",
                                           "application/gzip",
                                           "application/x-gzip",
                                           "application/x-tar",
                                           "application/x-bzip2",
                                           "application/x-7z-compressed",
                                           "application/x-rar-compressed",
                                           "application/wasm",
                                           "application/vnd.ms-excel",
                                           "application/vnd.openxmlformats-officedocument."};

  void read(const ConfigNode& node);
};

class WafGuard : public gateway::Guard {
 public:
  WafGuard(WafSettings s, std::shared_ptr<const waf::Inspector> inspector)
      : s_(std::move(s)), inspector_(std::move(inspector)) {}
  std::string_view name() const override { return "waf"; }
  std::optional<gateway::Reply> on_request(gateway::Exchange& ex) const override;
  uint64_t request_body_wanted(const gateway::Exchange& ex) const override;
  std::optional<gateway::Reply> on_request_body(gateway::Exchange& ex, std::string_view body,
                                                bool complete) const override;

  static std::unique_ptr<gateway::Guard> build(const std::vector<ConfigNode>& layers,
                                               const gateway::GuardContext& ctx);

 private:
  std::optional<gateway::Reply> judge(gateway::Exchange& ex, std::string_view body,
                                      bool body_complete) const;
  bool has_body(const gateway::Exchange& ex) const;
  bool binary_body(const gateway::Exchange& ex) const;

  WafSettings s_;
  std::shared_ptr<const waf::Inspector> inspector_;
};

}  // namespace rampart::guards
