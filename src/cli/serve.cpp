#include <cstdio>

#include "cli/commands.h"

namespace rampart::cli {

int run_serve(int, char**) {
  std::fprintf(stderr, "rampart: this command is being built\n");
  return 2;
}

}  // namespace rampart::cli
