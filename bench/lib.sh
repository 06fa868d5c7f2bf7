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

