"""A tiny ASGI application that echoes WebSocket messages, for uvicorn.

Flask under gunicorn does not speak WebSocket, so the example keeps its WebSocket endpoint in
this separate app (plain ASGI, no framework):

    uvicorn --app-dir examples/flask-app --host 127.0.0.1 --port 8001 ws_echo:app

Any path accepts a WebSocket and sends back every text or binary message it receives. A plain
HTTP request gets a short text answer (so that a health check or a curl works).
"""


async def app(scope, receive, send):
    if scope["type"] == "websocket":
        await _echo(receive, send)
    elif scope["type"] == "http":
        await _http(receive, send)
    elif scope["type"] == "lifespan":
        await _lifespan(receive, send)


async def _echo(receive, send):
    while True:
        event = await receive()
        kind = event["type"]
        if kind == "websocket.connect":
            await send({"type": "websocket.accept"})
        elif kind == "websocket.receive":
            if event.get("bytes") is not None:
                await send({"type": "websocket.send", "bytes": event["bytes"]})
            else:
                await send({"type": "websocket.send", "text": event.get("text") or ""})
        elif kind == "websocket.disconnect":
            return


async def _http(receive, send):
    # Drain the request body before answering.
    while True:
        event = await receive()
        if event["type"] != "http.request" or not event.get("more_body"):
            break
    body = b"WebSocket echo: connect with a WebSocket client to any path.\n"
    await send({
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive, send):
    while True:
        event = await receive()
        if event["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif event["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
