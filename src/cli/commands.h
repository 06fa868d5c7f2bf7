#pragma once
// The subcommands of the rampart binary. Each lives in its own file of src/cli/ and is listed
// once in the table of commands.cpp. A command returns the process exit code: 0 success, 1 a
// finding or check that failed, 2 a usage or input error.

#include <span>

namespace rampart::cli {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);  // argv[0] is the subcommand's name
};

std::span<const Command> commands();

int run_serve(int argc, char** argv);
int run_check_config(int argc, char** argv);
int run_bans(int argc, char** argv);
int run_audit(int argc, char** argv);
// The audit subcommands, dispatched by run_audit (src/cli/audit.cpp).
int run_audit_deps(int argc, char** argv);
int run_audit_code(int argc, char** argv);

}  // namespace rampart::cli
