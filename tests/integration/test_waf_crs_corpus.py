"""The OWASP CRS v4 regression tests read as labelled traffic and sent through the real gateway
(rampart with its default waf guard in front of the example app): a stage that expects a rule of
families 930-934, 941 or 942 is an attack and should be refused (403 from the WAF, or 400 when the
request is not even valid HTTP); a stage whose only expectation is no_expect_ids is benign and
should pass. Prints the rates per family; fails below the floors, which are raised as the WAF
improves. Skips when ../shared/corpora is absent (a fresh clone has no such folder)."""
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
FAMILIES = {"930": "path traversal / LFI", "931": "remote file inclusion",
            "932": "command injection", "933": "PHP injection", "934": "generic (Node, SSTI)",
            "941": "XSS", "942": "SQL injection"}
# Floors: what the gateway reaches today (the library's own corpus test has the same figures),
# raised as the detectors improve. Before the work of issue 7's second pass: 930 84%, 931 50%,
# 932 54%, 933 70%, 934 82%, 941 69%, 942 44%, benign 8.2%.
DETECTION_FLOORS = {"930": 92.4, "931": 75.0, "932": 93.5, "933": 92.2, "934": 95.3,
                    "941": 97.5, "942": 82.2}
# Percent of benign stages refused. Most of them are attacks that CRS files under another rule's
# test with no_expect_ids (the rule under test must not fire; another one catches them), so this
# tracks the measured rate rather than the 1% target, which the project's own benign corpus meets.
# The 930-933 detectors flag 16 more since the third pass (attacks that CRS catches with
# 931130, 932236, 932238, 932270, 933151 or 933160, and one look-alike).
BENIGN_CEILING = 9.5


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
        for test in doc.get("tests") or []:
            for st in test.get("stages") or []:
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
                out.append((label, f"{path.name}:{test.get('test_id')}", inp))
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


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the CRS corpus is absent ({CORPUS})")
def test_crs_regression_corpus_through_the_gateway(start_rampart):
    # The WAF is measured: the csrf guard (which refuses the corpus's cross-site Referers) and the
    # session guard are off, and the site answers to both host names the corpus uses.
    rp = start_rampart(https=False, http=True, domains=["localhost", "example.com"],
                       guards={"access_log": {"path": os.devnull}, "csrf": False,
                               "session": False})
    tally = {}
    for label, where, inp in stages():
        status = status_of(rp.http_port, raw_request(inp))
        refused = status in (400, 403, 413, 414, 431)
        t = tally.setdefault(label, [0, 0])
        t[0] += 1
        t[1] += refused
    lines = []
    failures = []
    for fam, name in FAMILIES.items():
        total, refused = tally.get(fam, [0, 0])
        rate = 100.0 * refused / total if total else 0.0
        lines.append(f"  {fam} {name:24} {refused:4}/{total:<4} refused {rate:5.1f}%")
        if total and rate < DETECTION_FLOORS[fam]:
            failures.append(f"{fam} {rate:.1f}% < {DETECTION_FLOORS[fam]}%")
    total, refused = tally.get("benign", [0, 0])
    fp = 100.0 * refused / total if total else 0.0
    lines.append(f"  benign stages refused: {refused}/{total} ({fp:.1f}%)")
    if fp > BENIGN_CEILING:
        failures.append(f"benign refused {fp:.1f}% > {BENIGN_CEILING}%")
    print("\nCRS v4 regression tests through the gateway:\n" + "\n".join(lines))
    assert rp.alive(), "the gateway died under the corpus"
    assert not failures, failures
