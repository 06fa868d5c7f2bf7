"""The example app through rampart as a user sees it: pages, login, a form, JSON, static files,
keep-alive on both sides, chunked bodies both ways and Expect: 100-continue."""

import hashlib
import http.client
import json
import os
import re
import time

from helpers import APP_DIR, RawConnection, client_tls_context, download_chunks, request_bytes


def expected_sha256(size):
    h = hashlib.sha256()
    for chunk in download_chunks(size):
        h.update(chunk)
    return h.hexdigest()


def test_get_page(start_rampart):
    rp = start_rampart()
    r = rp.get("/")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Flask app behind rampart</h1>" in r.text
    assert "You are not signed in." in r.text


def test_static_files(start_rampart):
    rp = start_rampart()
    css = rp.get("/static/style.css")
    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert css.content == (APP_DIR / "static" / "style.css").read_bytes()
    js = rp.get("/static/app.js")
    assert js.status_code == 200
    assert js.content == (APP_DIR / "static" / "app.js").read_bytes()


def test_inline_script_page_passes_through(start_rampart):
    rp = start_rampart()
    r = rp.get("/script")
    assert r.status_code == 200
    assert 'document.getElementById("inline-result").textContent = "The inline script ran.";' \
        in r.text


def test_post_form(start_rampart):
    rp = start_rampart()
    r = rp.post("/form", data={"name": "Ann", "message": "<b>hello</b> & bye"})
    assert r.status_code == 200
    assert ('<p class="thanks">Thanks, Ann! Your message was: '
            '&lt;b&gt;hello&lt;/b&gt; &amp; bye</p>') in r.text


def test_login_with_session_cookie(start_rampart):
    rp = start_rampart()
    bad = rp.post("/login", data={"username": "demo", "password": "wrong"})
    assert bad.status_code == 401
    assert "Wrong user name or password." in bad.text
    r = rp.post("/login", data={"username": "demo", "password": "rampart-demo"},
                allow_redirects=False)
    assert r.status_code == 302
    assert r.headers["Location"] == "/account"
    assert "session" in rp.session.cookies
    account = rp.get("/account")
    assert account.status_code == 200
    assert "<p>Signed in as demo.</p>" in account.text


def test_json_api_get_and_post(start_rampart):
    rp = start_rampart()
    r = rp.post("/api/items", json={"name": "tea"})
    assert r.status_code == 201
    assert r.headers["Content-Type"] == "application/json"
    item = r.json()
    assert item["name"] == "tea"
    listed = rp.get("/api/items")
    assert listed.status_code == 200
    assert item in listed.json()["items"]
    one = rp.get(f"/api/items/{item['id']}")
    assert one.json() == item
    invalid = rp.post("/api/items", json={"name": ""})
    assert invalid.status_code == 400
    assert invalid.json() == {"error": "expected a JSON object with a non-empty string 'name'"}


def test_keep_alive_reuses_both_connections(start_rampart):
    """Ten requests on one client connection; the app sees them come over few upstream ones."""
    rp = start_rampart()
    conn = http.client.HTTPSConnection("localhost", rp.https_port, context=client_tls_context(),
                                       timeout=15)
    conn.connect()
    client_sock = conn.sock
    client_addr = conn.sock.getsockname()
    upstream_ports = []
    for i in range(10):
        conn.request("GET", f"/echo?n={i}")
        resp = conn.getresponse()
        body = json.loads(resp.read())
        assert resp.status == 200
        assert body["query"] == f"n={i}"
        upstream_ports.append(body["remote_port"])
        assert conn.sock is client_sock, f"the client connection was replaced after request {i}"
        assert conn.sock.getsockname() == client_addr
    conn.close()
    # A pool that reuses upstream connections serves sequential requests over one or two.
    assert len(set(upstream_ports)) <= 2, upstream_ports


def test_keep_alive_raw_socket(start_rampart):
    rp = start_rampart()
    with RawConnection(rp.port, tls=True) as c:
        for i in range(5):
            c.send(request_bytes("GET", f"/echo?i={i}", f"localhost:{rp.port}"))
            resp = c.read_response()
            assert resp.status == 200
            assert resp.json()["query"] == f"i={i}"
        assert not c.closed_by_peer(timeout=0.5)


def test_chunked_request_body(start_rampart):
    rp = start_rampart()
    data = os.urandom(3 * 1024 * 1024 + 17)

    def pieces():
        for off in range(0, len(data), 100_000):
            yield data[off:off + 100_000]

    r = rp.post("/upload", data=pieces(), headers={"Content-Type": "application/octet-stream"})
    assert r.request.headers["Transfer-Encoding"] == "chunked"
    assert r.status_code == 200
    assert r.json()["bytes"] == len(data)
    assert r.json()["sha256"] == hashlib.sha256(data).hexdigest()


def test_chunked_request_body_in_separate_writes(start_rampart):
    """As Python's requests sends it: the head, then each chunk's size line, data and CRLF in
    writes of their own (so a chunk's parts arrive in different reads)."""
    rp = start_rampart()
    pieces = [b"a" * 16, b"b" * 70_000, b"c" * 1]
    with RawConnection(rp.port, tls=True) as c:
        c.send(request_bytes("POST", "/upload", f"localhost:{rp.port}",
                             [("Transfer-Encoding", "chunked"),
                              ("Content-Type", "application/octet-stream")]))
        for piece in pieces:
            time.sleep(0.05)
            c.send(b"%x" % len(piece))
            c.send(b"\r\n")
            c.send(piece)
            c.send(b"\r\n")
        time.sleep(0.05)
        c.send(b"0\r\n\r\n")
        resp = c.read_response()
    body = b"".join(pieces)
    assert resp.status == 200
    assert resp.json()["bytes"] == len(body)
    assert resp.json()["sha256"] == hashlib.sha256(body).hexdigest()


def test_chunked_response_body(start_rampart):
    rp = start_rampart()
    size = 2 * 1024 * 1024 + 5
    with RawConnection(rp.port, tls=True) as c:
        c.send(request_bytes("GET", f"/download?size={size}&chunked=1", f"localhost:{rp.port}"))
        resp = c.read_response()
        assert resp.status == 200
        assert resp.chunked, resp.headers
        assert resp.header("Content-Length") is None
        assert len(resp.body) == size
        assert hashlib.sha256(resp.body).hexdigest() == expected_sha256(size)
        # The connection stays usable after a chunked response.
        c.send(request_bytes("GET", "/healthz", f"localhost:{rp.port}"))
        assert c.read_response().body == b"ok\n"


def test_content_length_response_body(start_rampart):
    rp = start_rampart()
    size = 1_000_003
    with RawConnection(rp.port, tls=True) as c:
        c.send(request_bytes("GET", f"/download?size={size}", f"localhost:{rp.port}"))
        resp = c.read_response()
        assert resp.status == 200
        assert resp.header("Content-Length") == str(size)
        assert not resp.chunked
        assert hashlib.sha256(resp.body).hexdigest() == expected_sha256(size)


def test_expect_100_continue(start_rampart):
    rp = start_rampart()
    body = b"x" * 5000
    with RawConnection(rp.port, tls=True) as c:
        c.send(request_bytes("POST", "/echo", f"localhost:{rp.port}",
                             [("Content-Length", str(len(body))), ("Expect", "100-continue"),
                              ("Content-Type", "application/octet-stream")]))
        # Only the interim answer can come before the body is sent.
        while b"\r\n\r\n" not in c.buf:
            c._fill()
        assert re.match(rb"HTTP/1\.1 100 Continue\r\n", c.buf), c.buf[:200]
        c.send(body)
        resp = c.read_response()
        assert resp.status == 200
        assert resp.json()["body_bytes"] == len(body)
