#!/usr/bin/env bash
# What the WAF costs, side by side: rampart with the waf guard on and off, nginx alone, and nginx
# with ModSecurity 3 and the OWASP Core Rule Set 3.3.4 at paranoia level 1 in blocking mode
# (Debian's libnginx-mod-http-modsecurity and modsecurity-crs), in front of one small upstream
# (nginx answering 200 with a short body), for:
#   get:  a GET with a 137-character query string, browser headers and a cookie;
#   post: the same with a 2 KiB application/x-www-form-urlencoded body.
# Both requests are benign, so every proxy passes them on (checked before measuring).
#
#   bench/waf.sh
#
# Pinned like bench/proxy.sh: the proxy on core 0, wrk and the upstream on core 1; rounds
# interleave the proxies and the median round is reported: requests/s, p99, and the proxy's CPU
# time per request. Then the WAF's own cost (rampart with the waf minus without) against the
# targets (at most 20 us per GET, 40 us per POST), and ModSecurity's CPU per request over
# rampart's.
#
# Environment: RAMPART_BIN (default build/rampart), BENCH_DURATION (s, default 5),
# BENCH_CONNECTIONS (32), BENCH_ROUNDS (5). Results go to bench/results/ (gitignored).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rampart="${RAMPART_BIN:-$root/build/rampart}"
duration="${BENCH_DURATION:-5}"
connections="${BENCH_CONNECTIONS:-32}"
rounds="${BENCH_ROUNDS:-5}"
python=/usr/bin/python3
modsec_module=/usr/lib/nginx/modules/ngx_http_modsecurity_module.so
modsec_conf=/etc/nginx/modsecurity.conf
crs=/usr/share/modsecurity-crs

for f in "$rampart" "$modsec_module" "$modsec_conf" "$crs/rules" /etc/modsecurity/crs/crs-setup.conf; do
  if [ ! -e "$f" ]; then
    echo "bench: $f is missing: run 'make build' and scripts/install-deps" >&2
    exit 2
  fi
done
for tool in wrk nginx taskset; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing: run scripts/install-deps" >&2; exit 2; }
done

work="$(mktemp -d /tmp/rampart-waf-bench.XXXXXX)"
chmod 755 "$work"
results_dir="$root/bench/results"
mkdir -p "$results_dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
report="$results_dir/waf-$stamp.txt"
clk_tck="$(getconf CLK_TCK)"

# cleanup, free_port, wait_for_port, cpu_ticks, descendants
source "$root/bench/lib.sh"
pids=()
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the requests ----------------------------------------------------------------------------------
query="q=running+shoes&category=sports&sort=price_asc&page=2&size=24&color=blue&brand=acme&utm_source=newsletter&utm_medium=email&ref=home1_main"
[ "${#query}" -eq 137 ] || { echo "bench: the query is ${#query} characters, not 137" >&2; exit 2; }
body="$("$python" - <<'EOF'
import urllib.parse
fields = {"name": "Siobhan O'Brien", "email": "siobhan@example.com",
          "address": "12 Harbour Road, Cork", "subject": "Order 4411: wrong size",
          "message": ("Hello, I ordered the blue running shoes last week and they arrived today, "
                      "but the size is a 41 and I asked for a 42. Could you exchange them? ") * 12}
body = urllib.parse.urlencode(fields)
body = body[:2048] if len(body) >= 2048 else body + "&pad=" + "x" * (2048 - len(body) - 5)
print(body, end="")
EOF
)"
[ "${#body}" -eq 2048 ] || { echo "bench: the body is ${#body} bytes, not 2048" >&2; exit 2; }
common_headers='
  wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
  wrk.headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
  wrk.headers["Accept-Language"] = "en-GB,en;q=0.9"
  wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
  wrk.headers["Referer"] = "http://localhost/shop/sports"
  wrk.headers["Cookie"] = "session=eyJ1c2VyIjo0MiwiY2FydCI6WzEsMiwzXX0.ZmFrZQ.c2lnbmF0dXJl; theme=dark; consent=yes"'
cat > "$work/get.lua" <<EOF
wrk.method = "GET"
wrk.path = "/search?$query"
$common_headers
EOF
cat > "$work/post.lua" <<EOF
wrk.method = "POST"
wrk.path = "/search?$query"
wrk.body = "$body"
$common_headers
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
EOF

# --- the upstream ----------------------------------------------------------------------------------
upstream_port="$(free_port)"
mkdir -p "$work/upstream"
cat > "$work/upstream/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/upstream/nginx.pid;
error_log $work/upstream/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_buffer_size 16k;
  server {
    listen 127.0.0.1:$upstream_port;
    keepalive_requests 1000000;
    location / { return 200 "results: 24 items\n"; }
  }
}
EOF
taskset -c 1 nginx -p "$work/upstream" -c "$work/upstream/nginx.conf" 2>/dev/null &
pids+=($!)
wait_for_port "$upstream_port" "${pids[-1]}" "upstream nginx"

# --- the proxies ------------------------------------------------------------------------------------
declare -A port pid
start_nginx() {  # start_nginx NAME WITH_MODSECURITY
  local name=$1 modsec=$2 dir="$work/$1"
  port[$name]="$(free_port)"
  mkdir -p "$dir"
  local load="" rules=""
  if [ "$modsec" = 1 ]; then
    load="load_module $modsec_module;"
    # Debian's recommended configuration, in blocking mode, then CRS 3.3.4 (paranoia level 1 is
    # crs-setup.conf's default).
    sed 's/^SecRuleEngine .*/SecRuleEngine On/; s/^SecAuditEngine .*/SecAuditEngine Off/' \
      "$modsec_conf" > "$dir/modsecurity.conf"
    cp /etc/nginx/unicode.mapping "$dir/" 2>/dev/null || true
    cat > "$dir/main.conf" <<EOF
Include $dir/modsecurity.conf
Include /etc/modsecurity/crs/crs-setup.conf
Include $crs/rules/*.conf
EOF
    rules="modsecurity on; modsecurity_rules_file $dir/main.conf;"
  fi
  cat > "$dir/nginx.conf" <<EOF
$load
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  upstream app { server 127.0.0.1:$upstream_port; keepalive 64; }
  server {
    listen 127.0.0.1:${port[$name]};
    keepalive_requests 1000000;
    $rules
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
  taskset -c 0 nginx -p "$dir" -c "$dir/nginx.conf" 2>"$dir/stderr" &
  pid[$name]=$!
  pids+=($!)
  wait_for_port "${port[$name]}" "${pid[$name]}" "$name"
}

start_rampart() {  # start_rampart NAME WAF(true|false)
  local name=$1 waf=$2 dir="$work/$1"
  port[$name]="$(free_port)"
  mkdir -p "$dir"
  cat > "$dir/rampart.yaml" <<EOF
upstream: http://127.0.0.1:$upstream_port
listen: ["http://127.0.0.1:${port[$name]}"]
threads: 1
guards:
  access_log: { path: /dev/null }
  # The requests' Referer is http://localhost (a site the browser was on): the csrf guard stays
  # on, and trusts it, as a deployment would list its own site.
  csrf: { trusted_origins: ["http://localhost"] }
  waf: $waf
EOF
  taskset -c 0 "$rampart" serve --config "$dir/rampart.yaml" 2>"$dir/stderr" &
  pid[$name]=$!
  pids+=($!)
  wait_for_port "${port[$name]}" "${pid[$name]}" "$name"
}

start_nginx nginx 0
start_nginx modsecurity 1
start_rampart rampart-nowaf false
start_rampart rampart-waf true
proxies=(rampart-waf rampart-nowaf modsecurity nginx)

# Every proxy must pass both requests (a WAF that blocks them measures nothing).
for p in "${proxies[@]}"; do
  for c in get post; do
    status="$(taskset -c 1 wrk -t1 -c1 -d1s -s "$work/$c.lua" "http://127.0.0.1:${port[$p]}" \
      | grep -c 'Non-2xx' || true)"
    if [ "$status" != 0 ]; then
      echo "bench: $p answers the benign $c request with an error status; not measured" >&2
      exit 1
    fi
  done
done

# --- measuring ----------------------------------------------------------------------------------------
tsv="$work/results.tsv"
: > "$tsv"
for round in $(seq 1 "$rounds"); do
  for c in get post; do
    for p in "${proxies[@]}"; do
      before="$(cpu_ticks "${pid[$p]}")"
      out="$(taskset -c 1 wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$work/$c.lua" \
        "http://127.0.0.1:${port[$p]}")"
      after="$(cpu_ticks "${pid[$p]}")"
      echo "$out" | "$python" "$root/bench/wrk_parse.py" "$round" "$p" "$c" "$((after - before))" "$clk_tck" >> "$tsv"
    done
  done
done

"$python" - "$tsv" <<'EOF' | tee "$report"
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
data = {}
for r in rows:
    _, proxy, case, rps, p50, p99, cpu = r[:7]
    data.setdefault((proxy, case), []).append((float(rps), float(p99), float(cpu)))
def med(proxy, case, i):
    return statistics.median(v[i] for v in data[(proxy, case)])
proxies = ["rampart-waf", "rampart-nowaf", "modsecurity", "nginx"]
print("case  proxy            req/s    p99 us  CPU us/req")
for case in ("get", "post"):
    for p in proxies:
        print(f"{case:5} {p:14} {med(p, case, 0):8.0f} {med(p, case, 1):9.0f} {med(p, case, 2):11.1f}")
    print()
targets = {"get": 20.0, "post": 40.0}
for case in ("get", "post"):
    waf_cost = med("rampart-waf", case, 2) - med("rampart-nowaf", case, 2)
    ratio = med("modsecurity", case, 2) / med("rampart-waf", case, 2)
    print(f"{case}: the waf guard adds {waf_cost:.1f} us of CPU per request "
          f"(target <= {targets[case]:.0f}: {'met' if waf_cost <= targets[case] else 'NOT met'}); "
          f"ModSecurity+CRS spends {ratio:.1f}x rampart-with-waf's CPU per request "
          f"(target > 50x: {'met' if ratio > 50 else 'NOT met'})")
EOF
echo "bench: results in $report"
