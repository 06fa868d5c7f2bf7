// rampart bans: lists and lifts the bans of a running gateway, through its admin socket.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "gateway/config.h"

namespace rampart::cli {
namespace {

constexpr const char* kHelp =
    "usage: rampart bans list [--config FILE | --socket PATH]\n"
    "       rampart bans remove ADDRESS [--config FILE | --socket PATH]\n\n"
    "Lists the bans in force, or lifts one, in the running gateway (and, with a Redis\n"
    "state store, in every gateway that shares it).\n\n"
    "  ADDRESS          203.0.113.7, 2001:db8::1 (its /64 too), ip:KEY or user:NAME\n"
    "  --config FILE    the gateway's configuration, for its admin_socket\n"
    "  --socket PATH    the admin socket itself (default: as the configuration says,\n"
    "                   or the default state directory's admin.sock)\n\n"
    "Exit status: 0 done, 1 no such ban, 2 usage error or no gateway to ask.\n";

// One request, one answer; blocking is fine in a command-line tool.
StatusOr<std::string> ask(const std::string& path, const std::string& request) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) return Status::error(path + ": path too long");
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::error(std::string("socket: ") + std::strerror(errno));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::string why = std::strerror(errno);
    ::close(fd);
    return Status::error("cannot reach the gateway's admin socket " + path + ": " + why +
                         " (is `rampart serve` running with this configuration?)");
  }
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string line = request + "\n";
  if (::write(fd, line.data(), line.size()) != ssize_t(line.size())) {
    ::close(fd);
    return Status::error("cannot write to " + path);
  }
  std::string answer;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    answer.append(buf, size_t(n));
    if (answer.size() > (64u << 20)) break;
  }
  ::close(fd);
  return answer;
}

}  // namespace

int run_bans(int argc, char** argv) {
  auto parsed = Args::parse(argc, argv, 1, {{"config"}, {"socket"}});
  if (!parsed.ok()) {
    std::fprintf(stderr, "rampart bans: %s\n", parsed.status().message().c_str());
    return 2;
  }
  const Args& args = *parsed;
  const auto& pos = args.positionals();
  if (args.help()) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  bool list = pos.size() == 1 && pos[0] == "list";
  bool remove = pos.size() == 2 && pos[0] == "remove";
  if (!list && !remove) {
    std::fputs(kHelp, stderr);
    return 2;
  }
  std::string path;
  if (auto s = args.value("socket")) {
    path = *s;
  } else {
    auto load = [&]() -> StatusOr<gateway::GatewayConfig> {
      if (auto file = args.value("config")) return gateway::load_gateway_config(*file);
      YAML::Node root(YAML::NodeType::Map);
      root["upstream"] = "http://127.0.0.1:1";  // only the defaults are wanted
      return gateway::parse_gateway_config(root, "defaults");
    };
    auto config = load();
    if (!config.ok()) {
      std::fprintf(stderr, "%s\n", config.status().message().c_str());
      return 2;
    }
    path = config->admin_socket;
    if (path.empty()) {
      std::fprintf(stderr, "rampart bans: the configuration turns the admin socket off\n");
      return 2;
    }
  }
  auto answer = ask(path, list ? "bans list" : "bans remove " + pos[1]);
  if (!answer.ok()) {
    std::fprintf(stderr, "rampart bans: %s\n", answer.status().message().c_str());
    return 2;
  }
  nlohmann::json j = nlohmann::json::parse(*answer, nullptr, false);
  if (!j.is_object()) {
    std::fprintf(stderr, "rampart bans: the gateway answered something unexpected\n");
    return 2;
  }
  if (j.contains("error") && j["error"].is_string()) {
    std::fprintf(stderr, "rampart bans: %s\n", j["error"].get<std::string>().c_str());
    return 2;
  }
  if (list) {
    const auto& bans = j["bans"];
    if (!bans.is_array() || bans.empty()) {
      std::printf("no bans in force\n");
      return 0;
    }
    size_t width = 3;
    for (const auto& b : bans) width = std::max(width, b.value("key", std::string()).size());
    std::printf("%-*s  %-20s  %5s  %s\n", int(width), "KEY", "UNTIL (UTC)", "LEVEL", "REASON");
    for (const auto& b : bans) {
      std::printf("%-*s  %-20s  %5d  %s\n", int(width), b.value("key", std::string()).c_str(),
                  b.value("until", std::string()).c_str(), b.value("level", 0),
                  b.value("reason", std::string()).c_str());
    }
    return 0;
  }
  const auto& removed = j["removed"];
  if (!removed.is_array() || removed.empty()) {
    std::printf("no ban in force for %s\n", pos[1].c_str());
    return 1;
  }
  for (const auto& k : removed) {
    if (k.is_string()) std::printf("lifted the ban on %s\n", k.get<std::string>().c_str());
  }
  return 0;
}

}  // namespace rampart::cli
