#include "cli/commands.h"

namespace rampart::cli {

namespace {
constexpr Command kCommands[] = {
    {"serve", "run the security gateway in front of an application", run_serve},
    {"check-config", "validate a configuration file and exit", run_check_config},
    {"bans", "list or lift the bans of a running gateway", run_bans},
    {"audit", "audit an application: dependencies, code, a live site", run_audit},
};
}  // namespace

std::span<const Command> commands() { return kCommands; }

}  // namespace rampart::cli
