#!/usr/bin/env bash
# bench/deps.sh: `rampart audit deps` on a 300-pin requirements file against the full OSV
# snapshot (../shared/corpora/osv-pypi), cold (the index is built) and warm (the index is read),
# time and peak memory, beside an independent reference matcher written with Debian's
# python3-packaging (bench/deps_reference.py). Targets: exactly the reference's findings
# (package, version, advisory, fix version) and a warm run under 100 ms.
#
# usage: bench/deps.sh [RAMPART_BIN]   (default build/rampart; `make build` first)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-${RAMPART_BIN:-build/rampart}}
db=../shared/corpora/osv-pypi/pypi-osv.jsonl.gz
[ -f "$db" ] || db=/work/shared/corpora/osv-pypi/pypi-osv.jsonl.gz
if [ ! -f "$db" ]; then echo "bench/deps.sh: the OSV snapshot (../shared/corpora/osv-pypi) is absent: skipped"; exit 0; fi
[ -x "$bin" ] || { echo "bench/deps.sh: $bin not found (make build)"; exit 2; }
py=/usr/bin/python3

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$py" bench/deps_pins.py "$db" 300 > "$work/requirements.txt"
pins=$(wc -l < "$work/requirements.txt")

run() { "$bin" audit deps --db "$db" --python-version 3.11 --cache-dir "$work/cache" --fail-on none "$@" "$work"; }

# Cold: no index yet.
/usr/bin/time -f "%e %M" -o "$work/cold.time" bash -c "$(declare -f run); bin=$bin db=$db work=$work; run --format json" \
  > "$work/rampart.json"
# Warm: the index exists. Best and median of 20 runs, wall clock.
for i in $(seq 1 20); do
  /usr/bin/time -f "%e %M" -a -o "$work/warm.times" "$bin" audit deps --db "$db" --python-version 3.11 \
    --cache-dir "$work/cache" --fail-on none "$work" > /dev/null
done
/usr/bin/time -f "%e %M" -o "$work/ref.time" "$py" bench/deps_reference.py "$db" "$work/requirements.txt" \
  > "$work/reference.txt"

"$py" - "$work/rampart.json" > "$work/rampart.txt" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for f in sorted({f"{f['package']} {f['version']} {f['id']} {f['fix_version'] or '-'}" for f in doc["findings"]}):
    print(f)
PY

read cold_s cold_kb < "$work/cold.time"
read ref_s ref_kb < "$work/ref.time"
warm_sorted=$(awk '{print $1}' "$work/warm.times" | sort -n)
warm_best=$(echo "$warm_sorted" | head -1)
warm_median=$(echo "$warm_sorted" | sed -n '10p')
warm_kb=$(awk '{print $2}' "$work/warm.times" | sort -n | tail -1)
ours=$(wc -l < "$work/rampart.txt")
theirs=$(wc -l < "$work/reference.txt")

echo "rampart audit deps: $pins pins against $(basename "$db")"
printf '%-34s %10s %12s %10s\n' "" "seconds" "peak RSS MB" "findings"
printf '%-34s %10s %12s %10s\n' "rampart, cold (index built)" "$cold_s" "$((cold_kb / 1024))" "$ours"
printf '%-34s %10s %12s %10s\n' "rampart, warm (best / median)" "$warm_best / $warm_median" "$((warm_kb / 1024))" "$ours"
printf '%-34s %10s %12s %10s\n' "reference (python3-packaging)" "$ref_s" "$((ref_kb / 1024))" "$theirs"

status=0
if diff -u "$work/reference.txt" "$work/rampart.txt" > "$work/findings.diff"; then
  echo "findings: identical to the reference ($ours)"
else
  echo "findings: DIFFERENT from the reference:"; head -40 "$work/findings.diff"; status=1
fi
if awk -v t="$warm_median" 'BEGIN { exit !(t < 0.100) }'; then
  echo "warm run: median ${warm_median}s, under the 100 ms target"
else
  echo "warm run: median ${warm_median}s, OVER the 100 ms target"; status=1
fi
exit $status
