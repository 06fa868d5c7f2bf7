"""rampart audit deps --update-db against a local HTTP server started here (127.0.0.1, a port
chosen at run time): a download, a 304 on the second run, a truncated download, a body that is
not a zip, an HTTP error and an unreachable server."""
import http.server
import io
import os
import pathlib
import socket
import subprocess
import threading
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("RAMPART_BIN", str(ROOT / "build" / "rampart"))
OSV = ROOT / "tests" / "fixtures" / "audit" / "deps" / "osv"


def make_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(OSV.glob("*.json")):
            z.write(p, p.name)
    return buf.getvalue()


class Server:
    def __init__(self):
        self.zip = make_zip()
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                outer.requests.append((self.path, self.headers.get("If-None-Match"),
                                       self.headers.get("If-Modified-Since")))
                if self.path == "/PyPI/all.zip":
                    if self.headers.get("If-None-Match") == '"v1"':
                        self.send_response(304)
                        self.end_headers()
                        return
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(outer.zip)))
                    self.send_header("ETag", '"v1"')
                    self.send_header("Last-Modified", "Wed, 01 May 2024 00:00:00 GMT")
                    self.end_headers()
                    self.wfile.write(outer.zip)
                elif self.path == "/truncated.zip":
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(outer.zip)))
                    self.end_headers()
                    self.wfile.write(outer.zip[: len(outer.zip) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                elif self.path == "/garbage.zip":
                    body = b"<html>maintenance</html>"
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


def update(cache, url):
    return subprocess.run([BIN, "audit", "deps", "--update-db", "--db-url", url, "--cache-dir", str(cache)],
                          capture_output=True, text=True, timeout=60)


def test_download_then_304_then_audit(server, tmp_path):
    cache = tmp_path / "cache"
    r = update(cache, server.url("/PyPI/all.zip"))
    assert r.returncode == 0, r.stderr
    db = cache / "osv" / "PyPI-all.zip"
    assert r.stderr == f"rampart audit deps: downloaded the advisory database ({len(server.zip)} bytes) to {db}\n"
    assert db.read_bytes() == server.zip
    r = update(cache, server.url("/PyPI/all.zip"))
    assert r.returncode == 0
    assert r.stderr == f"rampart audit deps: the advisory database is up to date ({db})\n"
    assert server.requests[1] == ("/PyPI/all.zip", '"v1"', "Wed, 01 May 2024 00:00:00 GMT")
    # The downloaded database is the default one.
    (tmp_path / "requirements.txt").write_text("demo-pkg==1.1.0\n")
    r = subprocess.run([BIN, "audit", "deps", "--cache-dir", str(cache), "--format", "json"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert '"id": "RAMP-2024-0001"' in r.stdout


def test_truncated_download_keeps_the_old_database(server, tmp_path):
    cache = tmp_path / "cache"
    assert update(cache, server.url("/PyPI/all.zip")).returncode == 0
    url = server.url("/truncated.zip")
    r = update(cache, url)
    assert r.returncode == 2
    assert r.stderr.startswith(f"rampart audit deps: download of {url} failed: the transfer was cut short (")
    assert r.stderr.endswith("; the current database is kept\n")
    assert (cache / "osv" / "PyPI-all.zip").read_bytes() == server.zip
    assert [p.name for p in (cache / "osv").iterdir() if ".part" in p.name] == []


def test_not_a_zip_http_error_and_unreachable(server, tmp_path):
    cache = tmp_path / "cache"
    url = server.url("/garbage.zip")
    r = update(cache, url)
    assert r.returncode == 2
    assert r.stderr == (f"rampart audit deps: download of {url} failed: the file received is not a complete zip "
                        "archive; the current database is kept\n")
    url = server.url("/missing.zip")
    r = update(cache, url)
    assert r.returncode == 2
    assert r.stderr == f"rampart audit deps: download of {url} failed: HTTP status 404\n"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/all.zip"
    r = update(cache, url)
    assert r.returncode == 2
    assert r.stderr.startswith(f"rampart audit deps: download of {url} failed: ")
    assert not (cache / "osv" / "PyPI-all.zip").exists()
