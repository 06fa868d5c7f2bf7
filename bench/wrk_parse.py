#!/usr/bin/python3
"""Reads one `wrk --latency` report on stdin and prints a TSV line for bench/proxy.sh:
round proxy case rps p50_us p99_us cpu_us_per_request requests errors

usage: wrk_parse.py ROUND PROXY CASE CPU_TICKS CLK_TCK < wrk-output
"""
import re
import sys

UNITS = {"us": 1.0, "ms": 1e3, "s": 1e6, "m": 60e6}


def micros(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(m.group(1)) * UNITS[m.group(2)]


def main():
    round_, proxy, case, ticks, clk_tck = sys.argv[1:6]
    out = sys.stdin.read()
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    requests_m = re.search(r"^\s*(\d+) requests in ", out, re.M)
    rps_m = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    if not (requests_m and rps_m and "50" in percentiles and "99" in percentiles):
        sys.stderr.write(f"wrk_parse: cannot read the wrk report for {proxy} {case}:\n{out}\n")
        print("\t".join([round_, proxy, case, "nan", "nan", "nan", "nan", "0", "unreadable"]))
        return
    requests = int(requests_m.group(1))
    errors = []
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        errors.append(f"non2xx={non2xx.group(1)}")
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if sock and any(int(x) for x in sock.groups()):
        errors.append("socket=" + "/".join(sock.groups()))
    cpu_us = int(ticks) / int(clk_tck) * 1e6
    per_request = cpu_us / requests if requests else float("nan")
    print("\t".join([round_, proxy, case, rps_m.group(1), f"{micros(percentiles['50']):.1f}",
                     f"{micros(percentiles['99']):.1f}", f"{per_request:.2f}", str(requests),
                     ",".join(errors) or "-"]))


if __name__ == "__main__":
    main()
