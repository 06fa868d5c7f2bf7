"""What the application sees of the client: X-Forwarded-For/-Proto/-Host and Forwarded, with and
without trusted proxies; hop-by-hop headers removed; Host checked against domains (421)."""

import pytest

from helpers import RawConnection, ecs_get, parse_forwarded, request_bytes

SPOOFED = [("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "http"),
           ("X-Forwarded-Host", "evil.example"), ("Forwarded", "for=203.0.113.9;proto=http")]


def echo(rp, headers=(), host=None, target="/echo"):
    host = host or f"localhost:{rp.port}"
    with RawConnection(rp.port, tls=rp.tls) as c:
        c.send(request_bytes("GET", target, host, headers))
        resp = c.read_response()
    assert resp.status == 200, (resp.status, resp.body[:300])
    return resp.json()["headers"]


def test_forwarded_headers_untrusted_client(start_rampart):
    """A client that is not a trusted proxy cannot choose its address or scheme."""
    rp = start_rampart(trusted_proxies=[])
    seen = echo(rp, SPOOFED)
    assert seen["X-Forwarded-For"] == "127.0.0.1"
    assert seen["X-Forwarded-Proto"] == "https"
    assert seen["X-Forwarded-Host"] == f"localhost:{rp.https_port}"
    forwarded = parse_forwarded(seen["Forwarded"])
    assert len(forwarded) == 1, seen["Forwarded"]
    assert forwarded[0]["for"] == "127.0.0.1"
    assert forwarded[0]["proto"] == "https"
    assert forwarded[0]["host"] == f"localhost:{rp.https_port}"


def test_forwarded_headers_no_client_headers(start_rampart):
    rp = start_rampart(trusted_proxies=[])
    seen = echo(rp)
    assert seen["X-Forwarded-For"] == "127.0.0.1"
    assert seen["X-Forwarded-Proto"] == "https"
    assert seen["Host"] == f"localhost:{rp.https_port}"


def test_forwarded_headers_trusted_proxy(start_rampart):
    """From a trusted proxy the chain is kept and extended, and the client address it names is
    the client (also in the access log)."""
    rp = start_rampart(trusted_proxies=["127.0.0.1/32"])
    seen = echo(rp, [("X-Forwarded-For", "203.0.113.9"),
                     ("Forwarded", 'for=203.0.113.9;proto=https;host="app.example"')])
    assert seen["X-Forwarded-For"] == "203.0.113.9, 127.0.0.1"
    # Forwarded names the client first (RFC 7239 lets a proxy extend the chain or state the
    # client it determined; either way the first element is the client).
    forwarded = parse_forwarded(seen["Forwarded"])
    assert forwarded[0]["for"] == "203.0.113.9", seen["Forwarded"]
    assert {e["for"] for e in forwarded} <= {"203.0.113.9", "127.0.0.1"}, seen["Forwarded"]
    entry = rp.wait_for_log_entry(lambda e: ecs_get(e, "url.path") == "/echo")
    assert ecs_get(entry, "client.ip") == "203.0.113.9"


def test_plain_listener_behind_a_trusted_load_balancer(start_rampart):
    """A plain listener behind a load balancer that terminates TLS believes its
    X-Forwarded-Proto only when the load balancer is trusted."""
    trusted = start_rampart(https=False, http=True, trusted_proxies=["127.0.0.1/32"],
                            name="trusted")
    assert echo(trusted, [("X-Forwarded-Proto", "https")])["X-Forwarded-Proto"] == "https"
    untrusted = start_rampart(https=False, http=True, trusted_proxies=[], name="untrusted")
    seen = echo(untrusted, [("X-Forwarded-Proto", "https")])
    assert seen["X-Forwarded-Proto"] == "http"
    assert parse_forwarded(seen["Forwarded"])[-1]["proto"] == "http"


def test_hop_by_hop_headers_removed(start_rampart):
    rp = start_rampart()
    seen = echo(rp, [("Connection", "keep-alive, X-Private-Hop"), ("X-Private-Hop", "secret"),
                     ("Keep-Alive", "timeout=5"), ("TE", "trailers"), ("Upgrade", "h2c"),
                     ("Proxy-Connection", "keep-alive"), ("X-Normal", "kept")])
    for name in ("X-Private-Hop", "Keep-Alive", "Te", "Upgrade", "Proxy-Connection"):
        assert name not in seen, f"{name} reached the application: {seen}"
    assert seen["X-Normal"] == "kept"
    tokens = {t.strip().lower() for t in seen.get("Connection", "").split(",") if t.strip()}
    assert tokens <= {"keep-alive", "close"}, seen.get("Connection")


@pytest.mark.parametrize("host", ["evil.example", "localhost.evil.example", "127.0.0.1",
                                  "evil.example:443"])
def test_unknown_host_gets_421(start_rampart, host):
    rp = start_rampart()
    with RawConnection(rp.https_port, tls=True) as c:
        c.send(request_bytes("GET", "/echo", host))
        resp = c.read_response()
    assert resp.status == 421


def test_known_host_any_case_and_port(start_rampart):
    rp = start_rampart()
    assert echo(rp, host=f"LocalHost:{rp.https_port}")["Host"].lower() == \
        f"localhost:{rp.https_port}"
    assert echo(rp, host="localhost")["Host"] == "localhost"
