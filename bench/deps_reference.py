#!/usr/bin/python3
"""Independent reference matcher for bench/deps.sh: the same question rampart answers (which
advisories of an OSV JSON Lines export affect the pinned requirements, and the smallest fixed
version above each pin), written with Debian's python3-packaging. For comparison only.

usage: deps_reference.py DB.jsonl[.gz] REQUIREMENTS.txt  ->  one line per finding:
       "package version advisory-id fix-version" (fix "-" when none), sorted.
"""
import gzip
import json
import sys

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version


def parse(v):
    try:
        return Version(v)
    except InvalidVersion:
        return None


def affected(pkg, v):
    for listed in pkg.get("versions", []):
        lv = parse(listed)
        if lv is not None and lv == v:
            return True
    for r in pkg.get("ranges", []):
        if r.get("type") not in ("ECOSYSTEM", "SEMVER"):
            continue
        events = []
        limits = []
        for e in r.get("events", []):
            (kind, ver), = e.items()
            if kind == "limit":
                if ver != "*":
                    limits.append(parse(ver))
                continue
            events.append((kind, ver))
        state = False
        def key(e):
            return (0, None) if e[0] == "introduced" and e[1] == "0" else (1, parse(e[1]))
        for kind, ver in sorted(events, key=lambda e: (key(e)[0], key(e)[1] or Version("0"))):
            pv = None if (kind == "introduced" and ver == "0") else parse(ver)
            if kind == "introduced" and (pv is None or v >= pv):
                state = True
            elif kind == "fixed" and pv is not None and v >= pv:
                state = False
            elif kind == "last_affected" and pv is not None and v > pv:
                state = False
        if limits and not any(l is not None and v < l for l in limits):
            state = False
        if state:
            return True
    return False


def main():
    db_path, req_path = sys.argv[1], sys.argv[2]
    opener = gzip.open if db_path.endswith(".gz") else open
    by_pkg = {}
    with opener(db_path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            adv = json.loads(line)
            if adv.get("withdrawn"):
                continue
            for pkg in adv.get("affected", []):
                p = pkg.get("package", {})
                if p.get("ecosystem") != "PyPI":
                    continue
                by_pkg.setdefault(canonicalize_name(p.get("name", "")), []).append((adv["id"], pkg))
    out = []
    with open(req_path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if "==" not in line:
                continue
            name, ver = [x.strip() for x in line.split("==", 1)]
            key = canonicalize_name(name)
            v = parse(ver)
            if v is None:
                continue
            for adv_id, pkg in by_pkg.get(key, []):
                if not affected(pkg, v):
                    continue
                fixes = sorted(parse(e["fixed"]) for r in pkg.get("ranges", [])
                               if r.get("type") in ("ECOSYSTEM", "SEMVER")
                               for e in r.get("events", []) if "fixed" in e and parse(e["fixed"]))
                fix = next((str(x) for x in fixes if x > v and not affected(pkg, x)), "-")
                out.append(f"{key} {ver} {adv_id} {fix}")
    for line in sorted(set(out)):
        print(line)


if __name__ == "__main__":
    main()
