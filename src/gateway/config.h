#pragma once
// The gateway's configuration: what rampart.yaml (or the quick command-line form) says, validated
// once at start-up or reload. Guard settings stay as YAML nodes here; each guard validates its
// own when the pipeline is built (see pipeline.h), so that check-config reports every mistake.

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/address.h"
#include "state/options.h"

namespace rampart::gateway {

using std::chrono::milliseconds;

struct ListenSpec {
  std::string text;  // as written
  std::string host;  // "" for all addresses
  uint16_t port = 0;
  bool tls = true;
  bool redirect_to_https = false;  // decided from the whole configuration (see configuration.md)
};

struct UpstreamSpec {
  std::string text;
  std::string host;
  uint16_t port = 0;
};

struct CertificateSpec {
  std::string cert_file;
  std::string key_file;
};

struct TlsSettings {
  std::vector<CertificateSpec> certificates;
  bool self_signed = true;
  std::string state_dir;
};

struct Limits {
  uint64_t max_head_size = 16 * 1024;
  uint64_t max_headers = 100;
  uint64_t max_uri_length = 8 * 1024;
  uint64_t max_body_size = 100ULL << 20;
  uint64_t max_connections = 10000;
  uint64_t max_connections_per_client = 0;  // 0: no limit
};

struct Timeouts {
  milliseconds head{10'000};
  milliseconds body{60'000};
  milliseconds keep_alive{60'000};
  milliseconds upstream_connect{5'000};
  milliseconds upstream_response{60'000};
  milliseconds drain{30'000};
  milliseconds websocket_idle{3'600'000};
};

struct RouteSpec {
  std::string prefix;
  YAML::Node guards;  // overrides, per guard name
  int line = 0;
};

struct GatewayConfig {
  std::string source;  // the file name, or "command line"
  std::vector<ListenSpec> listeners;
  std::vector<UpstreamSpec> upstreams;
  std::vector<std::string> domains;  // lower case; empty: any host
  TlsSettings tls;
  http::CidrSet trusted_proxies;
  int threads = 0;
  Limits limits;
  Timeouts timeouts;
  YAML::Node guards;  // guard name -> settings
  std::vector<RouteSpec> routes;
  state::StateOptions state;  // where limits, bans and sessions are kept
  std::string admin_socket;   // the Unix socket of `rampart bans`; empty: none

  bool any_tls_listener() const;
};

// Reads and validates a configuration document; `source` names it in messages.
StatusOr<GatewayConfig> parse_gateway_config(const YAML::Node& root, const std::string& source);
StatusOr<GatewayConfig> load_gateway_config(const std::string& path);

// "host:port", ":port", "[v6]:port", optionally after "http://" or "https://".
bool parse_listen(std::string_view text, ListenSpec& out, std::string& error);
bool parse_upstream(std::string_view text, UpstreamSpec& out, std::string& error);

}  // namespace rampart::gateway
