#!/usr/bin/env python3
"""rampart audit code and bandit side by side on the test apps, finding by finding.

usage: bench/code_compare.py [RAMPART_BIN]   (default build/rampart)

For each app (tests/fixtures/audit/apps/{flask,django,fastapi}) runs both tools on the vulnerable
version and on its fixed twin, and prints every finding by file and line: rampart's rule beside
bandit's test. Findings that remain on the fixed twin are listed apart, as they are either
deliberate (a weaker setting kept) or false positives.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "rampart")


def rampart(path):
    out = subprocess.run([BIN, "audit", "code", path, "--format", "json", "--fail-on", "none",
                          "--no-progress"], capture_output=True, text=True, check=True).stdout
    return [(os.path.relpath(f["path"], path), f["line"], f"{f['rule']} {f['name']}")
            for f in json.loads(out)["findings"] if not f.get("suppressed")]


def bandit(path):
    out = subprocess.run(["bandit", "-r", path, "-f", "json", "-q"], capture_output=True,
                         text=True).stdout
    return [(os.path.relpath(f["filename"], path), f["line_number"],
             f"{f['test_id']} {f['test_name']}") for f in json.loads(out)["results"]]


def table(r, b):
    rows = {}
    for p, line, what in r:
        rows.setdefault((p, line), ([], []))[0].append(what)
    for p, line, what in b:
        rows.setdefault((p, line), ([], []))[1].append(what)
    for (p, line), (rs, bs) in sorted(rows.items()):
        for i in range(max(len(rs), len(bs))):
            loc = f"{p}:{line}" if i == 0 else ""
            print(f"  {loc:28} {(rs[i] if i < len(rs) else '-'):40} {bs[i] if i < len(bs) else '-'}")


def main():
    for app in ("flask", "django", "fastapi"):
        for version in ("vulnerable", "fixed"):
            path = os.path.join(ROOT, "tests", "fixtures", "audit", "apps", app, version)
            r, b = rampart(path), bandit(path)
            print(f"\n== {app}/{version}: rampart {len(r)}, bandit {len(b)}")
            print(f"  {'location':28} {'rampart':40} bandit")
            table(r, b)


if __name__ == "__main__":
    main()
