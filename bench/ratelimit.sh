#!/usr/bin/env bash
# What the rate_limit guard costs: rampart's throughput with the guard off, on with its state in
# memory, and on with its state in Redis, in one run; then the memory that one million client
# keys take in the memory store.
#
#   bench/ratelimit.sh
#
# One upstream (nginx serving a fixed 100-byte body) and three rampart processes, one per mode,
# each pinned to core 0 with one worker thread, the headers, cookies and access-log guards on
# (the access log to /dev/null) and the WAF off (bench/waf.sh measures it). wrk, the upstream
# and redis-server (started here on a free port, no persistence) share core 1. wrk sends each
# request as one of 10,000 clients (X-Forwarded-For, believed from 127.0.0.1), so the limit
# keeps 10,000 keys; the limit (1000000/second per client) never refuses, so every mode does
# the same work but the guard's. Rounds interleave the modes; the median of the rounds is
# reported: requests/s, p50 and p99 latency, rampart's CPU time per request, and each mode's
# throughput cost against "off". An extra line reports redis-server's own CPU time per request
# in the Redis mode (from /proc, before and after each run) and the rate-limit decisions per
# script call, so that the reader sees what Redis takes from the core it shares with wrk. Targets: memory state under 5%, Redis under 25%, at 64
# connections; one million keys in memory under 150 MiB.
#
# Environment: RAMPART_BIN (default build/rampart), BENCH_STATE_MEMORY (default
# build/src/state/bench_state_memory), BENCH_DURATION (s, default 5), BENCH_CONNECTIONS (64),
# BENCH_THREADS (2), BENCH_ROUNDS (5), BENCH_KEEP=1 keeps the temporary directory. Results go to
# bench/results/ (gitignored).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rampart="${RAMPART_BIN:-$root/build/rampart}"
state_memory="${BENCH_STATE_MEMORY:-$root/build/src/state/bench_state_memory}"
duration="${BENCH_DURATION:-5}"
connections="${BENCH_CONNECTIONS:-64}"
wrk_threads="${BENCH_THREADS:-2}"
rounds="${BENCH_ROUNDS:-5}"
proxy_cpu=0
load_cpu=1
python=/usr/bin/python3

for tool in wrk nginx redis-server redis-cli taskset curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench: $tool is missing: run scripts/install-deps" >&2
    exit 2
  fi
done
for bin in "$rampart" "$state_memory"; do
  if [ ! -x "$bin" ]; then
    echo "bench: $bin is missing: run 'make build' (and 'ninja -C build bench_state_memory')" >&2
    exit 2
  fi
done
if [ "$(nproc)" -lt 2 ]; then
  echo "bench: needs two cores (rampart on one, wrk, the upstream and Redis on the other)" >&2
  exit 2
fi

work="$(mktemp -d /tmp/rampart-bench.XXXXXX)"
chmod 755 "$work"
results_dir="$root/bench/results"
mkdir -p "$results_dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
tsv="$results_dir/ratelimit-$stamp.tsv"
redis_tsv="$results_dir/ratelimit-$stamp-redis-server.tsv"
report="$results_dir/ratelimit-$stamp.txt"
clk_tck="$(getconf CLK_TCK)"

# cleanup, free_port, wait_for_port, cpu_ticks, descendants, rss_kib
source "$root/bench/lib.sh"
pids=()
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the upstream, Redis -----------------------------------------------------------------------------

mkdir -p "$work/www" "$work/upstream" "$work/redis"
head -c 100 /dev/zero | tr '\0' 'a' > "$work/www/100"
chmod -R a+rX "$work/www"
upstream_port="$(free_port)"
static_upstream_conf "$work/upstream" "$upstream_port"
taskset -c "$load_cpu" nginx -p "$work/upstream" -c "$work/upstream/nginx.conf" \
  -e "$work/upstream/error.log" &
pids+=($!)
wait_for_port "$upstream_port" "${pids[-1]}" "upstream nginx"

redis_port="$(free_port)"
taskset -c "$load_cpu" redis-server --port "$redis_port" --bind 127.0.0.1 --save '' \
  --appendonly no --dir "$work/redis" > "$work/redis/redis.log" 2>&1 &
pids+=($!)
redis_pid=$!
wait_for_port "$redis_port" "${pids[-1]}" redis-server

# --- rampart, one process per mode -------------------------------------------------------------------

declare -A port main_pid
modes=(off memory redis)
for mode in "${modes[@]}"; do
  dir="$work/rampart-$mode"
  mkdir -p "$dir/state"
  port[$mode]="$(free_port)"
  {
    echo "upstream: http://127.0.0.1:$upstream_port"
    echo "listen: [\"http://127.0.0.1:${port[$mode]}\"]"
    echo "threads: 1"
    echo "trusted_proxies: [127.0.0.1]"
    echo "timeouts: { keep_alive: 300s }"
    echo "tls: { state_dir: $dir/state }"
    [ "$mode" = redis ] && echo "state: redis://127.0.0.1:$redis_port/0"
    echo "guards:"
    echo "  access_log: { path: /dev/null }"
    echo "  waf: false"
    if [ "$mode" != off ]; then
      echo "  rate_limit:"
      echo "    limits: { per_client: { rate: 1000000/second } }"
    fi
  } > "$dir/rampart.yaml"
  XDG_STATE_HOME="$dir/state" taskset -c "$proxy_cpu" "$rampart" serve --config "$dir/rampart.yaml" \
    > "$dir/rampart.log" 2>&1 &
  pids+=($!)
  main_pid[$mode]=$!
  wait_for_port "${port[$mode]}" "${main_pid[$mode]}" "rampart ($mode)"
  got="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port[$mode]}/100")"
  if [ "$got" != 200 ]; then
    echo "bench: rampart ($mode) answers $got; see $dir/rampart.log" >&2
    exit 1
  fi
done
if ! redis-cli -p "$redis_port" info commandstats | grep -q '^cmdstat_evalsha:'; then
  echo "bench: rampart (redis) ran no script in Redis; see $work/rampart-redis/rampart.log" >&2
  exit 1
fi

# Each request from one of 10,000 clients.
cat > "$work/clients.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  local c = n % 10000
  local ip = "10.0." .. math.floor(c / 256) .. "." .. (c % 256)
  return wrk.format("GET", "/100", { ["X-Forwarded-For"] = ip })
end
LUA

evalsha_calls() {
  redis-cli -p "$redis_port" info commandstats | sed -n 's/^cmdstat_evalsha:calls=\([0-9]*\),.*/\1/p'
}

measure() {  # measure ROUND MODE: appends a line to the TSV, and redis-server's share to $redis_tsv
  local round=$1 mode=$2 before after redis_before redis_after calls_before calls_after
  before="$(cpu_ticks "${main_pid[$mode]}")"
  redis_before="$(cpu_ticks "$redis_pid")"
  calls_before="$(evalsha_calls)"
  taskset -c "$load_cpu" wrk -t "$wrk_threads" -c "$connections" -d "${duration}s" --latency \
    -s "$work/clients.lua" "http://127.0.0.1:${port[$mode]}/100" > "$work/wrk-$round-$mode.txt" 2>&1 || true
  after="$(cpu_ticks "${main_pid[$mode]}")"
  redis_after="$(cpu_ticks "$redis_pid")"
  calls_after="$(evalsha_calls)"
  "$python" "$root/bench/wrk_parse.py" "$round" rampart "$mode" "$((after - before))" "$clk_tck" \
    < "$work/wrk-$round-$mode.txt" >> "$tsv"
  printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$mode" "$((redis_after - redis_before))" \
    "$(tail -n 1 "$tsv" | cut -f8)" "$((${calls_after:-0} - ${calls_before:-0}))" >> "$redis_tsv"
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'round\tproxy\tcase\trps\tp50_us\tp99_us\tcpu_us_per_request\trequests\terrors\n' > "$tsv"
printf 'round\tcase\tredis_cpu_ticks\trequests\tevalsha_calls\n' > "$redis_tsv"
echo "bench: modes ${modes[*]}; $rounds rounds of $duration s, wrk -t$wrk_threads -c$connections," \
     "10,000 clients; rampart on core $proxy_cpu, wrk, upstream and Redis on core $load_cpu"
for mode in "${modes[@]}"; do  # warm-up, not recorded
  taskset -c "$load_cpu" wrk -t 1 -c 8 -d 1s -s "$work/clients.lua" \
    "http://127.0.0.1:${port[$mode]}/100" > /dev/null 2>&1 || true
done
for round in $(seq 1 "$rounds"); do
  for mode in "${modes[@]}"; do
    measure "$round" "$mode"
    tail -n 1 "$tsv" | awk -F'\t' '{ printf "  round %s %-7s %9.0f req/s  p50 %7.0f us  p99 %7.0f us  cpu %6.1f us/req  errors %s\n", $1, $3, $4, $5, $6, $7, $9 }'
  done
done

memory="$("$state_memory" 1000000)"

{
  echo "rampart bench/ratelimit.sh $stamp on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
  echo "wrk -t$wrk_threads -c$connections -d${duration}s, 10,000 clients, $rounds interleaved rounds, median;" \
       "rampart (one thread) on core $proxy_cpu; wrk, upstream nginx and redis-server on core $load_cpu"
  echo "load average before the runs: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "$("$rampart" --version); $(redis-server --version | cut -d' ' -f1-3)"
  "$python" - "$tsv" "$memory" "$redis_tsv" "$clk_tck" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
med = {}
for mode in ("off", "memory", "redis"):
    rs = [r for r in rows if r["case"] == mode]
    def m(k):
        vals = [float(r[k]) for r in rs if r[k] != "nan"]
        return statistics.median(vals) if vals else float("nan")
    med[mode] = {k: m(k) for k in ("rps", "p50_us", "p99_us", "cpu_us_per_request")}
    errs = sorted({r["errors"] for r in rs} - {"-"})
    med[mode]["errors"] = ",".join(errs) or "none"
print(f"{'mode':8} {'req/s':>9} {'p50 us':>8} {'p99 us':>8} {'cpu us/req':>11}  cost     target  errors")
targets = {"memory": 5.0, "redis": 25.0}
for mode, v in med.items():
    cost = "" if mode == "off" else f"{(1 - v['rps'] / med['off']['rps']) * 100:5.1f}%"
    target = "" if mode == "off" else f"< {targets[mode]:.0f}%"
    print(f"{mode:8} {v['rps']:9.0f} {v['p50_us']:8.0f} {v['p99_us']:8.0f} {v['cpu_us_per_request']:11.2f}"
          f"  {cost:7}  {target:6}  {v['errors']}")
redis_rows = [r for r in csv.DictReader(open(sys.argv[3]), delimiter="\t")
              if r["case"] == "redis" and r["requests"] not in ("", "nan", "0")]
if redis_rows:
    tick_us = 1e6 / float(sys.argv[4])
    cpu = statistics.median(float(r["redis_cpu_ticks"]) * tick_us / float(r["requests"])
                            for r in redis_rows)
    calls = [int(r["evalsha_calls"]) for r in redis_rows]
    per_call = statistics.median(float(r["requests"]) / c for r, c in zip(redis_rows, calls) if c)
    print(f"redis-server itself (not in the table; on the load core): {cpu:.2f} us CPU per request "
          f"in mode redis (median of {len(redis_rows)}), {per_call:.1f} requests per script call")
fields = dict(kv.split("=") for kv in sys.argv[2].split())
print(f"memory state, {int(fields['keys']):,} client keys: {float(fields['mib']):.1f} MiB "
      f"({float(fields['bytes_per_key']):.0f} bytes per key; target < 150 MiB)")
PY
} | tee "$report"
echo "bench: results in $report and $tsv"
