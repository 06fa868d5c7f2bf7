"""Two rampart instances sharing their rate-limit state and bans through a real redis-server
started by the test on a free port; the server stops mid-test and comes back."""

import shutil

import pytest

from helpers import ecs_get, ManagedProcess, free_port, port_open, wait_until


class RedisServer:
    def __init__(self, log_dir):
        self.port = free_port()
        self.log_dir = log_dir
        self.process = None
        self.starts = 0

    def start(self):
        self.starts += 1
        argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no"]
        self.process = ManagedProcess(f"redis-{self.starts}", argv, self.log_dir)
        self.process.wait_for_port(self.port)
        return self

    def stop(self):
        self.process.stop()
        wait_until(lambda: not port_open(self.port), what="redis-server to stop")


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is missing: install it with scripts/install-deps")
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


def two_instances(start_rampart, redis_server, guards, **extra):
    config = dict(https=False, http=True, trusted_proxies=["127.0.0.1"],
                  state=f"redis://127.0.0.1:{redis_server.port}/0",
                  guards=guards, **extra)
    return start_rampart(name="a", **config), start_rampart(name="b", **config)


def alternate(a, b, n, headers):
    return [(a if i % 2 == 0 else b).request("GET", "/echo", headers=headers).status_code
            for i in range(n)]


def test_one_limit_across_two_instances(start_rampart, upstream, redis_server):
    a, b = two_instances(start_rampart, redis_server,
                         {"rate_limit": {"limits": {"shared": {"rate": "5/hour"}}}})
    statuses = alternate(a, b, 12, {"X-Forwarded-For": "203.0.113.10"})
    assert statuses.count(200) == 5
    assert statuses[:5] == [200] * 5 and set(statuses[5:]) == {429}
    # Another client has its own budget, on both.
    assert alternate(a, b, 2, {"X-Forwarded-For": "203.0.113.11"}) == [200, 200]


def test_a_ban_reaches_the_other_instance_within_100ms(start_rampart, upstream, redis_server):
    login = {"username_field": "username", "max_failures": 2, "window": "10m", "ban": "5m"}
    a, b = two_instances(start_rampart, redis_server, {"rate_limit": {}},
                         routes=[{"path": "/login", "guards": {"rate_limit": {"login": login}}}])
    attacker = {"X-Forwarded-For": "203.0.113.20"}
    assert b.get("/echo", headers=attacker).status_code == 200
    for i in range(2):
        r = a.post(f"/login?try={i}", headers=attacker, data={"username": "demo", "password": "x"},
                   allow_redirects=False)
        assert r.status_code == 401
    # The second failure bans the client: the ban is counted in Redis, published, and heard by
    # the other instance, all within 100 ms of the failed login's answer.
    wait_until(lambda: b.get("/echo", headers=attacker).status_code == 429, timeout=0.1,
               interval=0.005, what="instance b to refuse the banned client")
    assert a.get("/echo", headers=attacker).status_code == 429
    assert b.get("/echo", headers={"X-Forwarded-For": "203.0.113.21"}).status_code == 200
    # The access-log line of the failure that triggered the ban (made through Redis) says so.
    entry = a.wait_for_log_entry(lambda e: ecs_get(e, "url.query") == "try=1",
                                 what="the second failed login")
    assert ecs_get(entry, "http.response.status_code") == 401
    assert ecs_get(entry, "rampart.events") == [{
        "guard": "rate_limit", "rule": "ban", "action": "logged", "part": "ip",
        "reason": "banned ip:203.0.113.20 for 300s (level 1): 2 failed logins within 600s"}]
    first = a.wait_for_log_entry(lambda e: ecs_get(e, "url.query") == "try=0",
                                 what="the first failed login")
    assert ecs_get(first, "rampart.events") == []


def test_redis_going_away_and_coming_back(start_rampart, upstream, redis_server):
    a, b = two_instances(start_rampart, redis_server, {"rate_limit": {"limits": {
        "per_key": {"rate": "4/hour", "key": "header:X-K"}}}})
    assert alternate(a, b, 6, {"X-K": "before"}).count(200) == 4

    redis_server.stop()
    # Both keep serving, from their own memory (fail open), and say so once.
    assert alternate(a, b, 4, {"X-K": "during"}) == [200] * 4
    for rp in (a, b):
        rp.wait_for_stderr("is unreachable")
    assert alternate(a, b, 4, {"X-K": "during"}) == [200] * 4
    assert alternate(a, b, 4, {"X-K": "during"}) == [429] * 4  # each counted 4 alone
    for rp in (a, b):
        assert rp.stderr().count("is unreachable") == 1

    redis_server.start()
    for rp in (a, b):
        rp.wait_for_stderr("is reachable again", timeout=20)
    # Shared again: one budget across both.
    wait_until(lambda: alternate(a, b, 6, {"X-K": f"after-{redis_server.starts}-{id(a)}"})
               .count(200) == 4, what="the shared limit after Redis came back")


def test_sessions_ended_at_login_end_on_every_instance(start_rampart, upstream, redis_server):
    """Session fixation across instances: the session that a login on one instance replaces is
    ended for the other instance too (the login's response step writes through to Redis)."""
    session = {"idle_timeout": "10m", "login_paths": ["/login"], "key": "k" * 32}
    a, b = two_instances(start_rampart, redis_server, {"session": session})
    planted = {"Cookie": "session=planted-by-an-attacker"}
    a.get("/", headers=planted)
    r = a.post("/login", data={"username": "demo", "password": "rampart-demo"},
               headers=planted, allow_redirects=False)
    assert r.status_code == 302
    a.wait_for_log_entry(lambda e: any(ev["rule"] == "session_login"
                                       for ev in e["rampart.events"]))

    def ended_on_b():
        b.get("/", headers=planted)
        return any(ev["rule"] == "session_ended" for e in b.access_log_lines()
                   for ev in e["rampart.events"])
    wait_until(ended_on_b, timeout=5, what="the planted session to be ended on instance b")
