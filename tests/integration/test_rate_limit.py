"""The rate_limit guard with state in memory: limits with their headers, and brute-force bans on
the example app's login, counted on the application's side through gunicorn's access log."""

import uuid

from helpers import ecs_get, wait_until


def app_saw(upstream, marker):
    return upstream.process.stdout().count(marker)


def settle(upstream):
    """Waits until gunicorn has logged every request it answered before this call."""
    fence = f"fence-{uuid.uuid4().hex}"
    upstream.get(f"/echo?{fence}=1")
    wait_until(lambda: fence in upstream.process.stdout(), what="gunicorn's access log")


def test_burst_over_the_limit_gets_429_with_headers(start_rampart, upstream):
    rp = start_rampart(guards={"rate_limit": {"limits": {"burst": {"rate": "5/minute"}}}})
    marker = f"rl-{uuid.uuid4().hex}"
    responses = [rp.get(f"/echo?{marker}={i}") for i in range(8)]
    assert [r.status_code for r in responses] == [200] * 5 + [429] * 3
    for i, r in enumerate(responses[:5]):
        assert r.headers["RateLimit-Policy"] == '"burst";q=5;w=60'
        assert r.headers["RateLimit"] == f'"burst";r={4 - i};t={12 * (i + 1)}'
    for r in responses[5:]:
        assert r.headers["Retry-After"] == "12"
        assert r.headers["RateLimit-Policy"] == '"burst";q=5;w=60'
        assert r.headers["RateLimit"] == '"burst";r=0;t=12'
    settle(upstream)
    assert app_saw(upstream, marker) == 5
    entry = rp.wait_for_log_entry(lambda e: ecs_get(e, "http.response.status_code") == 429,
                                  what="the 429 in the access log")
    assert ecs_get(entry, "rampart.events") == [{
        "guard": "rate_limit", "rule": "burst", "action": "blocked", "part": "limit",
        "reason": "over 5/minute (burst 5) for 127.0.0.1"}]


def test_limits_per_client_address_and_per_header(start_rampart, upstream):
    rp = start_rampart(trusted_proxies=["127.0.0.1"], guards={"rate_limit": {"limits": {
        "per_client": {"rate": "2/hour"},
        "per_key": {"rate": "3/hour", "key": "header:X-Api-Key"},
    }}})

    def get(ip, key=None):
        headers = {"X-Forwarded-For": ip}
        if key:
            headers["X-Api-Key"] = key
        return rp.get("/echo", headers=headers).status_code

    # Two per client; IPv6 clients are counted by their /64.
    assert [get("203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert get("203.0.113.2") == 200
    assert [get("2001:db8:1:2::1"), get("2001:db8:1:2::ffff"), get("2001:db8:1:3::1")] == \
        [200, 200, 200]
    assert get("2001:db8:1:2::abcd") == 429
    # The key limit counts one key across clients.
    assert [get(f"198.51.100.{i}", key="k1") for i in range(1, 5)] == [200, 200, 200, 429]


def test_monitor_mode_counts_and_lets_through(start_rampart, upstream):
    rp = start_rampart(guards={"rate_limit": {"mode": "monitor",
                                              "limits": {"tight": {"rate": "1/hour"}}}})
    statuses = [rp.get("/echo").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    entry = rp.wait_for_log_entry(
        lambda e: any(ev["rule"] == "tight" for ev in ecs_get(e, "rampart.events")),
        what="a logged rate_limit event")
    assert ecs_get(entry, "rampart.events") == [{
        "guard": "rate_limit", "rule": "tight", "action": "logged", "part": "limit",
        "reason": "over 1/hour (burst 1) for 127.0.0.1"}]


def login_config(**login):
    base = {"username_field": "username", "max_failures": 3, "max_failures_per_username": 5,
            "window": "10m", "ban": "5m"}
    base.update(login)
    return {"trusted_proxies": ["127.0.0.1"],
            "guards": {"rate_limit": {}},
            "routes": [{"path": "/login", "guards": {"rate_limit": {"login": base}}}]}


def test_brute_force_is_banned_and_another_client_still_logs_in(start_rampart, upstream):
    rp = start_rampart(**login_config())
    marker = f"bf-{uuid.uuid4().hex}"
    attacker = {"X-Forwarded-For": "203.0.113.66"}

    def attempt(password, headers, tag):
        return rp.post(f"/login?{marker}={tag}", headers=headers, allow_redirects=False,
                       data={"username": "demo", "password": password})

    statuses = [attempt(f"guess{i}", attacker, "a").status_code for i in range(3)]
    assert statuses == [401, 401, 401]
    # The third failure banned the client: the next attempts never reach the app, whatever the
    # password, on every route where the guard runs.
    wait_until(lambda: attempt("guess", attacker, "b").status_code == 429,
               what="the attacker to be banned")
    banned = attempt("rampart-demo", attacker, "c")
    assert banned.status_code == 429
    assert 290 <= int(banned.headers["Retry-After"]) <= 300
    assert rp.get("/echo", headers=attacker).status_code == 429
    settle(upstream)
    assert app_saw(upstream, f"{marker}=a") == 3
    assert app_saw(upstream, f"{marker}=b") == 0
    assert app_saw(upstream, f"{marker}=c") == 0
    # The right password from another address still works.
    ok = attempt("rampart-demo", {"X-Forwarded-For": "198.51.100.20"}, "d")
    assert ok.status_code == 302
    assert "ban: ip:203.0.113.66 for 300s (level 1): 3 failed logins within 600s" in rp.stderr()
    # The access-log line of the failure that triggered the ban says so; the earlier ones don't.
    assert [events_of(e) for e in entries_with(rp, f"{marker}=a", 3)] == [[], [], [BAN_EVENT]]


BAN_EVENT = {"guard": "rate_limit", "rule": "ban", "action": "logged", "part": "ip",
             "reason": "banned ip:203.0.113.66 for 300s (level 1): 3 failed logins within 600s"}


def entries_with(rp, query, n):
    """The access-log entries whose query contains `query`, once there are n of them."""
    def found():
        got = [e for e in rp.access_log_lines() if query in ecs_get(e, "url.query")]
        return got if len(got) >= n else None
    return wait_until(found, what=f"{n} access-log lines with {query}")


def events_of(entry):
    return ecs_get(entry, "rampart.events")


def test_username_is_banned_across_addresses(start_rampart, upstream):
    rp = start_rampart(**login_config(max_failures=100, max_failures_per_username=4))
    for i in range(4):
        r = rp.post("/login", headers={"X-Forwarded-For": f"203.0.113.{i + 1}"},
                    data={"username": "Demo", "password": "wrong"}, allow_redirects=False)
        assert r.status_code == 401
    # The username (compared without case) is banned, from any address; others are not.
    wait_until(lambda: rp.post("/login", headers={"X-Forwarded-For": "198.51.100.9"},
                               data={"username": "demo", "password": "rampart-demo"},
                               allow_redirects=False).status_code == 429,
               what="the username to be banned")
    other = rp.post("/login", headers={"X-Forwarded-For": "198.51.100.9"},
                    data={"username": "someone", "password": "x"}, allow_redirects=False)
    assert other.status_code == 401


def test_failure_marked_in_the_body_of_a_200(start_rampart, upstream):
    # /echo answers 200 and echoes the query: a body marker makes its answer a failure.
    rp = start_rampart(trusted_proxies=["127.0.0.1"], routes=[{"path": "/echo", "guards": {
        "rate_limit": {"login": {"failure_status": [], "failure_body": "LOGIN-FAILED",
                                 "max_failures": 2}}}}], guards={"rate_limit": {}})
    h = {"X-Forwarded-For": "203.0.113.77"}
    assert rp.post("/echo?msg=fine", headers=h).status_code == 200
    assert rp.post("/echo?msg=fine", headers=h).status_code == 200
    assert rp.post("/echo?msg=LOGIN-FAILED", headers=h).status_code == 200
    assert rp.post("/echo?msg=LOGIN-FAILED", headers=h).status_code == 200
    wait_until(lambda: rp.post("/echo?msg=x", headers=h).status_code == 429, what="the ban")


def run_bans(rampart_bin, *args):
    import subprocess
    return subprocess.run([str(rampart_bin), "bans", *args], capture_output=True, text=True,
                          timeout=30)


def test_bans_list_and_remove_through_the_admin_socket(start_rampart, upstream, rampart_bin,
                                                       tmp_path):
    sock = tmp_path / "admin.sock"
    cfg = login_config(max_failures=2)
    rp = start_rampart(admin_socket=str(sock), **cfg)
    assert run_bans(rampart_bin, "list", "--socket", str(sock)).stdout == "no bans in force\n"
    h = {"X-Forwarded-For": "203.0.113.99"}
    for _ in range(2):
        rp.post("/login", headers=h, data={"username": "demo", "password": "x"},
                allow_redirects=False)
    wait_until(lambda: rp.get("/echo", headers=h).status_code == 429, what="the ban")

    listed = run_bans(rampart_bin, "list", "--config", str(rp.config_path))
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["KEY", "UNTIL", "(UTC)", "LEVEL", "REASON"]
    assert lines[1].split()[0] == "ip:203.0.113.99"
    assert lines[1].split()[2:] == ["1", "2", "failed", "logins", "within", "600s"]

    removed = run_bans(rampart_bin, "remove", "203.0.113.99", "--socket", str(sock))
    assert (removed.returncode, removed.stdout) == (0, "lifted the ban on ip:203.0.113.99\n")
    assert rp.get("/echo", headers=h).status_code == 200
    again = run_bans(rampart_bin, "remove", "203.0.113.99", "--socket", str(sock))
    assert (again.returncode, again.stdout) == (1, "no ban in force for 203.0.113.99\n")
    assert "ban lifted through the admin socket: ip:203.0.113.99" in rp.stderr()


def test_bans_without_a_gateway(rampart_bin, tmp_path):
    r = run_bans(rampart_bin, "list", "--socket", str(tmp_path / "none.sock"))
    assert r.returncode == 2
    assert r.stderr == (f"rampart bans: cannot reach the gateway's admin socket "
                        f"{tmp_path / 'none.sock'}: No such file or directory (is `rampart "
                        f"serve` running with this configuration?)\n")


def test_connections_over_the_per_client_limit_are_refused(start_rampart, upstream):
    from helpers import RawConnection
    rp = start_rampart(https=False, http=True, limits={"max_connections_per_client": 3})
    held = []

    def one_more_served():
        # start_rampart's port probe may still hold a slot for a moment: retry until it is gone.
        c = RawConnection(rp.http_port)
        try:
            c.send("GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n")
            if c.read_response().status == 200:
                held.append(c)
                return True
        except Exception:
            pass
        c.close()
        return False

    try:
        for _ in range(3):
            wait_until(one_more_served, what="a held connection to be served")
        extra = RawConnection(rp.http_port)
        assert extra.closed_by_peer(timeout=5)
        extra.close()
        rp.wait_for_stderr("refusing connections over limits.max_connections_per_client "
                           "(so far: 0 over max_connections, 1 over "
                           "max_connections_per_client)")
        held.pop().close()
        # A slot is free again once the server has seen the close.
        def fourth_served():
            with RawConnection(rp.http_port) as c:
                try:
                    c.send("GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    return c.read_response().status == 200
                except Exception:
                    return False
        wait_until(fourth_served, what="a connection slot to be free again")
    finally:
        for c in held:
            c.close()
