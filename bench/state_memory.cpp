// Memory of the memory state store holding one million distinct client keys (bench/ratelimit.sh
// runs it): rate state for 1,000,000 IPv4 clients under one limit, keyed as the rate_limit guard
// keys them, measured as the growth of this process's resident memory (VmRSS) and divided per
// key. A clock that does not move keeps every entry alive.
//
//   build/src/state/bench_state_memory [KEYS]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "state/memory_store.h"

namespace {

long rss_kib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace rampart::state;
  const long keys = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 1'000'000;
  ManualClock clock;
  MemoryOptions options;
  options.max_entries = size_t(keys) + size_t(keys) / 4;  // room for all: none evicted
  long before = rss_kib();
  MemoryStore store(options, clock);
  const Gcra limit{Micros(600'000), 100};  // 100/minute
  std::string key;
  for (long i = 0; i < keys; ++i) {
    key = "rl:guards.rate_limit.limits.per_client|ip:10.";
    key += std::to_string((i >> 16) & 255) + "." + std::to_string((i >> 8) & 255) + "." +
           std::to_string(i & 255);
    if (i >= (1 << 24)) key += "/" + std::to_string(i >> 24);
    if (!store.rate_now(key, limit).allowed) {
      std::fprintf(stderr, "bench_state_memory: key %ld was refused\n", i);
      return 1;
    }
  }
  long after = rss_kib();
  if (store.size() != size_t(keys) || store.evictions() != 0) {
    std::fprintf(stderr, "bench_state_memory: %zu entries held, %zu evicted\n", store.size(),
                 store.evictions());
    return 1;
  }
  double mib = double(after - before) / 1024.0;
  std::printf("keys=%ld rss_growth_kib=%ld mib=%.1f bytes_per_key=%.1f\n", keys, after - before,
              mib, double(after - before) * 1024.0 / double(keys));
  return 0;
}
