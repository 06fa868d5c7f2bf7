"""The command line: --version, serve --help, check-config on good and bad files (exit status and
a message naming file:line and the key), serve refusing a bad file, and the quick form of serve
without a file."""

import re
import subprocess

import pytest

from helpers import REPO_ROOT, WAIT, ManagedProcess, free_port, make_self_signed


def run(rampart_bin, *args):
    return subprocess.run([str(rampart_bin), *map(str, args)], capture_output=True, text=True,
                          timeout=WAIT)


def test_version(rampart_bin):
    r = run(rampart_bin, "--version")
    assert r.returncode == 0
    assert re.fullmatch(r"rampart \d+\.\d+\.\d+\n", r.stdout), r.stdout


def test_serve_help(rampart_bin):
    r = run(rampart_bin, "serve", "--help")
    assert r.returncode == 0, r.stderr
    for option in ("--config", "--upstream", "--listen", "--domain"):
        assert option in r.stdout, f"serve --help does not mention {option}:\n{r.stdout}"


def test_check_config_help(rampart_bin):
    r = run(rampart_bin, "check-config", "--help")
    assert r.returncode == 0, r.stderr
    assert "check-config" in r.stdout


def test_check_config_example_app(rampart_bin):
    path = REPO_ROOT / "examples" / "flask-app" / "rampart.yaml"
    r = run(rampart_bin, "check-config", path)
    assert r.returncode == 0, r.stdout + r.stderr


def documented_example(tmp_path):
    """The YAML block of docs/configuration.md, with its file paths pointed at real files."""
    doc = (REPO_ROOT / "docs" / "configuration.md").read_text()
    block = re.search(r"```yaml\n(.*?)```", doc, re.S).group(1)
    cert, key = make_self_signed(tmp_path / "certs", "app.example.com")
    return (block.replace("/etc/rampart/app-key.pem", str(key))
                 .replace("/etc/rampart/app.pem", str(cert))
                 .replace("/var/lib/rampart", str(tmp_path / "state")))


def test_check_config_documented_example(rampart_bin, tmp_path):
    path = tmp_path / "documented.yaml"
    path.write_text(documented_example(tmp_path))
    r = run(rampart_bin, "check-config", path)
    assert r.returncode == 0, r.stdout + r.stderr


def test_check_config_minimal(rampart_bin, tmp_path):
    path = tmp_path / "minimal.yaml"
    path.write_text("upstream: http://127.0.0.1:8000\n")
    r = run(rampart_bin, "check-config", path)
    assert r.returncode == 0, r.stdout + r.stderr


# (file text, line, what the message must name)
BAD_FILES = {
    "unknown-key": ("upstream: http://127.0.0.1:8000\nguards:\n  headrs:\n    hsts: {}\n", 3,
                    ["guards", "headrs", "headers"]),
    "wrong-type": ("upstream: http://127.0.0.1:8000\nlimits:\n  max_headers: lots\n", 3,
                   ["limits.max_headers"]),
    "bad-size": ("upstream: http://127.0.0.1:8000\nlimits:\n  max_body_size: 10 parsecs\n", 3,
                 ["limits.max_body_size"]),
    "bad-duration": ("upstream: http://127.0.0.1:8000\ntimeouts:\n  head: soon\n", 3,
                     ["timeouts.head"]),
    "bad-upstream": ("listen: [':8443']\nupstream: ftp://127.0.0.1\n", 2, ["upstream"]),
    "bad-listen": ("upstream: http://127.0.0.1:8000\nlisten:\n  - 'gopher://:70'\n", 3,
                   ["listen"]),
    "bad-samesite": ("upstream: http://127.0.0.1:8000\nguards:\n  cookies:\n    samesite: Maybe\n",
                     4, ["guards.cookies.samesite"]),
    "bad-trusted-proxy": ("upstream: http://127.0.0.1:8000\ntrusted_proxies: [10.0.0.0/99]\n", 2,
                          ["trusted_proxies"]),
    "yaml-syntax": ("upstream: http://127.0.0.1:8000\nlisten: [':8443'\nthreads: 2\n", None, []),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_check_config_bad_file(rampart_bin, tmp_path, case):
    text, line, names = BAD_FILES[case]
    path = tmp_path / f"{case}.yaml"
    path.write_text(text)
    r = run(rampart_bin, "check-config", path)
    assert r.returncode == 1, (r.returncode, r.stdout + r.stderr)
    out = r.stdout + r.stderr
    if line is None:
        assert re.search(re.escape(str(path)) + r":\d+", out), out
    else:
        assert f"{path}:{line}" in out, out
        message = next(ln for ln in out.splitlines() if f"{path}:{line}" in ln)
        for name in names:
            assert name in message, f"{name!r} not in {message!r}"


def test_check_config_missing_upstream(rampart_bin, tmp_path):
    path = tmp_path / "no-upstream.yaml"
    path.write_text("listen: [':8443']\n")
    r = run(rampart_bin, "check-config", path)
    assert r.returncode == 1
    assert str(path) in r.stdout + r.stderr
    assert "upstream" in r.stdout + r.stderr


def test_check_config_usage_error(rampart_bin):
    """Exit status 2 for a usage error (docs/development.md), 1 for an invalid file."""
    r = run(rampart_bin, "check-config")
    assert r.returncode == 2
    assert "usage" in r.stderr.lower(), r.stderr
    r = run(rampart_bin, "check-config", "--no-such-option", "x.yaml")
    assert r.returncode == 2


def test_check_config_missing_file(rampart_bin, tmp_path):
    path = tmp_path / "absent.yaml"
    r = run(rampart_bin, "check-config", path)
    assert r.returncode != 0
    assert str(path) in r.stderr


def test_serve_refuses_a_bad_file(rampart_bin, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("upstream: http://127.0.0.1:8000\nlimits:\n  max_headers: lots\n")
    p = ManagedProcess("serve-bad", [rampart_bin, "serve", "--config", path], tmp_path)
    try:
        assert p.wait_exit(WAIT) != 0
        assert f"{path}:3" in p.stderr()
    finally:
        p.stop()


def test_serve_quick_form(rampart_bin, tmp_path, upstream):
    """`rampart serve --upstream URL --listen ... --domain ...` with the secure defaults."""
    https_port, http_port = free_port(), free_port()
    argv = [rampart_bin, "serve", "--upstream", upstream.url,
            "--listen", f"https://127.0.0.1:{https_port}",
            "--listen", f"http://127.0.0.1:{http_port}", "--domain", "localhost"]
    p = ManagedProcess("quick", argv, tmp_path, env={"XDG_STATE_HOME": str(tmp_path / "xdg")})
    try:
        p.wait_for_port(https_port)
        p.wait_for_port(http_port)
        import requests
        r = requests.get(f"https://localhost:{https_port}/healthz", verify=False, timeout=WAIT)
        assert r.status_code == 200
        assert r.text == "ok\n"
        assert r.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        redirect = requests.get(f"http://localhost:{http_port}/healthz", allow_redirects=False,
                                timeout=WAIT)
        assert redirect.status_code == 308
        other = requests.get(f"https://localhost:{https_port}/healthz", verify=False,
                             headers={"Host": "other.example"}, timeout=WAIT)
        assert other.status_code == 421
        # The self-signed certificate is kept under $XDG_STATE_HOME/rampart.
        assert any((tmp_path / "xdg" / "rampart").rglob("*"))
    finally:
        p.stop()
    assert p.proc.returncode == 0
