"""`rampart audit code` run as a user runs it: the real binary on the test apps and on small trees."""
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("RAMPART_BIN", str(ROOT / "build" / "rampart"))
APPS = ROOT / "tests" / "fixtures" / "audit" / "apps"


def rampart(*args, cwd=None):
    return subprocess.run([BIN, "audit", "code", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def findings(app, variant):
    r = rampart(variant, "--format", "json", cwd=APPS / app)
    assert r.returncode in (0, 1), r.stderr
    doc = json.loads(r.stdout)
    return r, sorted((f["rule"], f"{f['path']}:{f['line']}") for f in doc["findings"])


# The known flaws of each app, all true positives (see the comments in the apps).
EXPECTED = {
    "flask": [
        ("RA001", "vulnerable/app.py:23"), ("RA001", "vulnerable/app.py:43"),
        ("RA010", "vulnerable/app.py:50"), ("RA013", "vulnerable/templates/login.html:2"),
        ("RA015", "vulnerable/app.py:45"), ("RA023", "vulnerable/app.py:28"),
        ("RA023", "vulnerable/app.py:59"), ("RA023", "vulnerable/app.py:65"),
        ("RA030", "vulnerable/app.py:13"), ("RA032", "vulnerable/app.py:34"),
        ("RA035", "vulnerable/app.py:34"), ("RA040", "vulnerable/app.py:32"),
        ("RA050", "vulnerable/app.py:12"), ("RA060", "vulnerable/app.py:76"),
        ("RA070", "vulnerable/app.py:61"), ("RA072", "vulnerable/app.py:66"),
        ("RA073", "vulnerable/app.py:72"), ("RA074", "vulnerable/app.py:55"),
        ("RA075", "vulnerable/app.py:33"),
    ],
    "django": [
        ("RA001", "vulnerable/shop/views.py:13"), ("RA001", "vulnerable/shop/views.py:19"),
        ("RA011", "vulnerable/shop/views.py:21"), ("RA014", "vulnerable/shop/templates/product.html:1"),
        ("RA015", "vulnerable/shop/views.py:34"), ("RA020", "vulnerable/shop/views.py:25"),
        ("RA022", "vulnerable/shop/settings.py:13"), ("RA031", "vulnerable/shop/settings.py:6"),
        ("RA031", "vulnerable/shop/settings.py:6"), ("RA031", "vulnerable/shop/settings.py:6"),
        ("RA031", "vulnerable/shop/settings.py:6"), ("RA033", "vulnerable/shop/settings.py:24"),
        ("RA044", "vulnerable/shop/settings.py:20"), ("RA045", "vulnerable/shop/models.py:6"),
        ("RA045", "vulnerable/shop/views.py:27"), ("RA050", "vulnerable/shop/settings.py:2"),
        ("RA060", "vulnerable/shop/settings.py:3"), ("RA061", "vulnerable/shop/settings.py:4"),
        ("RA072", "vulnerable/shop/views.py:38"), ("RA075", "vulnerable/shop/views.py:29"),
    ],
    "fastapi": [
        ("RA001", "vulnerable/main.py:24"), ("RA015", "vulnerable/main.py:42"),
        ("RA034", "vulnerable/main.py:17"), ("RA040", "vulnerable/main.py:36"),
        ("RA050", "vulnerable/main.py:13"), ("RA064", "vulnerable/main.py:47"),
        ("RA071", "vulnerable/main.py:65"), ("RA073", "vulnerable/main.py:48"),
        ("RA074", "vulnerable/main.py:29"), ("RA075", "vulnerable/main.py:60"),
        ("RA076", "vulnerable/main.py:54"),
    ],
}


@pytest.mark.parametrize("app", sorted(EXPECTED))
def test_vulnerable_app_findings(app):
    r, got = findings(app, "vulnerable")
    assert got == sorted(EXPECTED[app])
    assert r.returncode == 1


@pytest.mark.parametrize("app", sorted(EXPECTED))
def test_fixed_twin_is_clean(app):
    r, got = findings(app, "fixed")
    assert got == []
    assert r.returncode == 0
    assert r.stderr == ""


def test_text_report_and_exit_codes():
    r = rampart("vulnerable", "--color", "never", cwd=APPS / "fastapi")
    assert r.returncode == 1
    assert "vulnerable/main.py:65:22: RA071 [high] code from request data reaches eval()\n" in r.stdout
    assert "   = request data: route parameter 'expr' (line 64)\n" in r.stdout
    assert r.stdout.endswith("Found 11 findings (10 high, 1 medium) in 1 file scanned\n")
    assert "\x1b[" not in r.stdout
    assert rampart("vulnerable", "--fail-on", "none", cwd=APPS / "fastapi").returncode == 0
    assert rampart("fixed", "--fail-on", "low", cwd=APPS / "fastapi").returncode == 0
    colour = rampart("vulnerable", "--color", "always", cwd=APPS / "fastapi")
    assert "\x1b[1;31mRA071 [high]\x1b[0m" in colour.stdout


def test_fail_on_threshold(tmp_path):
    (tmp_path / "settings.py").write_text("SESSION_COOKIE_AGE = 60 * 60 * 24 * 30\n")
    assert rampart(str(tmp_path), "--fail-on", "low").returncode == 1
    assert rampart(str(tmp_path), "--fail-on", "medium").returncode == 0


def test_sarif_and_html(tmp_path):
    out = tmp_path / "r.sarif"
    r = rampart("vulnerable", "--format", "sarif", "--output", str(out), cwd=APPS / "flask")
    assert r.returncode == 1 and r.stdout == ""
    doc = json.loads(out.read_text())
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} >= {"RA001", "RA076"}
    first = run["results"][0]
    assert first["ruleId"] == "RA050"
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "vulnerable/app.py"
    assert loc["region"]["startLine"] == 12
    html = rampart("vulnerable", "--format", "html", cwd=APPS / "flask").stdout
    assert html.startswith("<!DOCTYPE html>")
    assert "&lt;h1&gt;Results for" in html


def test_baseline_reports_only_new_findings(tmp_path):
    app = tmp_path / "app.py"
    app.write_text("DEBUG = True\n")
    base = tmp_path / "baseline.json"
    r = rampart(str(tmp_path), "--write-baseline", str(base))
    assert r.returncode == 1
    r = rampart(str(tmp_path), "--baseline", str(base))
    assert r.returncode == 0
    assert "1 accepted by the baseline" in r.stdout
    app.write_text("import os\n\nDEBUG = True\nALLOWED_HOSTS = ['*']\n")
    r = rampart(str(tmp_path), "--baseline", str(base), "--format", "json")
    assert r.returncode == 1
    active = [f["rule"] for f in json.loads(r.stdout)["findings"] if not f["suppressed"]]
    assert active == ["RA061"]
    (tmp_path / "bad.json").write_text("[1]")
    r = rampart(str(tmp_path), "--baseline", str(tmp_path / "bad.json"))
    assert r.returncode == 2
    assert r.stderr == f"rampart audit code: {tmp_path}/bad.json: not a baseline file (expected a JSON object)\n"


def test_nosec_and_ignore_comments(tmp_path):
    (tmp_path / "s.py").write_text(
        "DEBUG = True  # nosec\nALLOWED_HOSTS = ['*']  # rampart: ignore[RA061]\n")
    r = rampart(str(tmp_path), "--format", "json")
    assert r.returncode == 0
    doc = json.loads(r.stdout)
    assert [(f["rule"], f["suppressed"]) for f in doc["findings"]] == [
        ("RA060", "nosec"), ("RA061", "ignore-comment")]
    text = rampart(str(tmp_path)).stdout
    assert "2 suppressed in the source (1 nosec, 1 rampart: ignore)" in text


def test_nosec_with_bandit_ids_mutes_only_matching_rules(tmp_path):
    (tmp_path / "q.py").write_text(
        "import hashlib\nimport sqlite3\n\nfrom flask import request\n\n\n"
        "def v():\n"
        "    q = request.args['q']\n"
        "    sqlite3.connect('x').execute('SELECT %s' % q); hashlib.md5(b'x')  # nosec B608\n")
    r = rampart(str(tmp_path), "--format", "json")
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert [(f["rule"], f["suppressed"]) for f in doc["findings"]] == [
        ("RA001", "nosec"), ("RA041", None)]


def test_broken_binary_and_template_files(tmp_path):
    (tmp_path / "broken.py").write_text("import os\n\ndef f(:\n    pass\n\nDEBUG = True\n")
    (tmp_path / "blob.py").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "page.html").write_text("<p>{{ bio|safe }}</p>\n")
    r = rampart(str(tmp_path), "--format", "json")
    assert r.returncode == 1
    assert f"rampart: warning: {tmp_path}/blob.py: binary file; skipped\n" in r.stderr
    assert (f"rampart: warning: {tmp_path}/broken.py:3: syntax error; findings come from the parts "
            "of the file that parse\n") in r.stderr
    doc = json.loads(r.stdout)
    assert [(f["rule"], Path(f["path"]).name) for f in doc["findings"]] == [
        ("RA060", "broken.py"), ("RA013", "page.html")]
    assert doc["summary"]["files_scanned"] == 2
    assert doc["summary"]["files_skipped"] == 1


def test_usage_errors():
    r = rampart("--format", "xml")
    assert r.returncode == 2
    assert r.stderr == "rampart audit code: --format must be text, json, sarif or html, not 'xml'\n"
    r = rampart("/nonexistent/x")
    assert r.returncode == 2
    assert r.stderr == "rampart audit code: /nonexistent/x: no such file or directory\n"
    r = subprocess.run([BIN, "audit", "nope"], capture_output=True, text=True)
    assert r.returncode == 2 and "unknown subcommand 'nope'" in r.stderr
    r = rampart("--help")
    assert r.returncode == 0 and r.stdout.startswith("usage: rampart audit code")


def test_progress_on_stderr(tmp_path):
    for i in range(30):
        (tmp_path / f"m{i}.py").write_text("x = 1\n")
    r = rampart(str(tmp_path), "--progress", "--jobs", "3")
    assert r.returncode == 0
    assert "rampart: 30/30 files analysed\n" in r.stderr


def test_list_rules():
    r = rampart("--list-rules")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "RA001  high     sql-injection              SQL built from data reaches a query"
    assert len(lines) == 37
    doc = json.loads(rampart("--list-rules", "--format", "json").stdout)
    assert all("Why:" in rule["doc"] for rule in doc)
