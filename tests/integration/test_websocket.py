"""A WebSocket upgrade passed through rampart to the uvicorn echo app (a second upstream)."""

import os
import ssl

import websocket


def test_websocket_echo_over_tls(start_rampart, ws_upstream):
    rp = start_rampart(upstream_url=ws_upstream.url)
    ws = websocket.create_connection(f"wss://localhost:{rp.https_port}/chat", timeout=15,
                                     sslopt={"cert_reqs": ssl.CERT_NONE})
    try:
        assert ws.getstatus() == 101
        ws.send("hello through rampart")
        assert ws.recv() == "hello through rampart"
        blob = os.urandom(300_000)
        ws.send_binary(blob)
        assert ws.recv() == blob
        for i in range(20):
            ws.send(f"message {i}")
        assert [ws.recv() for _ in range(20)] == [f"message {i}" for i in range(20)]
    finally:
        ws.close()
    # The gateway is still serving plain requests afterwards.
    assert rp.get("/").text.startswith("WebSocket echo")


def test_websocket_echo_over_plain_http(start_rampart, ws_upstream):
    rp = start_rampart(upstream_url=ws_upstream.url, https=False, http=True)
    ws = websocket.create_connection(f"ws://localhost:{rp.http_port}/", timeout=15)
    try:
        ws.send("plain")
        assert ws.recv() == "plain"
    finally:
        ws.close()
