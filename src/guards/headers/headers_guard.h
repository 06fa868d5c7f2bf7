#pragma once
// The `headers` guard: the security headers every HTML application should send (HSTS on HTTPS, a
// default Content-Security-Policy, nosniff, Referrer-Policy, Permissions-Policy, COOP, CORP), and
// the removal of headers that advertise the software behind the gateway (Server, X-Powered-By).
// A header the application already sends is kept, unless the setting says `override: true`; HSTS
// is always the gateway's, and only sent over HTTPS.

#include <memory>
#include <string>
#include <vector>

#include "common/config_node.h"
#include "gateway/guard.h"
#include "gateway/guard_registry.h"

namespace rampart::guards {

struct HeadersSettings {
  bool hsts = true;
  int64_t hsts_max_age = 31'536'000;
  bool hsts_include_subdomains = true;
  bool hsts_preload = false;
  std::string csp =
      "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";
  bool csp_report_only = false;
  std::string referrer_policy = "strict-origin-when-cross-origin";
  std::string permissions_policy = "camera=(), microphone=(), geolocation=()";
  std::string cross_origin_opener_policy = "same-origin";
  std::string cross_origin_resource_policy = "same-origin";
  std::string content_type_options = "nosniff";
  std::vector<std::string> remove = {"Server", "X-Powered-By"};
  bool override_app = false;  // replace the application's own values of these headers

  void read(const ConfigNode& node);
};

class HeadersGuard : public gateway::Guard {
 public:
  explicit HeadersGuard(HeadersSettings s);
  std::string_view name() const override { return "headers"; }
  void on_response(gateway::Exchange& ex, http::ResponseHead& resp) const override;

  static std::unique_ptr<gateway::Guard> build(const std::vector<ConfigNode>& layers,
                                               const gateway::GuardContext& ctx);

 private:
  HeadersSettings s_;
  std::string hsts_value_;
  struct Fixed {
    std::string name;
    std::string value;
  };
  std::vector<Fixed> fixed_;  // the headers set when absent (or always with override_app)
};

}  // namespace rampart::guards
