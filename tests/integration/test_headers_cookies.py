"""Security headers and cookie flags as a client receives them."""

import http.client

from helpers import client_tls_context, ecs_get

DEFAULT_CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
API_CSP = "default-src 'none'; frame-ancestors 'none'"


def set_cookies(rp, path):
    """Every Set-Cookie header of the response, as sent (requests would merge them)."""
    if rp.tls:
        conn = http.client.HTTPSConnection("localhost", rp.https_port,
                                           context=client_tls_context(), timeout=15)
    else:
        conn = http.client.HTTPConnection("localhost", rp.http_port, timeout=15)
    conn.request("GET", path)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    assert resp.status == 200
    return {v.split("=", 1)[0]: v for v in resp.msg.get_all("Set-Cookie")}


def attributes(set_cookie):
    """The attribute names of a Set-Cookie value, lower-cased, in order (SameSite with value)."""
    out = []
    for part in set_cookie.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        out.append(f"samesite={value.lower()}" if name.lower() == "samesite" else name.lower())
    return out


def test_default_security_headers(start_rampart):
    rp = start_rampart()
    r = rp.get("/")
    assert r.status_code == 200
    assert r.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert r.headers["Content-Security-Policy"] == DEFAULT_CSP
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert r.headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert r.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert r.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "Server" not in r.headers
    assert "X-Powered-By" not in r.headers


def test_server_and_powered_by_removed(start_rampart):
    rp = start_rampart()
    r = rp.get("/headers-leak")
    assert r.status_code == 200
    assert r.text == "this response names its software\n"
    assert "Server" not in r.headers, r.headers
    assert "X-Powered-By" not in r.headers, r.headers


def test_route_overrides_csp(start_rampart):
    rp = start_rampart(routes=[{"path": "/api/", "guards": {"headers": {"csp": API_CSP}}}])
    assert rp.get("/api/items").headers["Content-Security-Policy"] == API_CSP
    assert rp.get("/").headers["Content-Security-Policy"] == DEFAULT_CSP
    # A prefix of the path, not a substring of it.
    assert rp.get("/echo/api/").headers["Content-Security-Policy"] == DEFAULT_CSP


def test_configured_header_values(start_rampart):
    rp = start_rampart(guards={"headers": {
        "hsts": {"max_age": 63072000, "include_subdomains": True, "preload": True},
        "referrer_policy": "no-referrer",
        "permissions_policy": "camera=()",
        "cross_origin_opener_policy": "same-origin-allow-popups",
        "cross_origin_resource_policy": "cross-origin",
    }})
    r = rp.get("/")
    assert r.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["Permissions-Policy"] == "camera=()"
    assert r.headers["Cross-Origin-Opener-Policy"] == "same-origin-allow-popups"
    assert r.headers["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_hsts_without_subdomains(start_rampart):
    rp = start_rampart(guards={"headers": {"hsts": {"max_age": 600, "include_subdomains": False}}})
    assert rp.get("/").headers["Strict-Transport-Security"] == "max-age=600"


def test_headers_guard_disabled(start_rampart):
    rp = start_rampart(guards={"headers": {"enabled": False}})
    r = rp.get("/headers-leak")
    assert "Strict-Transport-Security" not in r.headers
    assert "Content-Security-Policy" not in r.headers
    assert r.headers["X-Powered-By"] == "Flask"


def test_no_hsts_over_plain_http(start_rampart):
    """RFC 6797 7.2: HSTS must not be sent over an insecure transport."""
    rp = start_rampart(https=False, http=True)
    r = rp.get("/")
    assert r.status_code == 200
    assert "Strict-Transport-Security" not in r.headers
    assert r.headers["Content-Security-Policy"] == DEFAULT_CSP
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_cookie_flags_over_https(start_rampart):
    rp = start_rampart()
    cookies = set_cookies(rp, "/cookies")
    # A cookie without flags gets all three; what it had is kept, in front.
    plain = cookies["plain"]
    assert plain.startswith("plain=1;"), plain
    assert sorted(attributes(plain)) == sorted(["path", "secure", "httponly", "samesite=lax"])
    # Attributes already there are kept: SameSite=Strict stays Strict, Max-Age and Expires stay.
    flagged = cookies["flagged"]
    assert flagged.startswith("flagged=2;"), flagged
    assert "Max-Age=3600" in flagged and "SameSite=Strict" in flagged, flagged
    assert sorted(attributes(flagged)) == sorted(
        ["expires", "max-age", "httponly", "path", "samesite=strict", "secure"])
    # csrftoken (Django's CSRF token cookie) stays readable by the page's scripts without any
    # configuration: Secure and SameSite, no HttpOnly.
    csrf = cookies["csrftoken"]
    assert sorted(attributes(csrf)) == sorted(["path", "secure", "samesite=lax"]), csrf


def test_csrf_cookie_made_httponly_when_configured(start_rampart):
    rp = start_rampart(guards={"cookies": {"overrides": {"csrftoken": {"httponly": True}}}})
    cookies = set_cookies(rp, "/cookies")
    assert sorted(attributes(cookies["csrftoken"])) == sorted(
        ["path", "secure", "httponly", "samesite=lax"])


def test_session_cookie_flags(start_rampart):
    rp = start_rampart()
    r = rp.post("/login", data={"username": "demo", "password": "rampart-demo"},
                allow_redirects=False)
    assert r.status_code == 302
    value = r.headers["Set-Cookie"]
    assert value.startswith("session=")
    assert sorted(attributes(value)) == sorted(["httponly", "path", "secure", "samesite=lax"])


def test_cookie_flags_over_plain_http_have_no_secure(start_rampart):
    rp = start_rampart(https=False, http=True)
    cookies = set_cookies(rp, "/cookies")
    assert sorted(attributes(cookies["plain"])) == sorted(["path", "httponly", "samesite=lax"])
    assert sorted(attributes(cookies["csrftoken"])) == sorted(["path", "samesite=lax"])


def test_cookies_guard_disabled_leaves_cookies(start_rampart):
    rp = start_rampart(guards={"cookies": {"enabled": False}})
    cookies = set_cookies(rp, "/cookies")
    assert cookies["plain"] == "plain=1; Path=/"
    assert cookies["csrftoken"].endswith("; Path=/")
    assert "secure" not in attributes(cookies["csrftoken"])


def test_cookies_guard_monitor_mode(start_rampart):
    """mode: monitor leaves the cookies as they are and records what it would have done."""
    rp = start_rampart(guards={"cookies": {"mode": "monitor"}})
    cookies = set_cookies(rp, "/cookies")
    assert cookies["plain"] == "plain=1; Path=/"
    entry = rp.wait_for_log_entry(lambda e: ecs_get(e, "url.path") == "/cookies")
    events = ecs_get(entry, "rampart.events")
    assert any(e.get("guard") == "cookies" for e in events), events


def test_malformed_set_cookie_passes_unchanged(start_rampart):
    rp = start_rampart()
    conn = http.client.HTTPSConnection("localhost", rp.https_port, context=client_tls_context(),
                                       timeout=15)
    conn.request("GET", "/cookies?malformed=1")
    resp = conn.getresponse()
    resp.read()
    conn.close()
    values = resp.msg.get_all("Set-Cookie")
    assert "this-is-not-a-cookie" in values, values
    # The well-formed ones beside it are still hardened.
    plain = next(v for v in values if v.startswith("plain="))
    assert "HttpOnly" in plain and "Secure" in plain
    # ... and the malformed one is logged (an event of that request, or a log line).
    entry = rp.wait_for_log_entry(lambda e: ecs_get(e, "url.path") == "/cookies")
    assert ecs_get(entry, "rampart.events") or "this-is-not-a-cookie" in rp.stderr(), (
        "the malformed Set-Cookie was not logged")
