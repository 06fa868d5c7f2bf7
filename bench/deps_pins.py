#!/usr/bin/python3
"""Writes a requirements file of N pins (default 300) drawn from an OSV JSON Lines export, for
bench/deps.sh: packages in name order, each pinned to the middle version of the versions its
advisories list (so that most pins are affected by something, as in a neglected project), or to
a version that no advisory names. Deterministic: the same export gives the same file."""
import gzip
import json
import sys

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version


def main():
    db, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 300
    versions = {}
    with gzip.open(db, "rt", encoding="utf-8") if db.endswith(".gz") else open(db) as f:
        for line in f:
            if not line.strip():
                continue
            adv = json.loads(line)
            for a in adv.get("affected", []):
                p = a.get("package", {})
                if p.get("ecosystem") != "PyPI":
                    continue
                vs = versions.setdefault(canonicalize_name(p["name"]), set())
                for v in a.get("versions", []):
                    try:
                        vs.add(Version(v))
                    except InvalidVersion:
                        pass
    names = sorted(versions)
    step = max(1, len(names) // n)
    chosen = names[::step][:n]
    for i, name in enumerate(chosen):
        vs = sorted(versions[name])
        if not vs or i % 10 == 9:
            print(f"{name}==9999.0")  # a version past every advisory
        else:
            print(f"{name}=={vs[len(vs) // 2]}")


if __name__ == "__main__":
    main()
