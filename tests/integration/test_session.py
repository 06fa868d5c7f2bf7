"""The session guard in front of the example Flask app and a Django site, both under gunicorn:
an idle session expires at the edge and the application sees a logged-out user (the cookie is
removed before it, and the response clears it in the browser); logout ends the tracked session
at once, so a replayed cookie is refused even though the application alone would accept it;
login forgets the previous session; binding to the client network and User-Agent family;
redirect and 401 actions. Timeouts are short so that waits stay short."""
import time

import pytest
import requests

from edge_apps import Browser, start_django
from helpers import WAIT

IDLE = 1.0  # seconds: idle_timeout in these tests
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def session_events(entry):
    return [e for e in entry["rampart.events"] if e["guard"] == "session"]


def client(ua=FIREFOX):
    s = requests.Session()
    s.verify = False
    s.trust_env = False
    s.headers["User-Agent"] = ua
    return s


def sleep_past_idle():
    time.sleep(IDLE + 0.2)


def guards(**session):
    base = {"idle_timeout": f"{int(IDLE * 1000)}ms", "login_paths": ["/login"],
            "logout_paths": ["/logout"]}
    base.update(session)
    return {"guards": {"session": base}}


def flask_login(rp, s, **kw):
    r = s.post(rp.url + "/login", data={"username": "demo", "password": "rampart-demo"},
               allow_redirects=False, timeout=WAIT, **kw)
    assert r.status_code == 302, r.text[:300]
    return s.cookies.get("session")


def signed_in(rp, s, **kw):
    r = s.get(rp.url + "/account", allow_redirects=False, timeout=WAIT, **kw)
    if r.status_code == 200:
        assert "Signed in as demo." in r.text
        return True
    assert r.status_code == 302 and r.headers["Location"].endswith("/login"), r.status_code
    return False


@pytest.fixture
def django_site(tmp_path):
    p, url = start_django(tmp_path / "django")
    yield url
    p.stop()


def test_flask_idle_session_expires_and_the_app_sees_a_logged_out_user(start_rampart):
    rp = start_rampart(**guards())
    s = client()
    flask_login(rp, s)
    assert signed_in(rp, s)
    sleep_past_idle()
    r = s.get(rp.url + "/account", allow_redirects=False, timeout=WAIT)
    assert r.status_code == 302 and r.headers["Location"].endswith("/login")
    # Cleared with the Path the app used (the cookies guard then adds its flags as to any cookie).
    assert r.headers["Set-Cookie"] == ("session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 "
                                       "00:00:00 GMT; Secure; SameSite=Lax; HttpOnly")
    assert "session" not in s.cookies  # the browser (here: requests) dropped it
    entry = rp.wait_for_log_entry(lambda e: session_events(e))
    [event] = session_events(entry)
    assert event["rule"] == "session_idle_timeout"
    assert event["action"] == "blocked"
    assert event["part"] == "request.cookie.session"
    assert event["reason"] == "session idle for 1s (idle_timeout 1s): cookie 'session' removed"


def test_activity_keeps_a_session_alive(start_rampart):
    rp = start_rampart(**guards())
    s = client()
    flask_login(rp, s)
    for _ in range(4):  # 4 x 0.6 s: longer than the idle timeout in all, never idle for it
        time.sleep(IDLE * 0.6)
        assert signed_in(rp, s)


def test_the_application_gets_no_expired_cookie(start_rampart):
    rp = start_rampart(**guards())
    s = client()
    value = flask_login(rp, s)
    sleep_past_idle()
    r = s.get(rp.url + "/echo", cookies={"theme": "dark"}, timeout=WAIT)
    # requests merges the jar's (expired) session cookie with theme=dark
    seen = r.json()["headers"].get("Cookie", "")
    assert "theme=dark" in seen
    assert value not in seen and "session=" not in seen


def test_flask_logout_ends_the_session_and_a_replay_is_refused(start_rampart, upstream):
    rp = start_rampart(**guards(idle_timeout="10m"))
    s = client()
    value = flask_login(rp, s)
    assert signed_in(rp, s)
    r = s.post(rp.url + "/logout", allow_redirects=False, timeout=WAIT)
    assert r.status_code == 302
    # The stolen cookie still works against the bare application (a signed Flask cookie)...
    direct = requests.get(upstream.url + "/account", cookies={"session": value},
                          allow_redirects=False, timeout=WAIT)
    assert direct.status_code == 200 and "Signed in as demo." in direct.text
    # ... but not through rampart.
    thief = client()
    thief.cookies.set("session", value)
    assert not signed_in(rp, thief)
    entry = rp.wait_for_log_entry(lambda e: any(ev["rule"] == "session_ended"
                                                for ev in session_events(e)))
    assert session_events(entry)[0]["reason"] == (
        "a session ended by logout was used again: cookie 'session' removed")


def test_login_forgets_the_previous_session(start_rampart):
    """Session fixation: a session value planted before login is worthless after it."""
    rp = start_rampart(**guards(idle_timeout="10m"))
    planted = {"Cookie": "session=planted-by-an-attacker"}
    rp.get("/", headers=planted)
    r = rp.post("/login", data={"username": "demo", "password": "rampart-demo"},
                headers=planted, allow_redirects=False)
    assert r.status_code == 302
    new = r.cookies.get("session")
    assert new and new != "planted-by-an-attacker"
    entry = rp.wait_for_log_entry(lambda e: any(ev["rule"] == "session_login"
                                                for ev in session_events(e)))
    assert entry["url.path"] == "/login"
    rp.get("/", headers=planted)
    entry = rp.wait_for_log_entry(lambda e: any(ev["rule"] == "session_ended"
                                                for ev in session_events(e)))
    assert session_events(entry)[0]["reason"] == (
        "a session ended by login was used again: cookie 'session' removed")
    r = rp.get("/account", headers={"Cookie": f"session={new}"}, allow_redirects=False)
    assert r.status_code == 200 and "Signed in as demo." in r.text


def test_network_binding_refuses_a_session_from_another_network(start_rampart):
    rp = start_rampart(trusted_proxies=["127.0.0.1"], **guards(idle_timeout="10m",
                                                               bind_network=True))
    s = client()
    flask_login(rp, s, headers={"X-Forwarded-For": "203.0.113.5"})
    assert signed_in(rp, s, headers={"X-Forwarded-For": "203.0.113.77"})  # same /24
    thief = client()
    thief.cookies.set("session", s.cookies.get("session"))
    assert not signed_in(rp, thief, headers={"X-Forwarded-For": "198.51.100.7"})
    entry = rp.wait_for_log_entry(lambda e: session_events(e))
    [event] = session_events(entry)
    assert event["rule"] == "session_network_changed"
    assert event["reason"] == ("possible session hijack: used from network 198.51.100.0/24, the "
                               "session began on 203.0.113.0/24: cookie 'session' removed")
    # The cookie is known to be out: the session is over for its owner too.
    assert not signed_in(rp, s, headers={"X-Forwarded-For": "203.0.113.5"})


def test_user_agent_binding(start_rampart):
    rp = start_rampart(**guards(idle_timeout="10m"))
    s = client()
    flask_login(rp, s)
    thief = client(ua="curl/8.5.0")
    thief.cookies.set("session", s.cookies.get("session"))
    assert not signed_in(rp, thief)
    entry = rp.wait_for_log_entry(lambda e: session_events(e))
    assert session_events(entry)[0]["reason"] == (
        "possible session hijack: used from a curl/other browser, the session began on "
        "Firefox/Linux: cookie 'session' removed")


def test_redirect_action_and_401_for_api_routes(start_rampart):
    rp = start_rampart(routes=[{"path": "/api/", "guards": {"session": {"action": "deny"}}}],
                       **guards(action="redirect", login_url="/login"))
    s = client()
    flask_login(rp, s)
    api = client()
    api.cookies.set("session", s.cookies.get("session"))
    sleep_past_idle()
    r = s.get(rp.url + "/account?tab=orders", allow_redirects=False, timeout=WAIT)
    assert r.status_code == 303
    assert r.headers["Location"] == "/login?next=/account%3Ftab%3Dorders"
    assert r.headers["Set-Cookie"].startswith("session=; Path=/; Max-Age=0")
    r = api.get(rp.url + "/api/items", timeout=WAIT)
    assert r.status_code == 401
    assert r.json() == {"error": "session_expired",
                        "message": "The session has expired; sign in again."}


def test_bad_configuration_is_refused_with_the_key_named(rampart_bin, tmp_path):
    import subprocess
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("upstream: http://127.0.0.1:9\nguards:\n  session:\n    key: short\n"
                   "    action: sideways\n  csrf:\n    trusted_origins: [evil.example]\n")
    r = subprocess.run([str(rampart_bin), "check-config", str(cfg)],
                       capture_output=True, text=True, timeout=WAIT)
    assert r.returncode != 0
    assert "guards.session.key: expected a secret of at least 32 characters" in r.stderr
    assert "guards.session.action" in r.stderr
    assert ("guards.csrf.trusted_origins[0]: expected an origin such as https://app.example.com "
            "or https://*.example.com, got 'evil.example'") in r.stderr


# --- Django ------------------------------------------------------------------------------------

def test_django_idle_expiry_and_logout(start_rampart, django_site):
    rp = start_rampart(upstream_url=django_site,
                       **guards(login_paths=["/login/"], logout_paths=["/logout/"]))
    s = client()
    r = s.post(rp.url + "/login/", data={"username": "ann", "password": "django-demo"},
               timeout=WAIT)
    assert '<p id="who">Signed in as ann</p>' in r.text
    sleep_past_idle()
    r = s.get(rp.url + "/", timeout=WAIT)
    assert '<p id="who">Not signed in</p>' in r.text
    assert r.headers["Set-Cookie"].startswith("sessionid=; Path=/; Max-Age=0")

    r = s.post(rp.url + "/login/", data={"username": "ann", "password": "django-demo"},
               timeout=WAIT)
    value = s.cookies.get("sessionid")
    assert '<p id="who">Signed in as ann</p>' in r.text
    s.post(rp.url + "/logout/", timeout=WAIT)
    thief = client()
    thief.cookies.set("sessionid", value)
    assert '<p id="who">Not signed in</p>' in thief.get(rp.url + "/", timeout=WAIT).text


def test_chromium_idle_session_expires(start_rampart, django_site, tmp_path):
    rp = start_rampart(upstream_url=django_site, https=False, http=True,
                       **guards(login_paths=["/login/"]))
    b = Browser(tmp_path)
    try:
        base = f"http://localhost:{rp.http_port}"
        b.open(base + "/login/")
        b.fill("input[name=username]", "ann")
        b.fill("input[name=password]", "django-demo")
        b.click("button")
        b.wait_for_text("Signed in as ann")
        sleep_past_idle()
        b.open(base + "/")
        b.wait_for_text("Not signed in")
        assert b.driver.get_cookie("sessionid") is None
    finally:
        b.close()
