#!/usr/bin/env bash
# What one rate-limit decision costs redis-server, in instructions (callgrind), which do not
# depend on the machine's load: the batched GCRA script of the Redis store (one EVALSHA for a
# batch of decisions) at several batch sizes, and for comparison the one-decision script the
# store ran before (a call per decision, pipelined). redis-server runs under valgrind; a warm-up
# creates the keys, then the counters are zeroed, DECISIONS decisions are sent and the counters
# dumped: instructions per decision = the total / DECISIONS (redis-server's whole work: reading,
# parsing, the script, the replies, expiring keys; not the kernel's).
#
#   bench/redis_gcra_cost.sh [BATCH...]      (default: 1 8 24 64)
#
# Environment: BENCH_DECISIONS (default 12000). Needs valgrind (callgrind_control) and
# redis-server. Prints one line per script and batch size.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
decisions="${BENCH_DECISIONS:-12000}"
batches=("$@")
[ ${#batches[@]} -gt 0 ] || batches=(1 8 24 64)
python=/usr/bin/python3
for tool in valgrind callgrind_control redis-server redis-cli; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is missing" >&2; exit 2; }
done
work="$(mktemp -d /tmp/rampart-gcra-cost.XXXXXX)"
# cleanup, free_port, wait_for_port
source "$root/bench/lib.sh"
pids=()
trap cleanup EXIT

one() {  # one SCRIPT BATCH
  local script=$1 batch=$2 port dir pid file ir
  port="$(free_port)"
  dir="$work/$script-$batch"
  mkdir -p "$dir"
  valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.%p" redis-server --port "$port" \
    --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" > "$dir/log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 300); do redis-cli -p "$port" ping > /dev/null 2>&1 && break; sleep 0.1; done
  "$python" "$root/bench/redis_gcra_cost.py" "$port" "$script" "$batch" 20000  # warm-up
  callgrind_control -z "$pid" > /dev/null 2>&1
  "$python" "$root/bench/redis_gcra_cost.py" "$port" "$script" "$batch" "$decisions"
  callgrind_control -d "$pid" > /dev/null 2>&1
  redis-cli -p "$port" shutdown nosave > /dev/null 2>&1 || true
  wait "$pid" || true
  file="$(ls -t "$dir"/callgrind.*.1 | head -n 1)"
  ir="$(sed -n 's/^summary: //p' "$file")"
  printf '%-8s batch %3d: %9d instructions per decision (%d decisions)\n' "$script" "$batch" \
    "$((ir / decisions))" "$decisions"
}

echo "redis-server $(redis-server --version | cut -d' ' -f3), callgrind;" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
for batch in "${batches[@]}"; do one batched "$batch"; done
for batch in 1 "${batches[-1]}"; do one single "$batch"; done
