// `rampart audit KIND ...`: dispatch to the audits. Each audit lives in its own file.
#include <cstdio>
#include <string_view>

#include "cli/commands.h"

namespace rampart::cli {

namespace {

struct AuditCommand {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);
};

constexpr AuditCommand kAudits[] = {
    {"code", "find security mistakes in Python web code and templates", run_audit_code},
};

void usage(FILE* out) {
  std::fprintf(out, "usage: rampart audit KIND [OPTIONS]\n\nkinds:\n");
  for (const auto& a : kAudits) std::fprintf(out, "  %-8s %s\n", a.name, a.summary);
  std::fprintf(out, "\n'rampart audit KIND --help' tells more.\n");
}

}  // namespace

int run_audit(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  std::string_view kind = argv[1];
  if (kind == "--help" || kind == "-h") {
    usage(stdout);
    return 0;
  }
  for (const auto& a : kAudits) {
    if (kind == a.name) return a.run(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "rampart audit: unknown kind '%s'\n\n", argv[1]);
  usage(stderr);
  return 2;
}

}  // namespace rampart::cli
