#pragma once
// The gateway's data plane: one io_context per worker thread (as many as cores by default), each
// with its own listening sockets (SO_REUSEPORT), upstream pool and timeouts, so that threads
// share nothing on the hot path. A Runtime is everything one configuration needs; it is replaced
// whole on SIGHUP. Signals: SIGTERM/SIGINT drain and return 0; SIGHUP reloads; SIGUSR1 reopens
// the access logs.

#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <vector>

#include "common/status.h"
#include "gateway/config.h"
#include "gateway/pipeline.h"
#include "http/parser.h"
#include "net/tls.h"

namespace rampart::net {

struct Runtime {
  gateway::GatewayConfig config;
  std::shared_ptr<const gateway::Pipeline> pipeline;
  std::shared_ptr<TlsStore> tls;  // null without an HTTPS listener
  std::vector<boost::asio::ip::tcp::endpoint> upstream_endpoints;
  http::ParserLimits parser_limits;
  uint16_t https_port = 0;  // where plain-HTTP listeners redirect to
};

// Validates and prepares everything a configuration needs (pipeline, certificates, upstream
// addresses). Used at start-up, by check-config, and on reload.
StatusOr<std::shared_ptr<const Runtime>> build_runtime(gateway::GatewayConfig config);

// What the server calls back into, from its main thread.
struct ServerHooks {
  std::function<StatusOr<gateway::GatewayConfig>()> reload;  // on SIGHUP
  std::function<void()> reopen_logs;                         // on SIGUSR1
  std::function<void()> tick;                                // every 100 ms (log flushing)
};

// Runs the gateway until SIGTERM/SIGINT, then drains. Returns the process exit code.
int run_server(std::shared_ptr<const Runtime> runtime, const ServerHooks& hooks);

}  // namespace rampart::net
