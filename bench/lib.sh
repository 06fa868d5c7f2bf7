# Shell functions shared by the benchmarks (sourced; expects $python, and for cleanup the
# array $pids of the processes started and the temporary folder $work).

cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: kept $work"; else rm -rf "$work"; fi
}

free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_port() {  # wait_for_port PORT PID NAME
  local port=$1 pid=$2 name=$3
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "bench: $name exited before listening on $port" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "bench: $name did not listen on $port within 10 s" >&2
  return 1
}

# utime+stime, in clock ticks, of a process and all its descendants.
cpu_ticks() {
  local total=0 pid
  for pid in $(descendants "$1"); do
    if [ -r "/proc/$pid/stat" ]; then
      # Fields after the command name (which may hold spaces): utime is 14, stime 15.
      local stat rest
      stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
      rest="${stat##*) }"
      set -- $rest
      total=$((total + ${12} + ${13}))
    fi
  done
  echo "$total"
}

descendants() {
  local pid=$1 child
  echo "$pid"
  for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do descendants "$child"; done
}

rss_kib() {
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}


# static_upstream_conf DIR PORT: writes DIR/nginx.conf, the small upstream of the gateway
# benchmarks: one nginx worker serving the files of DIR/../www on 127.0.0.1:PORT, keep-alive
# connections held open, no access log.
static_upstream_conf() {
  local dir=$1 port=$2
  cat > "$dir/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  sendfile on;
  open_file_cache max=16;
  default_type text/plain;
  server { listen 127.0.0.1:$port reuseport; root $dir/../www; }
}
NGINX
}

# self_signed_cert DIR: key.pem, cert.pem and combined.pem (both, for HAProxy) in DIR, an EC
# certificate for localhost and 127.0.0.1 valid for two days.
self_signed_cert() {
  local dir=$1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
  cat "$dir/cert.pem" "$dir/key.pem" > "$dir/combined.pem"
  chmod -R a+rX "$dir"
}

# The proxies' configurations, shared by bench/proxy.sh and bench/proxy_counts.sh so that the
# counts measure what the benchmark measures. Each takes the upstream's port and the folder of
# self_signed_cert.

# nginx_proxy_conf FILE PLAIN_PORT TLS_PORT UPSTREAM_PORT TLS_DIR [EXTRA_MAIN_DIRECTIVE]
nginx_proxy_conf() {
  local file=$1 p=$2 t=$3 up=$4 tls=$5 extra=${6:-} dir
  dir="$(dirname "$file")"
  cat > "$file" <<NGINX
worker_processes 1;
$extra
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 20000; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  upstream app {
    server 127.0.0.1:$up;
    keepalive 128;
    keepalive_requests 10000000;
  }
  server {
    listen 127.0.0.1:$p;
    listen 127.0.0.1:$t ssl;
    ssl_certificate $tls/cert.pem;
    ssl_certificate_key $tls/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
NGINX
}

# haproxy_proxy_cfg FILE PLAIN_PORT TLS_PORT UPSTREAM_PORT TLS_DIR
haproxy_proxy_cfg() {
  local file=$1 p=$2 t=$3 up=$4 tls=$5
  cat > "$file" <<HAPROXY
global
  nbthread 1
  maxconn 9000
  ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
  mode http
  option http-keep-alive
  option forwardfor
  http-reuse always
  timeout connect 5s
  timeout client 300s
  timeout server 300s
  timeout http-keep-alive 300s
frontend plain
  bind 127.0.0.1:$p
  default_backend app
frontend tls
  bind 127.0.0.1:$t ssl crt $tls/combined.pem alpn http/1.1
  default_backend app
backend app
  server s1 127.0.0.1:$up
HAPROXY
}

# rampart_proxy_yaml FILE SCHEME PORT UPSTREAM_PORT TLS_DIR STATE_DIR MAX_CONNECTIONS: one
# listener (a plain one next to an HTTPS one would redirect), the access log to /dev/null, the
# WAF off (bench/waf.sh measures it).
rampart_proxy_yaml() {
  local file=$1 scheme=$2 port=$3 up=$4 tls=$5 state=$6 max=$7 certs=""
  [ "$scheme" = https ] && certs="certificates: [{ cert: $tls/cert.pem, key: $tls/key.pem }], "
  cat > "$file" <<RAMPART
upstream: http://127.0.0.1:$up
listen: ["$scheme://127.0.0.1:$port"]
threads: 1
limits: { max_connections: $max }
timeouts: { keep_alive: 300s }
tls: { ${certs}state_dir: $state }
guards:
  access_log: { path: /dev/null }
  waf: false
RAMPART
}
