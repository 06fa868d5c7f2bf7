#!/usr/bin/python3
"""Independent reference matcher for bench/deps.sh: the same question rampart answers (which
advisories of an OSV JSON Lines export affect the pinned requirements, and the smallest fixed
version above each pin), written with Debian's python3-packaging. For comparison only.

usage: deps_reference.py DB.jsonl[.gz] REQUIREMENTS.txt  ->  one line per finding:
       "package version advisory-id fix-version" (fix "-" when none), sorted.
"""
import gzip
import json
import re
import sys

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version


class Legacy:
    """A string that is not PEP 440, ordered by the fallback that rampart documents (version.h):
    its leading dot-separated numbers are its release; against an equal release it sorts after
    any PEP 440 version; two legacy versions compare the rest in natural order; one with no
    leading number sorts before everything."""

    def __init__(self, text):
        self.text = text.strip()
        s = self.text.lower()
        m = re.match(r"v?(\d+(?:\.\d+)*)", s) if re.match(r"v?\d", s) else None
        self.release = tuple(int(x) for x in m.group(1).split(".")) if m else None
        self.rest = s[m.end():] if m else s

    def key(self):
        if self.release is None:
            return (0,)
        return (1, 0, pad(self.release), 1, natural(self.rest))


def pad(release):
    r = list(release)
    while r and r[-1] == 0:
        r.pop()
    return tuple(r)


def natural(s):
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.findall(r"\d+|\D", s))


class Key:
    """A total order over PEP 440 and legacy versions."""

    def __init__(self, v):
        self.v = v

    def parts(self):
        if isinstance(self.v, Legacy):
            return self.v.key()
        return (1, self.v.epoch, pad(self.v.release), 0)

    def __lt__(self, other):
        a, b = self.parts(), other.parts()
        if a[:3] != b[:3] or isinstance(self.v, Legacy) or isinstance(other.v, Legacy):
            return a < b
        return self.v < other.v

    def __eq__(self, other):
        return not (self < other) and not (other < self)

    def __ge__(self, other):
        return not (self < other)

    def __gt__(self, other):
        return other < self


def parse(v):
    try:
        return Key(Version(v))
    except InvalidVersion:
        return Key(Legacy(v))


def affected(pkg, v):
    for listed in pkg.get("versions", []):
        if parse(listed) == v:
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
        zero = [e for e in events if e == ("introduced", "0")]
        rest = sorted((e for e in events if e != ("introduced", "0")), key=lambda e: parse(e[1]))
        for kind, ver in zero + rest:
            pv = None if (kind == "introduced" and ver == "0") else parse(ver)
            if kind == "introduced" and (pv is None or v >= pv):
                state = True
            elif kind == "fixed" and pv is not None and v >= pv:
                state = False
            elif kind == "last_affected" and pv is not None and v > pv:
                state = False
        if limits and not any(v < l for l in limits):
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
            for adv_id, pkg in by_pkg.get(key, []):
                if not affected(pkg, v):
                    continue
                fixes = sorted((parse(e["fixed"]), e["fixed"]) for r in pkg.get("ranges", [])
                               if r.get("type") in ("ECOSYSTEM", "SEMVER")
                               for e in r.get("events", []) if "fixed" in e)
                fix = next((str(k.v) if isinstance(k.v, Version) else text
                            for k, text in fixes if k > v and not affected(pkg, k)), "-")
                out.append(f"{key} {ver} {adv_id} {fix}")
    for line in sorted(set(out)):
        print(line)


if __name__ == "__main__":
    main()
