#!/usr/bin/env bash
# Load-independent costs of a proxied request, for A/B comparisons on a busy machine (where
# bench/proxy.sh's CPU times and requests/s move with other work): instructions per request
# (valgrind callgrind) and system calls per request (strace -c), for rampart and, with
# --anchors, HAProxy and nginx, in front of the same upstream as bench/proxy.sh (nginx serving a
# 100-byte and a 16 KiB body), on plain HTTP and on TLS.
#
#   bench/proxy_counts.sh [--anchors] [CASE...]     CASE: plain-100 plain-16k tls-100 tls-16k
#
# Instructions: user-space only (the kernel's share is not counted), the marginal cost of a
# request: callgrind's counts over `wrk -c8 -d12s` minus those over `wrk -c8 -d4s`, over the
# difference in requests, so that start-up and TLS handshakes cancel out. System calls: all of
# the proxy's threads over `wrk -c8 -d5s`, each kind per request (reads that say EAGAIN
# included; their number depends on timing).
#
# Environment: RAMPART_BIN (default build/rampart), BENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rampart="${RAMPART_BIN:-$root/build/rampart}"
python=/usr/bin/python3
anchors=0
cases=()
for a in "$@"; do
  case "$a" in
    --anchors) anchors=1 ;;
    plain-100 | plain-16k | tls-100 | tls-16k) cases+=("$a") ;;
    *)
      echo "usage: bench/proxy_counts.sh [--anchors] [plain-100|plain-16k|tls-100|tls-16k]..." >&2
      exit 2
      ;;
  esac
done
[ ${#cases[@]} -gt 0 ] || cases=(plain-100 tls-100 plain-16k tls-16k)
for tool in wrk nginx haproxy valgrind callgrind_control strace openssl curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench: $tool is missing: run scripts/install-deps" >&2
    exit 2
  fi
done
[ -x "$rampart" ] || { echo "bench: $rampart is missing (run 'make build')" >&2; exit 2; }

work="$(mktemp -d /tmp/rampart-counts.XXXXXX)"
chmod 755 "$work"  # nginx's worker reads the files as another user when started by root
# cleanup, free_port, wait_for_port
source "$root/bench/lib.sh"
pids=()
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work/www" "$work/upstream" "$work/tls" "$work/state"
head -c 100 /dev/zero | tr '\0' 'a' > "$work/www/100"
head -c 16384 /dev/zero | tr '\0' 'b' > "$work/www/16k"
chmod -R a+rX "$work/www"
self_signed_cert "$work/tls"

upstream_port="$(free_port)"
static_upstream_conf "$work/upstream" "$upstream_port"
nginx -p "$work/upstream" -c "$work/upstream/nginx.conf" -e "$work/upstream/error.log" &
pids+=($!)
wait_for_port "$upstream_port" "${pids[-1]}" "upstream nginx"

# Writes PROXY's configuration (bench/proxy.sh's, from bench/lib.sh) with its SCHEME listener on
# PORT; prints the command line that serves it. nginx and HAProxy also listen on a second, unused
# port for the other scheme.
proxy_command() {  # proxy_command PROXY SCHEME PORT
  local proxy=$1 scheme=$2 port=$3 dir="$work/$1-$2" other p t
  mkdir -p "$dir"
  other="$(free_port)"
  p=$port t=$other
  [ "$scheme" = https ] && p=$other t=$port
  case "$proxy" in
    rampart)
      rampart_proxy_yaml "$dir/rampart.yaml" "$scheme" "$port" "$upstream_port" "$work/tls" \
        "$work/state" 10000
      echo "$rampart serve --config $dir/rampart.yaml"
      ;;
    haproxy)
      haproxy_proxy_cfg "$dir/haproxy.cfg" "$p" "$t" "$upstream_port" "$work/tls"
      echo "haproxy -db -f $dir/haproxy.cfg"
      ;;
    nginx)
      # master_process off: one process, so that valgrind and strace see the worker.
      nginx_proxy_conf "$dir/nginx.conf" "$p" "$t" "$upstream_port" "$work/tls" "master_process off;"
      echo "nginx -p $dir -c $dir/nginx.conf -e $dir/error.log"
      ;;
  esac
}

requests_of() { awk '/requests in/ { print $1 }'; }

# Waits until URL answers 200 with a body of SIZE bytes (a proxy answering an error page would
# be measured on the wrong work).
wait_for_answer() {  # wait_for_answer URL PID SIZE
  local got=""
  for _ in $(seq 1 240); do
    got="$(curl -sk -o /dev/null -w '%{http_code} %{size_download}' "$1" || true)"
    if [ "$got" = "200 $3" ]; then return 0; fi
    kill -0 "$2" 2>/dev/null || break
    sleep 0.25
  done
  echo "bench: $1 answered '$got', not '200 $3'" >&2
  return 1
}

instructions_per_request() {  # PROXY CASE URL CMD
  local proxy=$1 case=$2 url=$3 cmd=$4 out="$work/cg-$1-$2" pid n1 n2 i1 i2
  # shellcheck disable=SC2086
  XDG_STATE_HOME="$work/state" valgrind --tool=callgrind --callgrind-out-file="$out" $cmd \
    > "$out.log" 2>&1 &
  pid=$!
  pids+=($pid)
  wait_for_answer "$url" "$pid" "$size" || return 1
  callgrind_control -z "$pid" > /dev/null 2>&1
  n1="$(wrk -t1 -c8 -d4s "$url" | requests_of)"
  callgrind_control -d "$pid" > /dev/null 2>&1
  n2="$(wrk -t1 -c8 -d12s "$url" | requests_of)"
  callgrind_control -d "$pid" > /dev/null 2>&1
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  i1="$(awk '/^(summary|totals):/ { print $2; exit }' "$out.1")"
  i2="$(awk '/^(summary|totals):/ { print $2; exit }' "$out.2")"
  echo "$(( (i2 - i1) / (n2 - n1) ))"
}

syscalls_per_request() {  # PROXY CASE URL CMD
  local proxy=$1 case=$2 url=$3 cmd=$4 out="$work/strace-$1-$2.txt" pid spid n
  # shellcheck disable=SC2086
  XDG_STATE_HOME="$work/state" $cmd > "$out.log" 2>&1 &
  pid=$!
  pids+=($pid)
  wait_for_answer "$url" "$pid" "$size" || return 1
  strace -c -f -p "$pid" -o "$out" 2> /dev/null &
  spid=$!
  sleep 1
  n="$(wrk -t1 -c8 -d5s "$url" | requests_of)"
  sleep 0.5
  kill -INT "$spid"
  wait "$spid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # The main thread's signal wait is not part of serving requests.
  awk -v n="$n" '$NF != "total" && $NF != "rt_sigtimedwait" && $4 ~ /^[0-9]+$/ {
      per = $4 / n; total += per
      if (per >= 0.05) detail = detail sprintf(" %s=%.2f", $NF, per)
    }
    END { printf "%.2f (%s)\n", total, substr(detail, 2) }' "$out"
}

proxies=(rampart)
[ $anchors = 1 ] && proxies+=(haproxy nginx)
echo "bench: per proxied request, wrk -c8 on loopback; instructions are callgrind's (user space)"
printf '%-9s %-10s %14s  %s\n' proxy case instructions "system calls"
for case in "${cases[@]}"; do
  scheme=http; [[ "$case" == tls-* ]] && scheme=https
  path=/100 size=100
  if [[ "$case" == *16k ]]; then path=/16k size=16384; fi
  for proxy in "${proxies[@]}"; do
    port="$(free_port)"
    cmd="$(proxy_command "$proxy" "$scheme" "$port")"
    url="$scheme://127.0.0.1:$port$path"
    ins="$(instructions_per_request "$proxy" "$case" "$url" "$cmd")"
    sys="$(syscalls_per_request "$proxy" "$case" "$url" "$cmd")"
    printf '%-9s %-10s %14s  %s\n' "$proxy" "$case" "$ins" "$sys"
  done
done
