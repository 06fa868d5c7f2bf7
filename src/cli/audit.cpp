// `rampart audit SUBCOMMAND ...`: the auditor's parts, one line each in the table below.
#include <cstdio>
#include <string_view>

#include "cli/commands.h"

namespace rampart::cli {

namespace {

struct AuditCommand {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);  // argv[0] is the audit subcommand's name
};

constexpr AuditCommand kAuditCommands[] = {
    {"code", "security mistakes in Python web code and templates", run_audit_code},
    {"deps", "known vulnerabilities in the dependencies (lockfiles, environments)", run_audit_deps},
};

void print_audit_usage(FILE* out) {
  std::fprintf(out, "usage: rampart audit SUBCOMMAND [OPTIONS]\n\nsubcommands:\n");
  for (const auto& c : kAuditCommands) std::fprintf(out, "  %-8s %s\n", c.name, c.summary);
  std::fprintf(out, "\n'rampart audit SUBCOMMAND --help' tells more of each.\n");
}

}  // namespace

int run_audit(int argc, char** argv) {
  if (argc < 2) {
    print_audit_usage(stderr);
    return 2;
  }
  std::string_view sub = argv[1];
  if (sub == "--help" || sub == "-h" || sub == "help") {
    print_audit_usage(stdout);
    return 0;
  }
  for (const auto& c : kAuditCommands) {
    if (sub == c.name) return c.run(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "rampart audit: unknown subcommand '%s'\n\n", argv[1]);
  print_audit_usage(stderr);
  return 2;
}

}  // namespace rampart::cli
