"""rampart audit deps, run as a user runs it: the real binary on fixture projects."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("RAMPART_BIN", str(ROOT / "build" / "rampart"))
FIXTURES = ROOT / "tests" / "fixtures" / "audit" / "deps"
OSV = FIXTURES / "osv"


def run(*args, cwd=None, env_extra=None):
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run([BIN, "audit", "deps", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "requirements.txt").write_text(
        "# app\n"
        "demo-pkg==2.0.1  # pinned\n"
        "other_pkg==3.2 \\\n"
        "    --hash=sha256:aaaa\n"
        "listed-pkg>=1.0\n"
        "-e ./local\n")
    return tmp_path


def cache(tmp_path):
    return ["--cache-dir", str(tmp_path / "cache")]


TABLE = """\
audited 3 dependencies (3 packages) from 1 file against 6 advisories, for Python 3.11

PACKAGE     VERSION  ID              SEVERITY      FIX      ALIASES                             WHERE
demo-pkg    2.0.1    RAMP-2024-0001  critical 9.8  2.0.5 *  CVE-2024-0001, GHSA-aaaa-bbbb-cccc  requirements.txt:2
demo-pkg    2.0.1    RAMP-2024-0002  medium 6.1    2.1.0    CVE-2024-0002                       requirements.txt:2
other-pkg   3.2      RAMP-2024-0004  unknown       no fix   GHSA-limi-tlim-itli                 requirements.txt:3
listed-pkg  >=1.0    RAMP-2024-0007  medium        no fix                                       requirements.txt:5
  listed-pkg >=1.0 is a range: vulnerable versions still allowed: ==1.0 | ==1.1
* this upgrade does not clear the package's other advisories

upgrades:
  demo-pkg 2.0.1 -> 2.1.0
  other-pkg 3.2 -> no version fixes every advisory

not auditable:
  requirements.txt:6: ./local: an editable install: its version is not known

4 vulnerabilities in 3 packages (1 critical, 2 medium, 1 unknown)
"""


def test_table_lists_findings_and_exits_1(project):
    r = run("--db", str(OSV), "--python-version", "3.11", *cache(project), cwd=project)
    assert r.returncode == 1, r.stderr
    assert r.stdout == TABLE
    assert r.stderr == ""


def test_table_has_colour_on_a_terminal(project):
    import pty
    master, slave = pty.openpty()
    p = subprocess.Popen([BIN, "audit", "deps", "--db", str(OSV), "--python-version", "3.11", *cache(project)],
                         cwd=project, stdout=slave, stderr=subprocess.PIPE, env={k: v for k, v in os.environ.items()
                                                                                 if k != "NO_COLOR"})
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    p.wait(timeout=60)
    os.close(master)
    out = b"".join(chunks).decode()
    assert "\x1b[1;35mcritical 9.8" in out
    assert "\x1b[" not in TABLE


def test_fail_on_levels(project):
    base = ["--db", str(OSV), "--python-version", "3.11", *cache(project)]
    assert run(*base, "--fail-on", "critical", cwd=project).returncode == 1
    (project / "requirements.txt").write_text("demo-pkg==2.0.6\n")  # only RAMP-2024-0002 (medium)
    assert run(*base, "--fail-on", "high", cwd=project).returncode == 0
    assert run(*base, "--fail-on", "medium", cwd=project).returncode == 1
    assert run(*base, "--fail-on", "none", cwd=project).returncode == 0
    r = run(*base, "--fail-on", "severe", cwd=project)
    assert r.returncode == 2
    assert r.stderr == ("rampart audit deps: --fail-on must be any, low, medium, high, critical or none, "
                        "not 'severe'\n")


def test_json_report(project):
    r = run("--db", str(OSV), "--python-version", "3.11", "--format", "json", *cache(project), cwd=project)
    doc = json.loads(r.stdout)
    found = {(f["package"], f["id"]): f for f in doc["findings"]}
    f = found[("demo-pkg", "RAMP-2024-0001")]
    assert f["fix_version"] == "2.0.5" and f["fix_clears_all"] is False and f["package_fix"] == "2.1.0"
    assert f["aliases"] == ["CVE-2024-0001", "GHSA-aaaa-bbbb-cccc"]
    assert f["score"] == 9.8 and f["severity"] == "critical" and f["line"] == 2
    assert found[("other-pkg", "RAMP-2024-0004")]["fix_version"] is None
    assert found[("listed-pkg", "RAMP-2024-0007")]["vulnerable_range"] == "==1.0 | ==1.1"
    assert doc["database"]["withdrawn_skipped"] == 1
    assert doc["not_auditable"][0]["reason"] == "an editable install: its version is not known"


def test_sarif_report_locates_results_at_lockfile_lines(project):
    r = run("--db", str(OSV), "--python-version", "3.11", "--format", "sarif", *cache(project), cwd=project)
    sarif = json.loads(r.stdout)
    assert sarif["version"] == "2.1.0"
    run0 = sarif["runs"][0]
    assert run0["tool"]["driver"]["name"] == "rampart"
    rules = {rule["id"]: rule for rule in run0["tool"]["driver"]["rules"]}
    assert rules["RAMP-2024-0001"]["properties"]["security-severity"] == "9.8"
    results = [(x["ruleId"], x["level"], x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                x["locations"][0]["physicalLocation"]["region"]) for x in run0["results"]]
    assert ("RAMP-2024-0001", "error", "requirements.txt", {"startLine": 2}) in results
    assert ("RAMP-2024-0004", "warning", "requirements.txt", {"startLine": 3, "endLine": 4}) in results
    for x in run0["results"]:
        assert run0["tool"]["driver"]["rules"][x["ruleIndex"]]["id"] == x["ruleId"]


def test_cyclonedx_sbom(project):
    r = run("--db", str(OSV), "--python-version", "3.11", "--format", "cyclonedx", *cache(project), cwd=project)
    bom = json.loads(r.stdout)
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.5"
    assert bom["serialNumber"].startswith("urn:uuid:")
    refs = {c["bom-ref"] for c in bom["components"]}
    assert refs == {"pkg:pypi/demo-pkg@2.0.1", "pkg:pypi/other-pkg@3.2", "pkg:pypi/listed-pkg"}
    vulns = {v["id"]: v for v in bom["vulnerabilities"]}
    assert vulns["RAMP-2024-0001"]["affects"] == [{"ref": "pkg:pypi/demo-pkg@2.0.1"}]
    assert vulns["RAMP-2024-0001"]["ratings"][0] == {
        "severity": "critical", "score": 9.8, "method": "CVSSv31",
        "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}
    assert vulns["RAMP-2024-0001"]["recommendation"] == "Upgrade demo-pkg to 2.0.5"


def test_fix_dry_run_then_fix(tmp_path):
    base = ["--db", str(OSV), "--python-version", "3.11", *cache(tmp_path)]
    req = tmp_path / "requirements.txt"
    before = ("# app\n"
              "demo-pkg==2.0.1 \\\n"
              "    --hash=sha256:aaaa  # pinned\n"
              "other_pkg==3.2\n"
              "six==1.16.0\n")
    req.write_text(before)
    diff = ("--- a/requirements.txt\n+++ b/requirements.txt\n@@ -1,5 +1,4 @@\n # app\n"
            "-demo-pkg==2.0.1 \\\n-    --hash=sha256:aaaa  # pinned\n+demo-pkg==2.1.0  # pinned\n"
            " other_pkg==3.2\n six==1.16.0\n")
    r = run(*base, "--fix", "--dry-run", cwd=tmp_path)
    assert r.stdout == diff
    assert req.read_text() == before
    assert r.stderr.startswith(
        "rampart audit deps: warning: requirements.txt:2: dropped 1 hash of demo-pkg 2.0.1: they do not apply to "
        "2.1.0; regenerate them (pip-compile --generate-hashes, or pip hash)\n"
        "rampart audit deps: warning: requirements.txt:4: other-pkg 3.2 has no fixed version; left as it is\n"
        "rampart audit deps: dry run: no file was changed\n")
    r = run(*base, "--fix", cwd=tmp_path)
    assert r.stdout == diff
    assert req.read_text() == "# app\ndemo-pkg==2.1.0  # pinned\nother_pkg==3.2\nsix==1.16.0\n"
    assert "rampart audit deps: fixed demo-pkg 2.0.1 -> 2.1.0 (requirements.txt:2)\n" in r.stderr
    r = run(*base, "--format", "json", cwd=tmp_path)
    assert [f["id"] for f in json.loads(r.stdout)["findings"]] == ["RAMP-2024-0004"]


def test_ignore_option_and_ignore_file_with_expiry(project):
    base = ["--db", str(OSV), "--python-version", "3.11", "--format", "json", *cache(project)]
    (project / ".rampart-ignore.yaml").write_text(
        "ignore:\n"
        "  - id: CVE-2024-0002\n    reason: feature not used\n    expires: 2999-01-01\n"
        "  - id: RAMP-2024-0004\n    reason: old exception\n    expires: 2001-01-01\n")
    doc = json.loads(run(*base, "--ignore", "GHSA-aaaa-bbbb-cccc", cwd=project).stdout)
    ignored = {f["id"]: f["ignored_reason"] for f in doc["ignored"]}
    assert ignored == {"RAMP-2024-0001": "ignored with --ignore",
                       "RAMP-2024-0002": "feature not used (until 2999-01-01)"}
    assert {f["id"] for f in doc["findings"]} == {"RAMP-2024-0004", "RAMP-2024-0007"}
    assert any("RAMP-2024-0004" in w and "expired on 2001-01-01 and no longer applies" in w
               for w in doc["warnings"])


def test_lockfiles_and_environment(tmp_path):
    proj = tmp_path / "p"
    shutil.copytree(FIXTURES / "lockfiles", proj, ignore=shutil.ignore_patterns("bad"))
    r = run("--db", str(OSV), "--python-version", "3.11", "--format", "json", *cache(tmp_path), str(proj))
    doc = json.loads(r.stdout)
    files = sorted(pathlib.Path(f).name for f in doc["files"])
    assert files == ["Pipfile.lock", "poetry.lock", "pylock.toml", "pyproject.toml", "uv.lock"]
    where = {(f["id"], pathlib.Path(f["file"]).name, f["line"]) for f in doc["findings"]}
    assert ("RAMP-2024-0002", "Pipfile.lock", 24) in where
    assert ("RAMP-2024-0001", "poetry.lock", 4) in where
    assert ("RAMP-2024-0004", "uv.lock", 19) in where
    assert ("RAMP-2024-0003", "pylock.toml", 6) in where
    assert ("RAMP-2024-0006", "pyproject.toml", 22) in where
    r = run("--db", str(OSV), "--python-version", "3.11", "--format", "json", *cache(tmp_path),
            "--env", str(FIXTURES / "venv"))
    doc = json.loads(r.stdout)
    assert {(f["package"], f["id"]) for f in doc["findings"]} == {("demo-pkg", "RAMP-2024-0001")}


def test_a_file_found_and_included_is_read_once(tmp_path):
    (tmp_path / "requirements.txt").write_text("demo-pkg==1.1.0\n")
    (tmp_path / "requirements-dev.txt").write_text("-r requirements.txt\nother-pkg==3.2\n")
    r = run("--db", str(OSV), "--python-version", "3.11", "--format", "json", *cache(tmp_path), cwd=tmp_path)
    doc = json.loads(r.stdout)
    assert [(d["package"], d["file"]) for d in doc["dependencies"]] == [
        ("demo-pkg", "requirements.txt"), ("other-pkg", "requirements-dev.txt")]
    assert doc["files"] == ["requirements-dev.txt", "requirements.txt"]
    assert len(doc["findings"]) == 2


def test_input_errors_exit_2(tmp_path):
    (tmp_path / "requirements.txt").write_text("flask==2.0\nnot a requirement at all\n")
    r = run("--db", str(OSV), *cache(tmp_path), cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == ("rampart audit deps: requirements.txt:2: 'not a requirement at all' is not a requirement "
                        "(expected a project name such as 'requests>=2.31')\n")
    r = run("--db", str(tmp_path / "nope.zip"), *cache(tmp_path), "--file", str(FIXTURES / "requirements" / "base.txt"))
    assert r.returncode == 2
    assert r.stderr == f"rampart audit deps: {tmp_path}/nope.zip: advisory database not found\n"
    r = run("--frobnicate")
    assert r.returncode == 2 and r.stderr == "rampart audit deps: unknown option --frobnicate (see --help)\n"
    r = run(*cache(tmp_path), cwd=tmp_path)
    assert r.returncode == 2 and "no advisory database yet: run 'rampart audit deps --update-db'" in r.stderr
    bad = subprocess.run([BIN, "audit", "nothing"], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.startswith("rampart audit: unknown subcommand 'nothing'\n")
    bare = subprocess.run([BIN, "audit"], capture_output=True, text=True)
    assert bare.returncode == 2 and "  deps     known vulnerabilities in the dependencies" in bare.stderr
    helped = subprocess.run([BIN, "audit", "deps", "--help"], capture_output=True, text=True)
    assert helped.returncode == 0 and helped.stdout.startswith("usage: rampart audit deps [PATH] [OPTIONS]\n")
    r = run("--fix", "--dry-run", "--dry-run")
    assert r.returncode == 2 and r.stderr == "rampart audit deps: option --dry-run given more than once\n"
    r = run("--dry-run", "--db", str(OSV))
    assert r.returncode == 2 and r.stderr == "rampart audit deps: --dry-run goes with --fix\n"
    r = run("--python-version", "three", "--db", str(OSV))
    assert r.returncode == 2 and r.stderr == ("rampart audit deps: --python-version must be like 3.11 or 3.11.4, "
                                              "not 'three'\n")


def test_osv_snapshot_end_to_end(tmp_path):
    snapshot = ROOT.parent / "shared" / "corpora" / "osv-pypi" / "pypi-osv.jsonl.gz"
    if not snapshot.exists():
        snapshot = pathlib.Path("/work/shared/corpora/osv-pypi/pypi-osv.jsonl.gz")
    if not snapshot.exists():
        pytest.skip("shared corpus ../shared/corpora/osv-pypi is absent")
    (tmp_path / "requirements.txt").write_text(
        "Django==3.2.0\nJinja2==2.10\nPyYAML==5.3\nrequests==2.19.0\nurllib3==1.24.1\nPillow==8.0.0\n")
    r = run("--db", str(snapshot), "--format", "json", "--python-version", "3.11", *cache(tmp_path), cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    fixes = {f["package"]: f["package_fix"] for f in doc["findings"]}
    assert fixes == {"django": "3.2.25", "jinja2": "2.11.3", "pyyaml": "5.4", "requests": "2.31.0",
                     "urllib3": "1.26.18", "pillow": "10.0.1"}
    ids = {f["id"] for f in doc["findings"]}
    assert {"PYSEC-2021-66", "PYSEC-2020-96", "PYSEC-2018-28", "PYSEC-2023-192", "PYSEC-2024-47"} <= ids
    assert len(doc["findings"]) == 64
