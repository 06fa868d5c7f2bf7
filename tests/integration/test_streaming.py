"""50 MiB up and down through rampart with its resident memory staying flat: the bodies are
streamed, not held. Memory is read from /proc (VmRSS sampled during the transfer, and VmHWM)."""

import hashlib
import http.client
import threading
import time

import pytest

from helpers import client_tls_context
from test_proxy_basics import expected_sha256

SIZE = 50 * 1024 * 1024
MAX_GROWTH = 20 * 1024 * 1024
PIECE = 256 * 1024


class RssSampler:
    """Samples a process's VmRSS every few milliseconds in a thread, and its VmHWM at the ends."""

    def __init__(self, rp):
        self.rp = rp
        self.baseline = rp.rss()
        self.hwm_before = rp.peak_rss()
        self.samples = [self.baseline]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.samples.append(self.rp.rss())
            except (OSError, AssertionError):
                return
            time.sleep(0.01)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.hwm_after = self.rp.peak_rss()

    def growth(self):
        peak = max(self.samples)
        if self.hwm_after > self.hwm_before:
            peak = max(peak, self.hwm_after)
        return peak - self.baseline


def warm_up(rp):
    for _ in range(3):
        assert rp.get("/healthz").status_code == 200
    assert rp.post("/upload", data=b"x" * 100_000).status_code == 200
    assert len(rp.get("/download?size=100000").content) == 100_000


def payload_pieces():
    """SIZE bytes, the same 256 KiB piece repeated (hashing them is cheap for the test)."""
    piece = hashlib.sha256(b"rampart").digest() * (PIECE // 32)
    for _ in range(SIZE // PIECE):
        yield piece


def payload_sha256():
    h = hashlib.sha256()
    for p in payload_pieces():
        h.update(p)
    return h.hexdigest()


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_upload_50mib_streamed(start_rampart, framing):
    rp = start_rampart()
    warm_up(rp)
    conn = http.client.HTTPSConnection("localhost", rp.https_port, context=client_tls_context(),
                                       timeout=60)
    with RssSampler(rp) as sampler:
        conn.putrequest("POST", "/upload")
        conn.putheader("Content-Type", "application/octet-stream")
        if framing == "chunked":
            conn.putheader("Transfer-Encoding", "chunked")
        else:
            conn.putheader("Content-Length", str(SIZE))
        conn.endheaders()
        for piece in payload_pieces():
            if framing == "chunked":
                conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                conn.send(piece)
        if framing == "chunked":
            conn.send(b"0\r\n\r\n")
        resp = conn.getresponse()
        body = resp.read()
    conn.close()
    assert resp.status == 200, body[:500]
    import json
    result = json.loads(body)
    assert result["bytes"] == SIZE
    assert result["sha256"] == payload_sha256()
    assert sampler.growth() < MAX_GROWTH, (
        f"rampart's resident memory grew by {sampler.growth() / 2**20:.1f} MiB during a 50 MiB "
        f"upload (baseline {sampler.baseline / 2**20:.1f} MiB)")


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_download_50mib_streamed(start_rampart, chunked):
    """The client stops reading for a while after the first MiB: a gateway that does not apply
    back-pressure would take the whole body from gunicorn into memory meanwhile."""
    rp = start_rampart()
    warm_up(rp)
    query = f"/download?size={SIZE}" + ("&chunked=1" if chunked else "")
    h = hashlib.sha256()
    received = 0
    with RssSampler(rp) as sampler:
        r = rp.get(query, stream=True, timeout=60)
        assert r.status_code == 200
        if chunked:
            assert r.headers.get("Transfer-Encoding") == "chunked"
        else:
            assert r.headers["Content-Length"] == str(SIZE)
        stream = r.iter_content(64 * 1024)
        for chunk in stream:
            h.update(chunk)
            received += len(chunk)
            if received >= 1024 * 1024:
                break
        time.sleep(2)  # a slow reader; gunicorn would have sent everything by now
        for chunk in stream:
            h.update(chunk)
            received += len(chunk)
    assert received == SIZE
    assert h.hexdigest() == expected_sha256(SIZE)
    assert sampler.growth() < MAX_GROWTH, (
        f"rampart's resident memory grew by {sampler.growth() / 2**20:.1f} MiB during a 50 MiB "
        f"download (baseline {sampler.baseline / 2**20:.1f} MiB)")
