"""Upstream failures: one that is down gets a 502 with a short page that leaks nothing, and
rampart serves again as soon as it is back; one that does not answer a connect gets a 504 after
timeouts.upstream_connect; of several upstreams (round-robin) a failed one is marked down and
the others take its share."""

import socket

import requests

from helpers import PYTHON, REPO_ROOT, WAIT, ManagedProcess, free_port, wait_until

RECOVERY_WAIT = 40.0


def test_upstream_down_502_then_recovers(start_rampart, own_upstream):
    rp = start_rampart(upstream_url=own_upstream.url)
    assert rp.get("/healthz").text == "ok\n"

    own_upstream.stop()
    r = rp.get("/account?x=1")
    assert r.status_code == 502
    page = r.text
    assert len(r.content) < 2048, f"a 502 page of {len(r.content)} bytes is not short"
    for leak in ("127.0.0.1", str(own_upstream.port), "gunicorn", "refused", "errno",
                 "ECONNREFUSED", "asio", "boost", "system:", "http://"):
        assert leak.lower() not in page.lower(), f"the 502 page names {leak!r}:\n{page}"
    for name, value in r.headers.items():
        assert "127.0.0.1" not in value and str(own_upstream.port) not in value, (name, value)
    # The security headers are on the gateway's own answers too.
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "Server" not in r.headers
    assert rp.alive()

    own_upstream.start()
    wait_until(lambda: rp.get("/healthz").status_code == 200, timeout=RECOVERY_WAIT,
               interval=0.5, what="rampart to serve again after the upstream came back")
    assert rp.get("/healthz").text == "ok\n"


def test_upstream_never_there_502(start_rampart):
    from helpers import free_port
    rp = start_rampart(upstream_url=f"http://127.0.0.1:{free_port()}")
    r = rp.get("/")
    assert r.status_code == 502
    assert "127.0.0.1" not in r.text


def instances(rp, n):
    """Which upstream answered each of n requests (the status instead when not 200)."""
    out = []
    for _ in range(n):
        r = rp.get("/echo")
        out.append(r.json()["instance"] if r.status_code == 200 else r.status_code)
    return out


def test_several_upstreams_round_robin_and_failure_marking(start_rampart, two_upstreams):
    a, b = two_upstreams
    rp = start_rampart(upstream=None, upstreams=[a.url, b.url])
    seen = instances(rp, 10)
    assert set(seen) == {"a", "b"}, seen  # round-robin reaches both

    a.stop()
    # A failed upstream is marked down: at most one failure per gateway thread while that is
    # noticed, then everything goes to the other one.
    seen = instances(rp, 12)
    assert seen.count(502) <= 2, seen
    assert seen[-6:] == ["b"] * 6, seen

    a.start()
    wait_until(lambda: "a" in instances(rp, 4), timeout=RECOVERY_WAIT, interval=0.5,
               what="the restarted upstream to get requests again")


class Blackhole:
    """A listening socket whose accept queue is full and never served: connecting to it hangs
    (the kernel drops further SYNs), like an upstream host that does not answer."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(0)
        self.port = self.server.getsockname()[1]
        self.fillers = []
        for _ in range(4):
            c = socket.socket()
            c.setblocking(False)
            try:
                c.connect(("127.0.0.1", self.port))
            except BlockingIOError:
                pass
            self.fillers.append(c)
        probe = socket.socket()
        probe.settimeout(1.0)
        try:
            probe.connect(("127.0.0.1", self.port))
            raise AssertionError("could not make a port that does not answer (connect succeeded)")
        except socket.timeout:
            pass
        finally:
            probe.close()

    def close(self):
        for c in self.fillers:
            c.close()
        self.server.close()


def test_upstream_connect_timeout_504(start_rampart):
    hole = Blackhole()
    try:
        rp = start_rampart(upstream_url=f"http://127.0.0.1:{hole.port}",
                           timeouts={"upstream_connect": "1s"})
        r = rp.get("/", timeout=30)
        assert r.status_code == 504  # a timeout, as nginx answers one
        assert str(hole.port) not in r.text
    finally:
        hole.close()


def test_upstream_that_answers_before_reading_the_body(start_rampart, tmp_path):
    """A sync gunicorn worker answers before its application reads the request body, then closes
    (with a reset, as the body is unread). The answer still reaches the client, and the client's
    connection closes, since the rest of its body was never read."""
    port = free_port()
    app_dir = REPO_ROOT / "tests" / "integration" / "apps" / "early_answer"
    argv = [PYTHON, "-m", "gunicorn", "--chdir", app_dir, "--bind", f"127.0.0.1:{port}",
            "--workers", "1", "early_app:application"]
    app = ManagedProcess("gunicorn-early", argv, tmp_path)
    app.wait_for_port(port)
    try:
        rp = start_rampart(upstream_url=f"http://127.0.0.1:{port}", https=False, http=True)
        body = b"x" * (4 << 20)
        statuses = []
        for _ in range(10):
            r = requests.post(rp.http_url + "/form", data=body,
                              headers={"Content-Type": "application/octet-stream"}, timeout=WAIT)
            statuses.append((r.status_code, r.text))
        assert statuses == [(200, "answered early: POST\n")] * 10
        assert rp.alive()
    finally:
        app.stop()
