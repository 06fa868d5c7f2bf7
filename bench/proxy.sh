#!/usr/bin/env bash
# Side-by-side proxy benchmark: rampart against nginx, HAProxy and Caddy in front of one small
# upstream (nginx serving a fixed 100-byte and a 16 KiB body on loopback), on plain HTTP and TLS.
#
#   bench/proxy.sh                     (or `make bench`)
#
# Every proxy runs as a foreground process from a configuration generated into a temporary
# directory (ports chosen at run time; nothing is written to system directories) and is stopped
# at the end. The proxy is pinned to core 0, wrk and the upstream to core 1. Rounds interleave
# the proxies (each in turn for each case, the whole repeated ROUNDS times) and the median of
# the rounds is reported: requests/s, p50 and p99 latency, and the proxy's CPU time per request
# (utime+stime of all its processes from /proc, before and after, over the requests wrk
# completed: the steadiest figure on a shared machine). Then rampart's ratios to each anchor,
# rampart's idle resident memory, and its resident memory holding 10,000 idle keep-alive
# connections.
#
# The anchors run with their access logs off; rampart runs with the headers, cookies and
# access-log guards on (the WAF off: bench/waf.sh measures it), the access log written to
# /dev/null. Each proxy gets one worker
# thread (nginx worker_processes 1, HAProxy nbthread 1, Caddy GOMAXPROCS=1, rampart threads 1).
#
# Environment: RAMPART_BIN (default build/rampart), BENCH_DURATION (s, default 5),
# BENCH_CONNECTIONS (64), BENCH_THREADS (2), BENCH_ROUNDS (5), BENCH_IDLE_CONNECTIONS (10000),
# BENCH_KEEP=1 keeps the temporary directory. Results go to bench/results/ (gitignored).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rampart="${RAMPART_BIN:-$root/build/rampart}"
duration="${BENCH_DURATION:-5}"
connections="${BENCH_CONNECTIONS:-64}"
wrk_threads="${BENCH_THREADS:-2}"
rounds="${BENCH_ROUNDS:-5}"
idle_connections="${BENCH_IDLE_CONNECTIONS:-10000}"
proxy_cpu=0
load_cpu=1
python=/usr/bin/python3

for tool in wrk nginx haproxy caddy taskset openssl curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench: $tool is missing: run scripts/install-deps" >&2
    exit 2
  fi
done
if [ "$(nproc)" -lt 2 ]; then
  echo "bench: needs two cores (the proxy on one, wrk and the upstream on the other)" >&2
  exit 2
fi

# The idle-connection measurement needs a file descriptor per connection on both sides.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

work="$(mktemp -d /tmp/rampart-bench.XXXXXX)"
chmod 755 "$work"
results_dir="$root/bench/results"
mkdir -p "$results_dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
tsv="$results_dir/proxy-$stamp.tsv"
report="$results_dir/proxy-$stamp.txt"
clk_tck="$(getconf CLK_TCK)"

# cleanup, free_port, wait_for_port, cpu_ticks, descendants, rss_kib
source "$root/bench/lib.sh"
pids=()
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the upstream and the certificate -------------------------------------------------------------

mkdir -p "$work/www" "$work/upstream" "$work/tls"
head -c 100 /dev/zero | tr '\0' 'a' > "$work/www/100"
head -c 16384 /dev/zero | tr '\0' 'b' > "$work/www/16k"
chmod -R a+rX "$work/www"

self_signed_cert "$work/tls"

upstream_port="$(free_port)"
static_upstream_conf "$work/upstream" "$upstream_port"
taskset -c "$load_cpu" nginx -p "$work/upstream" -c "$work/upstream/nginx.conf" \
  -e "$work/upstream/error.log" &
pids+=($!)
wait_for_port "$upstream_port" "${pids[-1]}" "upstream nginx"

# --- the proxies ------------------------------------------------------------------------------------

declare -A plain_port tls_port main_pid
proxies=()

start_nginx() {
  local dir="$work/nginx" p t
  mkdir -p "$dir"
  p="$(free_port)"; t="$(free_port)"
  nginx_proxy_conf "$dir/nginx.conf" "$p" "$t" "$upstream_port" "$work/tls"
  taskset -c "$proxy_cpu" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
  pids+=($!)
  main_pid[nginx]=$!
  plain_port[nginx]=$p; tls_port[nginx]=$t
}

start_haproxy() {
  local dir="$work/haproxy" p t
  mkdir -p "$dir"
  p="$(free_port)"; t="$(free_port)"
  haproxy_proxy_cfg "$dir/haproxy.cfg" "$p" "$t" "$upstream_port" "$work/tls"
  taskset -c "$proxy_cpu" haproxy -db -f "$dir/haproxy.cfg" > "$dir/haproxy.log" 2>&1 &
  pids+=($!)
  main_pid[haproxy]=$!
  plain_port[haproxy]=$p; tls_port[haproxy]=$t
}

start_caddy() {
  local dir="$work/caddy" p t
  mkdir -p "$dir/home" "$dir/data" "$dir/config"
  p="$(free_port)"; t="$(free_port)"
  cat > "$dir/caddy.json" <<EOF
{
  "admin": {"disabled": true},
  "storage": {"module": "file_system", "root": "$dir/data"},
  "apps": {
    "http": {
      "servers": {
        "plain": {
          "listen": ["127.0.0.1:$p"],
          "automatic_https": {"disable": true},
          "routes": [{"handle": [{"handler": "reverse_proxy",
                                  "upstreams": [{"dial": "127.0.0.1:$upstream_port"}]}]}]
        },
        "tls": {
          "listen": ["127.0.0.1:$t"],
          "automatic_https": {"disable": true},
          "tls_connection_policies": [{"certificate_selection": {"any_tag": ["bench"]},
                                       "alpn": ["http/1.1"], "default_sni": "localhost"}],
          "routes": [{"handle": [{"handler": "reverse_proxy",
                                  "upstreams": [{"dial": "127.0.0.1:$upstream_port"}]}]}]
        }
      }
    },
    "tls": {
      "certificates": {
        "load_files": [{"certificate": "$work/tls/cert.pem", "key": "$work/tls/key.pem",
                        "tags": ["bench"]}]
      }
    }
  }
}
EOF
  HOME="$dir/home" XDG_DATA_HOME="$dir/data" XDG_CONFIG_HOME="$dir/config" GOMAXPROCS=1 \
    taskset -c "$proxy_cpu" caddy run --config "$dir/caddy.json" > "$dir/caddy.log" 2>&1 &
  pids+=($!)
  main_pid[caddy]=$!
  plain_port[caddy]=$p; tls_port[caddy]=$t
}

# rampart serves one plain-HTTP configuration and one HTTPS configuration (a plain listener next
# to an HTTPS one would redirect), each its own process on core 0; a case measures the one it uses.
start_rampart() {
  local dir="$work/rampart" p t
  mkdir -p "$dir/state"
  p="$(free_port)"; t="$(free_port)"
  rampart_proxy_yaml "$dir/plain.yaml" http "$p" "$upstream_port" "$work/tls" "$dir/state" \
    "$((idle_connections + 2000))"
  rampart_proxy_yaml "$dir/tls.yaml" https "$t" "$upstream_port" "$work/tls" "$dir/state" \
    "$((idle_connections + 2000))"
  XDG_STATE_HOME="$dir/state" taskset -c "$proxy_cpu" "$rampart" serve --config "$dir/plain.yaml" \
    > "$dir/plain.log" 2>&1 &
  pids+=($!)
  main_pid[rampart]=$!
  XDG_STATE_HOME="$dir/state" taskset -c "$proxy_cpu" "$rampart" serve --config "$dir/tls.yaml" \
    > "$dir/tls.log" 2>&1 &
  pids+=($!)
  main_pid[rampart_tls]=$!
  plain_port[rampart]=$p; tls_port[rampart]=$t
}

rampart_note=""
if [ -x "$rampart" ]; then
  start_rampart
  if wait_for_port "${plain_port[rampart]}" "${main_pid[rampart]}" rampart &&
     wait_for_port "${tls_port[rampart]}" "${main_pid[rampart_tls]}" "rampart (TLS)"; then
    proxies+=(rampart)
  else
    rampart_note="rampart was not measured: it did not start (see $work/rampart/*.log)"
    tail -n 5 "$work"/rampart/*.log >&2 || true
  fi
else
  rampart_note="rampart was not measured: $rampart is missing (run 'make build')"
fi
start_nginx;   wait_for_port "${plain_port[nginx]}" "${main_pid[nginx]}" nginx && proxies+=(nginx)
start_haproxy; wait_for_port "${plain_port[haproxy]}" "${main_pid[haproxy]}" haproxy && proxies+=(haproxy)
start_caddy;   wait_for_port "${plain_port[caddy]}" "${main_pid[caddy]}" caddy && proxies+=(caddy)

cases=(plain-100 plain-16k tls-100 tls-16k)

case_url() {  # case_url PROXY CASE
  local proxy=$1 case=$2
  case "$case" in
    plain-100) echo "http://127.0.0.1:${plain_port[$proxy]}/100" ;;
    plain-16k) echo "http://127.0.0.1:${plain_port[$proxy]}/16k" ;;
    tls-100) echo "https://127.0.0.1:${tls_port[$proxy]}/100" ;;
    tls-16k) echo "https://127.0.0.1:${tls_port[$proxy]}/16k" ;;
  esac
}

case_pid() {  # the process that serves PROXY's CASE
  local proxy=$1 case=$2
  if [ "$proxy" = rampart ] && [[ "$case" == tls-* ]]; then echo "${main_pid[rampart_tls]}"
  else echo "${main_pid[$proxy]}"; fi
}

# Each proxy must answer each case with the right body before it is measured.
checked=()
for proxy in "${proxies[@]}"; do
  ok=1
  for case in "${cases[@]}"; do
    want=100; [[ "$case" == *16k ]] && want=16384
    got="$(curl -sk -o /dev/null -w '%{http_code} %{size_download}' "$(case_url "$proxy" "$case")" || true)"
    if [ "$got" != "200 $want" ]; then
      echo "bench: $proxy answers $case with '$got' (expected '200 $want'): left out" >&2
      ok=0
    fi
  done
  if [ $ok = 1 ]; then checked+=("$proxy"); fi
done
proxies=("${checked[@]}")
if [ ${#proxies[@]} -eq 0 ]; then echo "bench: no proxy answered" >&2; exit 1; fi

# One wrk run; appends a line to the TSV: round proxy case rps p50_us p99_us cpu_us_per_request
# requests errors.
measure() {
  local round=$1 proxy=$2 case=$3 url pid before after out
  url="$(case_url "$proxy" "$case")"
  pid="$(case_pid "$proxy" "$case")"
  before="$(cpu_ticks "$pid")"
  out="$(taskset -c "$load_cpu" wrk -t "$wrk_threads" -c "$connections" -d "${duration}s" \
         --latency "$url" 2>&1)" || true  # a failed run is reported by wrk_parse.py
  after="$(cpu_ticks "$pid")"
  printf '%s\n' "$out" > "$work/wrk-$round-$proxy-$case.txt"
  "$python" "$root/bench/wrk_parse.py" "$round" "$proxy" "$case" "$((after - before))" \
    "$clk_tck" < "$work/wrk-$round-$proxy-$case.txt" >> "$tsv"
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'round\tproxy\tcase\trps\tp50_us\tp99_us\tcpu_us_per_request\trequests\terrors\n' > "$tsv"
echo "bench: proxies ${proxies[*]}; cases ${cases[*]}; ${rounds} rounds of ${duration} s," \
     "wrk -t$wrk_threads -c$connections; proxy on core $proxy_cpu, wrk and upstream on core $load_cpu"
[ -n "$rampart_note" ] && echo "bench: $rampart_note"

# Warm-up (not recorded): TLS session set-up, upstream connection pools, page cache.
for proxy in "${proxies[@]}"; do
  for case in "${cases[@]}"; do
    taskset -c "$load_cpu" wrk -t 1 -c 8 -d 1s "$(case_url "$proxy" "$case")" >/dev/null 2>&1 || true
  done
done

for round in $(seq 1 "$rounds"); do
  for case in "${cases[@]}"; do
    for proxy in "${proxies[@]}"; do
      measure "$round" "$proxy" "$case"
      tail -n 1 "$tsv" | awk -F'\t' '{ printf "  round %s %-8s %-10s %9.0f req/s  p50 %7.0f us  p99 %7.0f us  cpu %6.1f us/req\n", $1, $2, $3, $4, $5, $6, $7 }'
    done
  done
done

# --- rampart's memory: idle, and holding idle keep-alive connections -------------------------------

memory_line=""
if [[ " ${proxies[*]} " == *" rampart "* ]]; then
  # A fresh process, so that the figure is not that of a process that just served a benchmark.
  kill -TERM "${main_pid[rampart]}" 2>/dev/null || true
  wait "${main_pid[rampart]}" 2>/dev/null || true
  XDG_STATE_HOME="$work/rampart/state" taskset -c "$proxy_cpu" "$rampart" serve \
    --config "$work/rampart/plain.yaml" > "$work/rampart/idle.log" 2>&1 &
  pids+=($!)
  idle_pid=$!
  wait_for_port "${plain_port[rampart]}" "$idle_pid" rampart
  for _ in $(seq 1 20); do curl -s -o /dev/null "http://127.0.0.1:${plain_port[rampart]}/100"; done
  sleep 1
  idle_kib="$(rss_kib "$idle_pid")"
  echo "bench: rampart idle: $((idle_kib / 1024)) MiB resident"
  fifo="$work/idle.fifo"
  mkfifo "$fifo"
  taskset -c "$load_cpu" "$python" "$root/bench/idle_connections.py" "${plain_port[rampart]}" \
    "$idle_connections" < "$fifo" > "$work/idle.out" 2>&1 &
  client_pid=$!
  exec 7> "$fifo"  # the client holds its connections until this closes
  for _ in $(seq 1 600); do
    if grep -q '^holding' "$work/idle.out" 2>/dev/null || ! kill -0 "$client_pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  held="$(awk '/^holding/ { print $2 }' "$work/idle.out")"
  sleep 1
  held_kib="$(rss_kib "$idle_pid")"
  exec 7>&-
  wait "$client_pid" 2>/dev/null || true
  echo "bench: rampart holding ${held:-0} idle keep-alive connections: $((held_kib / 1024)) MiB resident"
  if [ "${held:-0}" != "$idle_connections" ]; then cat "$work/idle.out" >&2; fi
  memory_line="rampart_idle_kib=$idle_kib rampart_held_connections=${held:-0} rampart_held_kib=$held_kib"
fi

{
  echo "rampart bench/proxy.sh $stamp on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
  echo "wrk -t$wrk_threads -c$connections -d${duration}s, $rounds interleaved rounds, median;" \
       "proxy pinned to core $proxy_cpu, wrk and upstream nginx to core $load_cpu"
  echo "anchors: $(nginx -v 2>&1 | sed 's/.*: //'), $(haproxy -v | head -1 | cut -d' ' -f1-3), caddy $(caddy version | cut -d' ' -f1)"
  echo "load average before the runs: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)" \
       "(other work on the machine lowers req/s; CPU per request moves least)"
  echo "anchors with access logs off; rampart with the headers, cookies and access-log guards (the WAF off; access" \
       "log to /dev/null), one worker thread each"
  if [ -n "$rampart_note" ]; then echo "$rampart_note"; else echo "$("$rampart" --version)"; fi
  "$python" "$root/bench/summarize.py" "$tsv" ${memory_line}
} | tee "$report"
echo "bench: results in $report and $tsv"
