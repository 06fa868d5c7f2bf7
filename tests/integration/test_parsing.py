"""Strict parsing: a request whose framing or head is ambiguous or malformed gets 400 and the
connection is closed (so that nothing can be smuggled behind it). Sent over raw sockets on a
plain listener, as written here; the same well-formed request is the control."""

import pytest

from helpers import RawConnection

GOOD = "GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n"

BAD_REQUESTS = {
    "content-length-and-transfer-encoding":
        "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
        "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "transfer-encoding-and-content-length":
        "POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
        "Content-Length: 5\r\n\r\n0\r\n\r\n",
    "duplicate-content-length-same":
        "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nContent-Length: 4\r\n"
        "\r\nabcd",
    "duplicate-content-length-different":
        "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nContent-Length: 5\r\n"
        "\r\nabcde",
    "content-length-list": "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4, 4\r\n"
                           "\r\nabcd",
    "content-length-not-a-number": "POST /echo HTTP/1.1\r\nHost: localhost\r\n"
                                   "Content-Length: 4x\r\n\r\nabcd",
    "content-length-signed": "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: +4\r\n"
                             "\r\nabcd",
    "content-length-negative": "POST /echo HTTP/1.1\r\nHost: localhost\r\n"
                               "Content-Length: -1\r\n\r\n",
    "transfer-encoding-not-chunked-last": "POST /echo HTTP/1.1\r\nHost: localhost\r\n"
                                          "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
    "bad-chunk-size": "POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                      "\r\nzz\r\nabc\r\n0\r\n\r\n",
    "obs-fold": "GET /echo HTTP/1.1\r\nHost: localhost\r\nX-Folded: first\r\n  second\r\n\r\n",
    "space-before-colon": "GET /echo HTTP/1.1\r\nHost: localhost\r\nX-Bad : value\r\n\r\n",
    "control-char-in-name": "GET /echo HTTP/1.1\r\nHost: localhost\r\nX-B\x01d: value\r\n\r\n",
    "separator-in-name": "GET /echo HTTP/1.1\r\nHost: localhost\r\nX(bad): value\r\n\r\n",
    "nul-in-value": "GET /echo HTTP/1.1\r\nHost: localhost\r\nX-Value: a\x00b\r\n\r\n",
    "del-in-value": "GET /echo HTTP/1.1\r\nHost: localhost\r\nX-Value: a\x7fb\r\n\r\n",
    "bare-cr-in-value": "GET /echo HTTP/1.1\r\nHost: localhost\r\nX-Value: a\rb\r\n\r\n",
    "missing-host": "GET /echo HTTP/1.1\r\nAccept: */*\r\n\r\n",
    "two-hosts": "GET /echo HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n\r\n",
    "request-line-one-word": "GET\r\nHost: localhost\r\n\r\n",
    "request-line-extra-word": "GET /echo HTTP/1.1 extra\r\nHost: localhost\r\n\r\n",
    "request-line-double-space": "GET  /echo HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "request-line-bad-method": "G@T /echo HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "request-line-bad-version": "GET /echo HTTX/1.1\r\nHost: localhost\r\n\r\n",
    "request-line-control-char": "GET /ec\x01ho HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "request-line-space-in-target": "GET /echo now HTTP/1.1\r\nHost: localhost\r\n\r\n",
}


@pytest.fixture
def rp(start_rampart):
    # Plain HTTP only, so that the listener serves the application (no redirect).
    return start_rampart(https=False, http=True)


def test_well_formed_request_is_served_and_kept_open(rp):
    with RawConnection(rp.http_port) as c:
        c.send(GOOD)
        resp = c.read_response()
        assert resp.status == 200
        assert resp.json()["path"] == "/echo"
        assert not c.closed_by_peer(timeout=0.5)


@pytest.mark.parametrize("case", sorted(BAD_REQUESTS))
def test_malformed_request_gets_400_and_close(rp, case):
    with RawConnection(rp.http_port) as c:
        c.send(BAD_REQUESTS[case])
        resp = c.read_response()
        assert resp.status == 400, f"{case}: {resp.status} {resp.reason}"
        assert c.closed_by_peer(), f"{case}: the connection was left open after the 400"


def test_smuggled_request_never_reaches_the_app(rp, upstream):
    """CL+TE with a second request hidden in the body: one 400, no second answer."""
    hidden = "GET /slow?seconds=0 HTTP/1.1\r\nHost: localhost\r\n\r\n"
    body = f"0\r\n\r\n{hidden}"
    before = upstream.get("/stats").json()["slow_completed"]
    with RawConnection(rp.http_port) as c:
        c.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
               f"Content-Length: {len(body)}\r\n\r\n{body}")
        resp = c.read_response()
        assert resp.status == 400
        assert c.closed_by_peer()
    assert upstream.get("/stats").json()["slow_completed"] == before
