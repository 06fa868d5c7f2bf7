"""The access log: one JSON line per request with Elastic Common Schema field names."""

import datetime
import json

from helpers import ecs_get, ecs_has


def test_access_log_fields_for_one_request(start_rampart):
    rp = start_rampart(routes=[{"path": "/api/",
                                "guards": {"headers": {"csp": "default-src 'none'"}}}])
    body = b'{"name": "logged"}'
    r = rp.post("/api/items?source=test&x=1", data=body,
                headers={"User-Agent": "integration-test/1.0", "Content-Type": "application/json"})
    assert r.status_code == 201
    entry = rp.wait_for_log_entry(lambda e: ecs_get(e, "url.path") == "/api/items")

    stamp = ecs_get(entry, "@timestamp")
    parsed = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None, stamp
    age = datetime.datetime.now(datetime.timezone.utc) - parsed
    assert datetime.timedelta(0) <= age < datetime.timedelta(minutes=5), stamp

    assert ecs_get(entry, "client.ip") == "127.0.0.1"
    assert ecs_get(entry, "http.request.method") == "POST"
    assert ecs_get(entry, "url.path") == "/api/items"
    assert ecs_get(entry, "url.query") == "source=test&x=1"
    assert ecs_get(entry, "http.response.status_code") == 201
    assert ecs_get(entry, "http.request.body.bytes") == len(body)
    assert ecs_get(entry, "http.response.body.bytes") == len(r.content)
    duration = ecs_get(entry, "event.duration")  # ECS: nanoseconds
    assert isinstance(duration, int) and 0 < duration < 60 * 10**9, duration
    assert ecs_get(entry, "user_agent.original") == "integration-test/1.0"
    assert ecs_get(entry, "tls.version") == "1.3"
    assert ecs_get(entry, "rampart.route") == "/api/"
    assert ecs_get(entry, "rampart.events") == []


def test_access_log_one_line_per_request(start_rampart):
    rp = start_rampart()
    for i in range(5):
        assert rp.get(f"/echo?i={i}").status_code == 200
    assert rp.get("/missing").status_code == 404
    entry = rp.wait_for_log_entry(lambda e: ecs_get(e, "url.path") == "/missing")
    assert ecs_get(entry, "http.response.status_code") == 404
    lines = rp.access_log.read_text().splitlines()
    for line in lines:
        json.loads(line)  # every line is a JSON document on its own
    queries = [ecs_get(e, "url.query") for e in rp.access_log_lines()
               if ecs_get(e, "url.path") == "/echo"]
    assert queries == [f"i={i}" for i in range(5)]


def test_access_log_records_rejections(start_rampart):
    """A request the gateway answers itself (here 421) is logged too."""
    rp = start_rampart()
    r = rp.get("/echo", headers={"Host": "evil.example"})
    assert r.status_code == 421
    entry = rp.wait_for_log_entry(lambda e: ecs_get(e, "http.response.status_code") == 421)
    assert ecs_get(entry, "url.path") == "/echo"
    assert ecs_has(entry, "rampart.events")


def test_access_log_to_stdout(start_rampart):
    rp = start_rampart(guards={"access_log": {"path": "stdout"}})
    assert rp.get("/healthz?to=stdout").status_code == 200

    def found():
        for line in rp.stdout().splitlines():
            try:
                doc = json.loads(line)
            except ValueError:
                continue
            if ecs_get(doc, "url.query") == "to=stdout":
                return doc
        return None
    from helpers import wait_until
    doc = wait_until(found, what="the access log line on stdout")
    assert ecs_get(doc, "http.response.status_code") == 200
