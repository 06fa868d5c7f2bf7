"""Each limit and timeout answers its status: 431 for the head's size and its number of headers,
414 for the URI, 413 for the body, 408 for a slow head or body, 504 for a slow upstream; an idle
keep-alive connection is closed quietly. Each limit has a control just under it."""

import select

import pytest

from helpers import WAIT, ConnectionClosed, RawConnection, request_bytes

LIMITS = {"max_head_size": "4KiB", "max_headers": 20, "max_uri_length": "1KiB",
          "max_body_size": "1MiB"}
TIMEOUTS = {"head": "1s", "body": "1s", "keep_alive": "1s", "upstream_response": "2s",
            "drain": "5s"}


@pytest.fixture
def rp(start_rampart):
    return start_rampart(https=False, http=True, limits=LIMITS, timeouts=TIMEOUTS)


def exchange(rp, data):
    with RawConnection(rp.http_port, timeout=WAIT) as c:
        c.send(data)
        return c.read_response()


def get(rp, target="/echo", headers=()):
    return exchange(rp, request_bytes("GET", target, f"localhost:{rp.http_port}", headers))


def test_head_size_limit_431(rp):
    assert get(rp, headers=[("X-Big", "a" * 3000)]).status == 200
    assert get(rp, headers=[("X-Big", "a" * 5000)]).status == 431


def test_header_count_limit_431(rp):
    assert get(rp, headers=[(f"X-H{i}", "v") for i in range(15)]).status == 200
    assert get(rp, headers=[(f"X-H{i}", "v") for i in range(25)]).status == 431


def test_uri_length_limit_414(rp):
    assert get(rp, target="/echo?q=" + "a" * 900).status == 200
    assert get(rp, target="/echo?q=" + "a" * 2000).status == 414


def test_body_size_limit_413_by_content_length(rp):
    ok = exchange(rp, request_bytes("POST", "/echo", f"localhost:{rp.http_port}",
                                    [("Content-Length", str(512 * 1024))], b"x" * 512 * 1024))
    assert ok.status == 200
    assert ok.json()["body_bytes"] == 512 * 1024
    # Refused from the head alone: the client has not sent a byte of the body.
    resp = exchange(rp, request_bytes("POST", "/echo", f"localhost:{rp.http_port}",
                                      [("Content-Length", str(2 * 1024 * 1024))]))
    assert resp.status == 413


def test_body_size_limit_413_chunked(rp):
    """A chunked body is refused when it reaches the limit: the client stops sending as soon as
    an answer comes (reading it before the server's close could reset the connection)."""
    piece = b"y" * 65536
    chunk = b"%x\r\n%s\r\n" % (len(piece), piece)
    with RawConnection(rp.http_port, timeout=WAIT) as c:
        c.send(request_bytes("POST", "/upload", f"localhost:{rp.http_port}",
                             [("Transfer-Encoding", "chunked"),
                              ("Content-Type", "application/octet-stream")]))
        sent = 0
        while sent < 8 * 1024 * 1024:
            readable, _, _ = select.select([c.sock], [], [], 0)
            if readable:
                break
            try:
                c.send(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
        resp = c.read_response()
        assert resp.status == 413


def test_head_timeout_408(rp):
    with RawConnection(rp.http_port, timeout=WAIT) as c:
        c.send(f"GET /echo HTTP/1.1\r\nHost: localhost:{rp.http_port}\r\n")  # half a head
        resp = c.read_response()
        assert resp.status == 408
        assert c.closed_by_peer()


def test_body_timeout_408(rp):
    with RawConnection(rp.http_port, timeout=WAIT) as c:
        c.send(request_bytes("POST", "/echo", f"localhost:{rp.http_port}",
                             [("Content-Length", "100")], b"0123456789"))
        resp = c.read_response()
        assert resp.status == 408
        assert c.closed_by_peer()


def test_idle_keep_alive_closed_quietly(rp):
    with RawConnection(rp.http_port, timeout=WAIT) as c:
        c.send(request_bytes("GET", "/healthz", f"localhost:{rp.http_port}"))
        assert c.read_response().status == 200
        # closed_by_peer fails on any byte sent before the close: no 408 on an idle connection.
        assert c.closed_by_peer(timeout=WAIT)


def test_upstream_response_timeout_504(rp):
    resp = get(rp, target="/slow?seconds=6")
    assert resp.status == 504
    # The gateway serves the next request normally.
    assert get(rp, target="/healthz").status == 200


def test_abandoned_half_head_does_not_disturb_others(rp):
    """A half head that is then abandoned must not stop the gateway serving others."""
    c = RawConnection(rp.http_port, timeout=WAIT)
    c.send("GET /echo HTTP/1.1\r\n")
    c.close()
    assert get(rp, target="/healthz").status == 200
    try:
        with RawConnection(rp.http_port, timeout=WAIT) as c2:
            c2.send(request_bytes("GET", "/healthz", f"localhost:{rp.http_port}"))
            assert c2.read_response().status == 200
    except ConnectionClosed:
        pytest.fail("the gateway closed a well-formed request's connection")


def test_upstream_stalls_mid_body(rp):
    """upstream_response also bounds the wait between two reads of the response body: once the
    answer has begun, the client sees it cut short (the connection closed before the declared
    length), not a connection that hangs."""
    size = 1024 * 1024
    with RawConnection(rp.http_port, timeout=WAIT) as c:
        c.send(request_bytes("GET", f"/download?size={size}&stall=8",
                             f"localhost:{rp.http_port}"))
        with pytest.raises(ConnectionClosed):
            resp = c.read_response()
            pytest.fail(f"a complete response of {len(resp.body)} bytes came through a stall")
        assert c.current is not None and c.current.status == 200
        assert c.current.header("Content-Length") == str(size)
        assert len(c.buf) < size
