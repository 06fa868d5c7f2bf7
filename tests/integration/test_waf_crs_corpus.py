"""The OWASP CRS v4 regression tests read as labelled traffic and sent through the real gateway
(rampart with its default waf guard in front of the example app): a stage that expects a rule of
families 930-934, 941 or 942 is an attack and should be refused (403 from the WAF, or 400 when the
request is not even valid HTTP); a stage whose only expectation is no_expect_ids is benign and
should pass. Prints the rates per family and per paranoia level of the rule under test (read from
the installed CRS rules), the benign rate as CRS labels the stages and after the project's review
(tests/fixtures/waf/crs_benign_review.tsv), and the same at sensitivity 3; fails below the floors
and above the ceilings, which move as the WAF improves. Skips when ../shared/corpora is absent (a
fresh clone has no such folder)."""
import base64
import os
import re
import socket
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def corpora_dir():
    """$RAMPART_SOURCE_DIR/../shared/corpora (the project root by default), then
    /work/shared/corpora (a worktree's shared folder)."""
    src = Path(os.environ.get("RAMPART_SOURCE_DIR", ROOT))
    for candidate in (src.parent / "shared" / "corpora", Path("/work/shared/corpora")):
        if candidate.is_dir():
            return candidate
    return src.parent / "shared" / "corpora"


CORPUS = corpora_dir() / "crs-v4-regression" / "tests" / "regression" / "tests"
CRS_RULES = Path(os.environ.get("RAMPART_CRS_RULES") or "/usr/share/modsecurity-crs/rules")
REVIEW = ROOT / "tests" / "fixtures" / "waf" / "crs_benign_review.tsv"
FAMILIES = {"930": "path traversal / LFI", "931": "remote file inclusion",
            "932": "command injection", "933": "PHP injection", "934": "generic (Node, SSTI)",
            "941": "XSS", "942": "SQL injection"}
LEVELS = ["PL1", "PL2", "PL3", "PL4", "unknown"]
# RAMPART_WAF_SHOW=1 (with pytest -s) lists every miss and refused benign stage with its status.
SHOW = os.environ.get("RAMPART_WAF_SHOW") == "1"
# Floors: what the gateway reaches today (the library's own corpus test has the same figures),
# raised as the detectors improve. Before the work of issue 7's second pass: 930 84%, 931 50%,
# 932 54%, 933 70%, 934 82%, 941 69%, 942 44%, benign 8.2%.
DETECTION_FLOORS = {"930": 92.4, "931": 75.0, "932": 92.5, "933": 92.8, "934": 95.3,
                    "941": 97.5, "942": 82.5}
# Floors on the stages whose rule under test CRS files at paranoia level 1.
PL1_FLOORS = {"930": 86.8, "931": 100.0, "932": 97.2, "933": 94.3, "934": 100.0, "941": 98.1,
              "942": 90.6}
# Percent of benign stages refused, as CRS labels them: many are attacks that CRS files under
# another rule's test with no_expect_ids (the rule under test must not fire; another one catches
# them). After review: those attacks removed, which is the figure to hold under 1%.
# (The gateway refuses one benign stage more than the library flags, 920181.yaml:1, with 400: it
# sends both Content-Length and Transfer-Encoding, which the HTTP layer refuses as a smuggling risk.)
BENIGN_CEILING = 7.4
BENIGN_REVIEWED_CEILING = 0.8
# At sensitivity 3: SQL injection with the paranoid rules, and the benign ceilings there.
PARANOID_SQLI_FLOOR = 84.4
PARANOID_BENIGN_CEILING = 9.2
PARANOID_BENIGN_REVIEWED_CEILING = 2.8


def paranoia_levels(rules_dir):
    """Rule id -> paranoia level from the 'paranoia-level/N' tags of the CRS rule files (the
    tag follows the rule's 'id:NNN' among its actions); empty when the folder is absent."""
    levels = {}
    if not rules_dir.is_dir():
        return levels
    for conf in sorted(rules_dir.glob("*.conf")):
        current = None
        for line in conf.read_text(errors="replace").splitlines():
            m = re.search(r"(?:^|[\s\",])id:(\d+)", line)
            if m:
                current = int(m.group(1))
            m = re.search(r"paranoia-level/([1-4])", line)
            if m and current:
                levels[current] = int(m.group(1))
    return levels


def reviewed_attacks():
    """file:stage of the benign-labelled stages reviewed as attacks."""
    out = {}
    for n, line in enumerate(REVIEW.read_text().splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        assert len(fields) == 3 and all(fields), f"{REVIEW}:{n}: expected file:stage, class, reason"
        out[fields[0]] = fields[1]
    return out


def known_false_positive(desc):
    """CRS marks some stages that expect a rule as known false positives of that rule ("Known
    false positive: O'keefe's", "Expected (rare) false positive: JWT token in Authorization
    header"): benign input the rule happens to flag. They count as benign here."""
    d = (desc or "").lower()
    return bool(re.search(r"known|expected", d)) and bool(
        re.search(r"false.positive|known fp", d))


def stages():
    out = []
    for path in sorted(CORPUS.rglob("*.yaml")):
        try:
            doc = yaml.safe_load(path.read_text(errors="replace"))
        except yaml.YAMLError:
            continue
        if not isinstance(doc, dict):
            continue
        rule = int(path.stem) if path.stem.isdigit() else 0  # the file's name, the rule under test
        for test in doc.get("tests") or []:
            count = len(test.get("stages") or [])
            for index, st in enumerate(test.get("stages") or [], 1):
                stage = st.get("stage", st)
                inp, log = stage.get("input") or {}, (stage.get("output") or {}).get("log")
                if not log:
                    continue
                ids = log.get("expect_ids") or []
                if ids:
                    fams = [str(i)[:3] for i in ids if str(i)[:3] in FAMILIES]
                    if not fams:
                        continue
                    label = "benign" if known_false_positive(str(test.get("desc"))) else fams[0]
                elif "no_expect_ids" in log:
                    label = "benign"
                else:
                    continue
                where = f"{path.name}:{test.get('test_id')}" + (f"/{index}" if count > 1 else "")
                out.append((label, where, rule, inp))
    return out


def raw_request(inp):
    if inp.get("encoded_request"):
        return base64.b64decode(inp["encoded_request"])
    method = inp.get("method") or "GET"
    uri = str(inp.get("uri") or "/")
    if not uri.startswith("/"):
        uri = "/" + uri
    data = inp.get("data")
    if isinstance(data, list):
        data = "".join(f"{line}\r\n" for line in data)
    body = (data or "").encode("utf-8", "surrogateescape") if data is not None else b""
    headers = [(str(k), "" if v is None else str(v)) for k, v in (inp.get("headers") or {}).items()]
    names = {k.lower() for k, _ in headers}
    if "host" not in names:
        headers.append(("Host", "localhost"))
    if body and "content-length" not in names and "transfer-encoding" not in names:
        headers.append(("Content-Length", str(len(body))))
    head = f"{method} {uri} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    head += "Connection: close\r\n\r\n"
    return head.encode("utf-8", "surrogateescape") + body


def status_of(port, raw):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        try:
            s.sendall(raw)
        except OSError:
            pass  # refused mid-send: the answer is already on its way
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
    line = data.split(b"\r\n", 1)[0].split()
    return int(line[1]) if len(line) >= 2 and line[1].isdigit() else 0


def rate(t):
    return 100.0 * t[1] / t[0] if t[0] else 0.0


def cell(t):
    return f"{rate(t):5.1f}% {t[1]}/{t[0]}" if t[0] else "-"


def run_corpus(start_rampart, sensitivity=None):
    """Sends every stage; returns per-family, per-(family, level) and benign tallies
    ([total, refused])."""
    # The WAF is measured: the csrf guard (which refuses the corpus's cross-site Referers) and the
    # session guard are off, and the site answers to both host names the corpus uses.
    waf = {"sensitivity": sensitivity} if sensitivity else {}
    guards = {"access_log": {"path": os.devnull}, "csrf": False, "session": False}
    if waf:
        guards["waf"] = waf
    rp = start_rampart(https=False, http=True, domains=["localhost", "example.com"],
                       guards=guards)
    levels = paranoia_levels(CRS_RULES)
    review = reviewed_attacks()
    family, by_level = {}, {}
    benign, benign_reviewed = [0, 0], [0, 0]
    for label, where, rule, inp in stages():
        status = status_of(rp.http_port, raw_request(inp))
        refused = status in (400, 403, 413, 414, 431)
        if SHOW and refused == (label == "benign"):
            kind = "MISS" if label != "benign" else "FP-REVIEWED" if where in review else "FP"
            print(f"{kind} {label} {where} status {status}")
        if label == "benign":
            benign[0] += 1
            benign[1] += refused
            if where not in review:
                benign_reviewed[0] += 1
                benign_reviewed[1] += refused
            continue
        t = family.setdefault(label, [0, 0])
        t[0] += 1
        t[1] += refused
        if levels:
            pl = f"PL{levels[rule]}" if rule in levels else "unknown"
            t = by_level.setdefault((label, pl), [0, 0])
            t[0] += 1
            t[1] += refused
    assert rp.alive(), "the gateway died under the corpus"
    return family, by_level, benign, benign_reviewed, levels


def table(family, by_level, benign, benign_reviewed, with_levels):
    head = f"  {'family':29} {'overall':18}"
    if with_levels:
        head += "".join(f" {pl:18}" for pl in LEVELS)
    lines = [head]
    for fam, name in FAMILIES.items():
        line = f"  {fam} {name:25} {cell(family.get(fam, [0, 0])):18}"
        if with_levels:
            line += "".join(f" {cell(by_level.get((fam, pl), [0, 0])):18}" for pl in LEVELS)
        lines.append(line)
    total = [sum(t[0] for t in family.values()), sum(t[1] for t in family.values())]
    lines.append(f"  {'all attack families':29} {cell(total)}")
    lines.append(f"  benign stages as CRS labels them, refused: {cell(benign)}")
    lines.append(f"  benign stages after review ({benign[0] - benign_reviewed[0]} removed), "
                 f"refused: {cell(benign_reviewed)}")
    return lines


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the CRS corpus is absent ({CORPUS})")
def test_crs_regression_corpus_through_the_gateway(start_rampart):
    family, by_level, benign, benign_reviewed, levels = run_corpus(start_rampart)
    note = (f"per paranoia level of the rule under test (from {CRS_RULES}; unknown = new in v4)"
            if levels else f"without paranoia levels (no CRS rules at {CRS_RULES})")
    print(f"\nCRS v4 regression tests through the gateway, {note}:\n" +
          "\n".join(table(family, by_level, benign, benign_reviewed, bool(levels))))
    failures = []
    for fam, floor in DETECTION_FLOORS.items():
        if family.get(fam, [0, 0])[0] and rate(family[fam]) < floor:
            failures.append(f"{fam} {rate(family[fam]):.1f}% < {floor}%")
    for fam, floor in PL1_FLOORS.items():
        t = by_level.get((fam, "PL1"), [0, 0])
        if levels and t[0] and rate(t) < floor:
            failures.append(f"{fam} at PL1 {rate(t):.1f}% < {floor}%")
    if rate(benign) > BENIGN_CEILING:
        failures.append(f"benign refused {rate(benign):.1f}% > {BENIGN_CEILING}%")
    if rate(benign_reviewed) > BENIGN_REVIEWED_CEILING:
        failures.append(f"benign after review refused {rate(benign_reviewed):.1f}% > "
                        f"{BENIGN_REVIEWED_CEILING}%")
    assert not failures, failures


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the CRS corpus is absent ({CORPUS})")
def test_crs_regression_corpus_at_sensitivity_3(start_rampart):
    """Every detector at its paranoid level: reported, and held to the default level's floors."""
    every = {d: 3 for d in ("sqli", "xss", "path-traversal", "remote-inclusion",
                            "command-injection", "php-injection", "template-injection",
                            "code-injection", "ssrf", "nosql", "crlf", "xxe", "ldap", "jndi",
                            "protocol")}
    family, by_level, benign, benign_reviewed, _ = run_corpus(start_rampart, every)
    print("\nCRS v4 regression tests through the gateway, every detector at sensitivity 3:\n" +
          "\n".join(table(family, by_level, benign, benign_reviewed, False)))
    failures = [f"{fam} {rate(family[fam]):.1f}% < {floor}%"
                for fam, floor in DETECTION_FLOORS.items()
                if family.get(fam, [0, 0])[0] and rate(family[fam]) < floor]
    if rate(family.get("942", [0, 0])) < PARANOID_SQLI_FLOOR:
        failures.append(f"942 at sensitivity 3 {rate(family['942']):.1f}% < {PARANOID_SQLI_FLOOR}%")
    if rate(benign) > PARANOID_BENIGN_CEILING:
        failures.append(f"benign refused {rate(benign):.1f}% > {PARANOID_BENIGN_CEILING}%")
    if rate(benign_reviewed) > PARANOID_BENIGN_REVIEWED_CEILING:
        failures.append(f"benign after review refused {rate(benign_reviewed):.1f}% > "
                        f"{PARANOID_BENIGN_REVIEWED_CEILING}%")
    assert not failures, failures
