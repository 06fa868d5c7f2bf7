#!/usr/bin/env bash
# rampart audit code against Debian's bandit on the same trees: the test apps and a generated
# tree of at least 20 MB of Python. Wall time, CPU time and peak memory (GNU time), findings per
# tool, and for the test apps the findings side by side (bench/code_compare.py). rampart uses one
# thread per core (--jobs), bandit one thread.
#
# usage: bench/code.sh            (RAMPART_BIN defaults to build/rampart; MB=20 sets the size)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${RAMPART_BIN:-build/rampart}
MB=${MB:-20}
OUT=bench/results/code
mkdir -p "$OUT"
[ -x "$BIN" ] || { echo "bench/code.sh: $BIN not found; run: make build" >&2; exit 2; }
command -v bandit >/dev/null || { echo "bench/code.sh: bandit not installed (apt-get install bandit)" >&2; exit 2; }

TREE=$(mktemp -d /tmp/rampart-bench-tree.XXXXXX)
trap 'rm -rf "$TREE"' EXIT
/usr/bin/python3 bench/gen_python_tree.py "$TREE/gen" "$MB"

# measure NAME TOOL ARGS...: one run; prints wall seconds, peak RSS (MB) and CPU seconds (user +
# system, which a loaded machine disturbs less than wall time).
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$OUT/$name.time" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || true
  # GNU time writes "Command exited with non-zero status N" first when the tool finds something.
  read -r wall kb user sys < <(tail -n 1 "$OUT/$name.time")
  printf '%s %s %s\n' "$wall" "$((kb / 1024))" "$(echo "$user + $sys" | bc)"
}

count_rampart() { /usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$1"; }
count_bandit() { /usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["results"]))' "$1"; }

echo "cores: $(nproc), load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/summary.txt"
printf '%-24s %-8s %9s %9s %9s %9s\n' tree tool wall_s cpu_s peak_MB findings | tee -a "$OUT/summary.txt"
declare -A WALL
for tree in apps/flask/vulnerable apps/django/vulnerable apps/fastapi/vulnerable gen; do
  if [ "$tree" = gen ]; then dir="$TREE/gen"; else dir="tests/fixtures/audit/$tree"; fi
  key=${tree//\//_}
  read -r rw rm rc < <(measure "$key.rampart" "$BIN" audit code "$dir" --format json --fail-on none)
  read -r bw bm bc < <(measure "$key.bandit" bandit -r "$dir" -f json -q)
  rn=$(count_rampart "$OUT/$key.rampart.out")
  bn=$(count_bandit "$OUT/$key.bandit.out")
  printf '%-24s %-8s %9s %9s %9s %9s\n' "$tree" rampart "$rw" "$rc" "$rm" "$rn" | tee -a "$OUT/summary.txt"
  printf '%-24s %-8s %9s %9s %9s %9s\n' "$tree" bandit "$bw" "$bc" "$bm" "$bn" | tee -a "$OUT/summary.txt"
  WALL[$key]="$rw $bw $rc $bc"
done
# The generated tree again with one thread, for a like-for-like figure (bandit uses one).
read -r r1w r1m r1c < <(measure gen.rampart1 "$BIN" audit code "$TREE/gen" --format json --fail-on none --jobs 1)
printf '%-24s %-8s %9s %9s %9s %9s\n' gen rampart1 "$r1w" "$r1c" "$r1m" "$(count_rampart "$OUT/gen.rampart1.out")" | tee -a "$OUT/summary.txt"
read -r rw bw rc bc <<<"${WALL[gen]}"
/usr/bin/python3 - "$rw" "$bw" "$rc" "$bc" "$r1w" "$r1c" "$(nproc)" <<'PY' | tee -a "$OUT/summary.txt"
import sys
r, b, rc, bc, r1, r1c = (float(x) for x in sys.argv[1:7])
cores = sys.argv[7]
ratio = b / r if r > 0 else float("inf")
cpu = bc / rc if rc > 0 else float("inf")
print(f"generated tree, {cores} threads: wall rampart {r:.2f}s, bandit {b:.2f}s: {ratio:.1f}x faster "
      f"(target 30x: {'met' if ratio >= 30 else 'NOT met'}); CPU time {cpu:.1f}x less")
ratio1 = b / r1 if r1 > 0 else float("inf")
cpu1 = bc / r1c if r1c > 0 else float("inf")
print(f"generated tree, 1 thread: wall rampart {r1:.2f}s: {ratio1:.1f}x faster; "
      f"CPU time {cpu1:.1f}x less (CPU time is the fairer figure on a loaded machine)")
PY

# The test apps side by side: every finding of each tool, by file and line, on the vulnerable
# apps and their fixed twins.
/usr/bin/python3 bench/code_compare.py "$BIN" | tee "$OUT/side_by_side.txt"
