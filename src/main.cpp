// rampart: one binary, dispatching to the subcommands of src/cli/.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "cli/commands.h"
#include "common/version.h"

namespace {

void print_usage(FILE* out) {
  std::fprintf(out,
               "rampart %s: secures Python web applications\n\n"
               "usage: rampart COMMAND [OPTIONS]\n\ncommands:\n",
               rampart::kVersion);
  for (const auto& c : rampart::cli::commands())
    std::fprintf(out, "  %-14s %s\n", c.name, c.summary);
  std::fprintf(out, "\n'rampart COMMAND --help' tells more of each command.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(stderr);
    return 2;
  }
  std::string_view cmd = argv[1];
  if (cmd == "--version" || cmd == "version") {
    std::printf("rampart %s\n", rampart::kVersion);
    return 0;
  }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    print_usage(stdout);
    return 0;
  }
  for (const auto& c : rampart::cli::commands()) {
    if (cmd == c.name) return c.run(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "rampart: unknown command '%s'\n\n", argv[1]);
  print_usage(stderr);
  return 2;
}
