#!/usr/bin/python3
"""Prints bench/proxy.sh's table from its TSV: per proxy and case, the median over the rounds of
requests/s, p50, p99 and CPU time per request; then rampart's ratios to each anchor, and its
memory figures against the targets of the issue.

usage: summarize.py RESULTS.tsv [rampart_idle_kib=N rampart_held_connections=N rampart_held_kib=N]
"""
import csv
import math
import statistics
import sys

CASES = ["plain-100", "plain-16k", "tls-100", "tls-16k"]
# The anchor rampart is held to in each case (the best one measured before rampart existed).
BEST_ANCHOR = {"plain-100": "nginx", "plain-16k": "nginx", "tls-100": "haproxy",
               "tls-16k": "haproxy"}
IDLE_TARGET_MIB = 20
HELD_TARGET_MIB = 100


def median(values):
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else float("nan")


def main():
    rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
    extra = dict(arg.split("=", 1) for arg in sys.argv[2:])
    proxies = []
    for r in rows:
        if r["proxy"] not in proxies:
            proxies.append(r["proxy"])
    table = {}
    errors = {}
    for p in proxies:
        for c in CASES:
            mine = [r for r in rows if r["proxy"] == p and r["case"] == c]
            if not mine:
                continue
            table[p, c] = {k: median([float(r[k]) for r in mine])
                           for k in ("rps", "p50_us", "p99_us", "cpu_us_per_request")}
            errs = sorted({r["errors"] for r in mine if r["errors"] != "-"})
            if errs:
                errors[p, c] = errs

    print()
    print(f"{'case':<10} {'proxy':<8} {'req/s':>9} {'p50 us':>8} {'p99 us':>8} {'CPU us/req':>11}")
    for c in CASES:
        for p in proxies:
            if (p, c) not in table:
                continue
            t = table[p, c]
            flag = f"  errors: {' '.join(errors[p, c])}" if (p, c) in errors else ""
            print(f"{c:<10} {p:<8} {t['rps']:>9.0f} {t['p50_us']:>8.0f} {t['p99_us']:>8.0f} "
                  f"{t['cpu_us_per_request']:>11.1f}{flag}")
        print()

    if "rampart" in proxies:
        print("rampart / anchor (req/s: higher is better; p99 and CPU/req: lower is better)")
        print(f"{'case':<10} {'anchor':<8} {'req/s':>7} {'p99':>7} {'CPU/req':>8}  target")
        for c in CASES:
            if ("rampart", c) not in table:
                continue
            r = table["rampart", c]
            for p in proxies:
                if p == "rampart" or (p, c) not in table:
                    continue
                a = table[p, c]
                target = ""
                if p == BEST_ANCHOR[c]:
                    ok = (r["rps"] / a["rps"] >= 1.0 and r["p99_us"] / a["p99_us"] <= 1.2
                          and r["cpu_us_per_request"] <= a["cpu_us_per_request"])
                    target = "met" if ok else "NOT met (req/s >= 1.0, p99 <= 1.2, CPU <= 1.0)"
                print(f"{c:<10} {p:<8} {r['rps'] / a['rps']:>7.2f} "
                      f"{r['p99_us'] / a['p99_us']:>7.2f} "
                      f"{r['cpu_us_per_request'] / a['cpu_us_per_request']:>8.2f}  {target}")
        print()
    if "rampart_idle_kib" in extra:
        idle = int(extra["rampart_idle_kib"]) / 1024
        held = int(extra["rampart_held_kib"]) / 1024
        n = extra["rampart_held_connections"]
        print(f"rampart idle: {idle:.1f} MiB resident (target < {IDLE_TARGET_MIB} MiB: "
              f"{'met' if idle < IDLE_TARGET_MIB else 'NOT met'})")
        if n == "10000":
            verdict = "met" if held < HELD_TARGET_MIB else "NOT met"
        else:
            verdict = "not judged: the target is for 10000"
        print(f"rampart holding {n} idle keep-alive connections: {held:.1f} MiB resident "
              f"(target < {HELD_TARGET_MIB} MiB for 10000: {verdict})")


if __name__ == "__main__":
    main()
