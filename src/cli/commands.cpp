#include "cli/commands.h"

namespace rampart::cli {

namespace {
constexpr Command kCommands[] = {
    {"serve", "run the security gateway in front of an application", run_serve},
    {"check-config", "validate a configuration file and exit", run_check_config},
    {"audit", "audit code, dependencies or a running site", run_audit},
};
}  // namespace

std::span<const Command> commands() { return kCommands; }

}  // namespace rampart::cli
