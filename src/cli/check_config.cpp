// rampart check-config: validates a configuration file and exits.
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "gateway/config.h"
#include "gateway/pipeline.h"
#include "net/tls.h"

namespace rampart::cli {

int run_check_config(int argc, char** argv) {
  auto parsed = Args::parse(argc, argv, 1, {});
  if (!parsed.ok()) {
    std::fprintf(stderr, "rampart check-config: %s\n", parsed.status().message().c_str());
    return 2;
  }
  if (parsed->help() || parsed->positionals().size() != 1) {
    std::fputs(
        "usage: rampart check-config FILE\n\n"
        "Validates a configuration file: every mistake is reported with its file, line\n"
        "and key. Exits 0 when the file is valid, 1 when it is not, 2 on a usage error.\n",
        parsed->help() ? stdout : stderr);
    return parsed->help() ? 0 : 2;
  }
  const std::string& file = parsed->positionals()[0];
  auto config = gateway::load_gateway_config(file);
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n", config.status().message().c_str());
    return 1;
  }
  auto pipeline = gateway::Pipeline::build(*config);
  if (!pipeline.ok()) {
    std::fprintf(stderr, "%s\n", pipeline.status().message().c_str());
    return 1;
  }
  if (config->any_tls_listener()) {
    auto tls = net::TlsStore::build(*config, /*make_self_signed=*/false);
    if (!tls.ok()) {
      std::fprintf(stderr, "%s\n", tls.status().message().c_str());
      return 1;
    }
  }
  std::printf("%s: valid (%zu listeners, %zu upstreams, %zu routes)\n", file.c_str(),
              config->listeners.size(), config->upstreams.size(), config->routes.size());
  return 0;
}

}  // namespace rampart::cli
