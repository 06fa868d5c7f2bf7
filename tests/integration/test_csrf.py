"""The csrf guard in front of the example Flask app and a Django site, both under gunicorn: a
cross-site form POST is refused with 403 and an event naming the origin, while the same-site one
passes; a real headless Chromium submitting a form from a page on another origin is refused, and
the same form from the application's own page goes through. Strict mode, trusted origins, route
exemption, monitor mode and the double-submit token fallback."""
import re

import pytest
import requests

from edge_apps import Browser, OtherOrigin, cross_site_form_page, start_django
from helpers import WAIT


def csrf_events(entry):
    return [e for e in entry["rampart.events"] if e["guard"] == "csrf"]


def plain(start_rampart, **kw):
    """rampart on plain HTTP only (what a browser on this machine can reach without a CA)."""
    return start_rampart(https=False, http=True, **kw)


@pytest.fixture
def django_site(tmp_path):
    p, url = start_django(tmp_path / "django")
    yield url
    p.stop()


@pytest.fixture
def browser(tmp_path):
    b = Browser(tmp_path)
    yield b
    b.close()


# --- scripted clients -------------------------------------------------------------------------

def test_flask_cross_site_form_post_refused_same_site_passes(start_rampart):
    rp = start_rampart()
    own = rp.url  # https://localhost:PORT
    r = rp.post("/form", data={"name": "Ann", "message": "hi"},
                headers={"Origin": own, "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 200
    assert "Thanks, Ann!" in r.text

    r = rp.post("/form", data={"name": "Mallory", "message": "hi"},
                headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    assert "Cross-site request refused." in r.text
    assert "Thanks" not in r.text
    entry = rp.wait_for_log_entry(lambda e: e["http.response.status_code"] == 403)
    assert csrf_events(entry) == [{
        "guard": "csrf", "rule": "csrf_origin_mismatch", "action": "blocked",
        "part": "request.header.Origin",
        "reason": "cross-site POST from origin 'https://evil.example' refused"}]


def test_django_cross_site_form_post_refused_same_site_passes(start_rampart, django_site):
    rp = start_rampart(upstream_url=django_site)
    r = rp.post("/message/", data={"name": "Ann"},
                headers={"Origin": rp.url, "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 200
    assert '<p id="thanks">Thanks, Ann!</p>' in r.text
    r = rp.post("/message/", data={"name": "Mallory"},
                headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    assert "Thanks" not in r.text


@pytest.mark.parametrize("headers,status", [
    ({"Sec-Fetch-Site": "same-origin"}, 200),
    ({"Sec-Fetch-Site": "none"}, 200),
    ({"Sec-Fetch-Site": "same-site", "Origin": "https://shop.localhost"}, 403),
    ({"Sec-Fetch-Site": "cross-site"}, 403),
    ({"Origin": "null"}, 403),
    ({"Origin": "OWN"}, 200),
    ({"Origin": "http://localhost"}, 403),        # another scheme and port
    ({"Referer": "OWN/form"}, 200),
    ({"Referer": "https://evil.example/page"}, 403),
    ({"Origin": "https://evil.example", "Referer": "OWN/form"}, 403),
    ({"Origin": "::not an origin::"}, 403),
    ({}, 200),                                    # no browser headers: a script, passes
], ids=lambda v: str(v))
def test_header_combinations_through_the_gateway(start_rampart, headers, status):
    rp = start_rampart()
    h = {k: v.replace("OWN", rp.url) for k, v in headers.items()}
    r = rp.post("/echo", data={"x": "1"}, headers=h)
    assert r.status_code == status, (h, r.text[:200])


def test_safe_methods_never_checked(start_rampart):
    rp = start_rampart()
    for method in ("GET", "HEAD", "OPTIONS"):
        r = rp.request(method, "/echo", headers={"Origin": "https://evil.example",
                                                 "Sec-Fetch-Site": "cross-site"})
        assert r.status_code == 200, method


def test_strict_mode_refuses_requests_without_the_headers(start_rampart):
    rp = start_rampart(guards={"csrf": {"strict": True}})
    r = rp.post("/echo", data={"x": "1"})
    assert r.status_code == 403
    entry = rp.wait_for_log_entry(lambda e: e["http.response.status_code"] == 403)
    assert csrf_events(entry)[0]["reason"] == (
        "a POST without Sec-Fetch-Site, Origin or Referer refused (strict mode)")
    assert rp.post("/echo", data={"x": "1"}, headers={"Origin": rp.url}).status_code == 200


def test_trusted_origins_exact_and_wildcard(start_rampart):
    rp = start_rampart(guards={"csrf": {"trusted_origins": [
        "https://partner.example", "https://*.corp.example"]}})
    for origin, status in [("https://partner.example", 200), ("https://a.corp.example", 200),
                           ("https://a.b.corp.example", 200), ("https://corp.example", 403),
                           ("http://partner.example", 403), ("https://partner.example:444", 403)]:
        r = rp.post("/echo", headers={"Origin": origin, "Sec-Fetch-Site": "cross-site"})
        assert r.status_code == status, origin


def test_route_exemption_for_webhooks(start_rampart):
    rp = start_rampart(routes=[{"path": "/echo/hooks", "guards": {"csrf": False}}])
    bad = {"Origin": "https://payments.example", "Sec-Fetch-Site": "cross-site"}
    assert rp.post("/echo/hooks/payment", json={"ok": 1}, headers=bad).status_code == 200
    assert rp.post("/echo/other", json={"ok": 1}, headers=bad).status_code == 403


def test_monitor_mode_logs_and_passes(start_rampart):
    rp = start_rampart(guards={"csrf": {"mode": "monitor"}})
    r = rp.post("/echo", headers={"Origin": "https://evil.example"})
    assert r.status_code == 200
    entry = rp.wait_for_log_entry(lambda e: csrf_events(e))
    assert csrf_events(entry) == [{
        "guard": "csrf", "rule": "csrf_origin_mismatch", "action": "logged",
        "part": "request.header.Origin",
        "reason": "cross-site POST from origin 'https://evil.example' refused "
                  "(monitor mode: passed)"}]


def test_behind_a_trusted_proxy_the_forwarded_origin_is_the_own_one(start_rampart):
    """The classic Django "Origin checking failed" behind a TLS proxy: rampart sees the real
    scheme and host from a trusted proxy, so the browser's Origin matches."""
    rp = plain(start_rampart, trusted_proxies=["127.0.0.1"], domains=["localhost", "app.example"])
    h = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "app.example",
         "Origin": "https://app.example"}
    assert rp.post("/echo", headers=h).status_code == 200
    h["Origin"] = "http://localhost:%d" % rp.http_port
    assert rp.post("/echo", headers=h).status_code == 403


def test_double_submit_token_for_old_browsers(start_rampart):
    # The token cookie stays readable by the page's scripts without a cookies override.
    rp = start_rampart(guards={"csrf": {"token": {"enabled": True}}})
    s = requests.Session()
    s.verify = False
    s.trust_env = False
    r = s.get(rp.url + "/form", timeout=WAIT)
    set_cookie = r.headers["Set-Cookie"]
    m = re.search(r"__Host-rampart_csrf=([0-9a-f]{64}); Path=/; SameSite=Lax; Secure", set_cookie)
    assert m, set_cookie
    token = m.group(1)
    # A header-less POST (an old browser) needs the token: in a form field...
    r = s.post(rp.url + "/form", data={"csrf_token": token, "name": "Old", "message": "m"},
               timeout=WAIT)
    assert r.status_code == 200 and "Thanks, Old!" in r.text
    # ... or in the header (multipart too),
    r = s.post(rp.url + "/echo", headers={"X-CSRF-Token": token}, files={"f": ("a.txt", b"x")},
               timeout=WAIT)
    assert r.status_code == 200
    r = s.post(rp.url + "/echo", data={"csrf_token": token}, files={"f": ("a.txt", b"x")},
               timeout=WAIT)
    assert r.status_code == 200
    # and without it, or with another, it is refused.
    r = s.post(rp.url + "/form", data={"name": "x"}, timeout=WAIT)
    assert r.status_code == 403
    r = s.post(rp.url + "/form", data={"csrf_token": "0" * 64, "name": "x"}, timeout=WAIT)
    assert r.status_code == 403
    entry = rp.wait_for_log_entry(lambda e: e["http.response.status_code"] == 403)
    assert [e["rule"] for e in csrf_events(entry)] == ["csrf_token_mismatch"]
    # A client with no token cookie at all.
    r = rp.post("/form", data={"csrf_token": token})
    assert r.status_code == 403
    # Modern browsers are still judged by their headers.
    r = s.post(rp.url + "/form", data={"name": "x"}, headers={"Origin": rp.url}, timeout=WAIT)
    assert r.status_code == 200


# --- a real browser ----------------------------------------------------------------------------

def test_chromium_cross_origin_form_refused_own_page_passes(start_rampart, browser):
    rp = plain(start_rampart)
    own_form = f"http://localhost:{rp.http_port}/form"
    other = OtherOrigin(cross_site_form_page(own_form, {"name": "Mallory", "message": "x"}))
    try:
        browser.open(other.url)
        browser.click("#send")
        text = browser.wait_for_text("Cross-site request refused.")
        assert "Thanks" not in text
        entry = rp.wait_for_log_entry(lambda e: e["http.response.status_code"] == 403)
        assert csrf_events(entry) == [{
            "guard": "csrf", "rule": "csrf_origin_mismatch", "action": "blocked",
            "part": "request.header.Origin",
            "reason": f"cross-site POST from origin '{other.url.rstrip('/')}' refused"}]
    finally:
        other.close()

    browser.open(own_form)
    browser.fill("input[name=name]", "Ann")
    browser.click("button[type=submit]")
    assert "Thanks, Ann!" in browser.wait_for_text("Thanks, Ann!")


def test_chromium_same_site_other_port_is_still_cross_origin(start_rampart, browser, django_site):
    """A page on the same host but another port is same-site for the browser (Sec-Fetch-Site:
    same-site): still another origin, refused."""
    rp = plain(start_rampart, upstream_url=django_site, domains=["127.0.0.1"])
    action = f"http://127.0.0.1:{rp.http_port}/message/"
    other = OtherOrigin(cross_site_form_page(action, {"name": "Mallory"}), host="127.0.0.1")
    try:
        browser.open(other.url)
        browser.click("#send")
        browser.wait_for_text("Cross-site request refused.")
    finally:
        other.close()
    browser.open(action)
    browser.click("#send")
    assert "Thanks, local!" in browser.wait_for_text("Thanks, local!")
