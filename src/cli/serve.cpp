// rampart serve: the security gateway.
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "common/config_node.h"
#include "common/logging.h"
#include "guards/access_log/log_sink.h"
#include "net/server.h"

namespace rampart::cli {
namespace {

constexpr const char* kHelp =
    "usage: rampart serve --config FILE\n"
    "       rampart serve --upstream URL [--listen ADDR]... [--domain NAME]...\n\n"
    "Runs the security gateway in front of an application.\n\n"
    "  --config FILE     the configuration (see docs/configuration.md)\n"
    "  --upstream URL    the application, such as http://127.0.0.1:8000 (repeatable)\n"
    "  --listen ADDR     :8443 or https://ADDR:PORT serves HTTPS (the default, on :8443);\n"
    "                    http://ADDR:PORT serves plain HTTP (repeatable)\n"
    "  --domain NAME     a host name served; others get 421 (repeatable)\n"
    "  --log-level L     debug, info, warning or error (default info)\n\n"
    "Signals: SIGTERM/SIGINT drain and exit, SIGHUP reloads the configuration,\n"
    "SIGUSR1 reopens the access log.\n";

StatusOr<gateway::GatewayConfig> quick_config(const Args& args) {
  YAML::Node root(YAML::NodeType::Map);
  for (const auto& u : args.values("upstream")) root["upstreams"].push_back(u);
  for (const auto& l : args.values("listen")) root["listen"].push_back(l);
  for (const auto& d : args.values("domain")) root["domains"].push_back(d);
  return gateway::parse_gateway_config(root, "command line");
}

}  // namespace

int run_serve(int argc, char** argv) {
  auto parsed = Args::parse(argc, argv, 1,
                            {{"config"},
                             {"upstream", true, true},
                             {"listen", true, true},
                             {"domain", true, true},
                             {"log-level"}});
  if (!parsed.ok()) {
    std::fprintf(stderr, "rampart serve: %s\n", parsed.status().message().c_str());
    return 2;
  }
  const Args& args = *parsed;
  if (args.help()) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  if (auto level = args.value("log-level")) {
    if (*level == "debug")
      set_log_level(LogLevel::kDebug);
    else if (*level == "info")
      set_log_level(LogLevel::kInfo);
    else if (*level == "warning")
      set_log_level(LogLevel::kWarn);
    else if (*level == "error")
      set_log_level(LogLevel::kError);
    else {
      std::fprintf(stderr, "rampart serve: --log-level: expected debug, info, warning or error\n");
      return 2;
    }
  }
  std::optional<std::string> file = args.value("config");
  if (file && (args.flag("upstream") || args.flag("listen") || args.flag("domain"))) {
    std::fprintf(stderr, "rampart serve: give either --config or --upstream/--listen/--domain\n");
    return 2;
  }
  if (!file && !args.flag("upstream")) {
    std::fprintf(
        stderr, "rampart serve: name the application with --upstream URL, or a --config FILE\n\n%s",
        kHelp);
    return 2;
  }
  if (!args.positionals().empty()) {
    std::fprintf(stderr, "rampart serve: unexpected argument '%s'\n",
                 args.positionals()[0].c_str());
    return 2;
  }
  auto load = [&]() -> StatusOr<gateway::GatewayConfig> {
    return file ? gateway::load_gateway_config(*file) : quick_config(args);
  };
  auto config = load();
  if (!config.ok()) {
    log_error(config.status().message());
    return 1;
  }
  auto runtime = net::build_runtime(std::move(*config));
  if (!runtime.ok()) {
    log_error(runtime.status().message());
    return 1;
  }
  net::ServerHooks hooks;
  if (file) hooks.reload = load;
  hooks.reopen_logs = [] { guards::LogSink::reopen_all(); };
  hooks.tick = [] { guards::LogSink::flush_all(); };
  return net::run_server(*runtime, hooks);
}

}  // namespace rampart::cli
