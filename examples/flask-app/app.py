"""A small, real Flask application to put behind rampart.

It has what a typical team's app has (a login with a session cookie, a form, a JSON API, a page
with an inline script, static files, uploads and downloads) plus a few endpoints that exist so
that the integration tests and the demo can see what the gateway does to a request and to a
response: /echo, /slow, /cookies, /headers-leak and /stats.

Run it under gunicorn (threads, so that keep-alive and /slow do not block other requests):

    gunicorn --chdir examples/flask-app -k gthread --threads 8 -b 127.0.0.1:8000 app:app

Configuration by environment:
    SECRET_KEY   the session signing key (default: random per process, so sessions end with it)
    UPLOAD_DIR   where uploads are written (default: a fresh temporary directory)
    APP_INSTANCE a name for this process, shown by /echo (to tell several upstreams apart)
"""

import hashlib
import os
import secrets
import tempfile
import threading
import time

from flask import (Flask, Response, abort, jsonify, redirect, render_template, request, session,
                   url_for)
from werkzeug.security import check_password_hash, generate_password_hash

from payload import download_chunks

CHUNK = 64 * 1024
MAX_DOWNLOAD = 16 * 1024 ** 3
MAX_SLOW_SECONDS = 600

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
app.config["SESSION_COOKIE_NAME"] = "session"

# Names this process in /echo, so that a client can tell which of several upstreams answered.
INSTANCE = os.environ.get("APP_INSTANCE", "")

UPLOAD_DIR = os.environ.get("UPLOAD_DIR") or tempfile.mkdtemp(prefix="flask-app-uploads-")
os.makedirs(UPLOAD_DIR, exist_ok=True)

# The demo user (documented in README.md). Passwords are kept only as werkzeug hashes.
USERS = {
    "demo": generate_password_hash("rampart-demo"),
}

_items_lock = threading.Lock()
_items = [{"id": 1, "name": "first item"}]

_stats_lock = threading.Lock()
_stats = {"slow_in_flight": 0, "slow_completed": 0}


def _int_arg(name, default, low, high):
    raw = request.args.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        abort(400, f"{name} must be a whole number")
    if not low <= value <= high:
        abort(400, f"{name} must be between {low} and {high}")
    return value


# --- pages ---------------------------------------------------------------------------------------

@app.get("/")
def index():
    return render_template("index.html", user=session.get("user"))


@app.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        stored = USERS.get(username)
        if stored and check_password_hash(stored, password):
            session.clear()
            session["user"] = username
            return redirect(url_for("account"))
        error = "Wrong user name or password."
    return render_template("login.html", error=error), (401 if error else 200)


@app.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("index"))


@app.get("/account")
def account():
    user = session.get("user")
    if not user:
        return redirect(url_for("login"))
    return render_template("account.html", user=user)


@app.route("/form", methods=["GET", "POST"])
def form():
    if request.method == "POST":
        name = request.form.get("name", "")
        message = request.form.get("message", "")
        return render_template("form.html", submitted=True, name=name, message=message)
    return render_template("form.html", submitted=False)


@app.get("/script")
def script_page():
    return render_template("script.html")


# --- JSON API ------------------------------------------------------------------------------------

@app.get("/api/items")
def list_items():
    with _items_lock:
        return jsonify(items=list(_items))


@app.post("/api/items")
def add_item():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"]:
        return jsonify(error="expected a JSON object with a non-empty string 'name'"), 400
    with _items_lock:
        item = {"id": max((i["id"] for i in _items), default=0) + 1, "name": data["name"]}
        _items.append(item)
    return jsonify(item), 201


@app.get("/api/items/<int:item_id>")
def get_item(item_id):
    with _items_lock:
        for item in _items:
            if item["id"] == item_id:
                return jsonify(item)
    return jsonify(error="no such item"), 404


# --- uploads and downloads -----------------------------------------------------------------------

@app.route("/upload", methods=["GET", "POST", "PUT"])
def upload():
    """Stores an upload on disk in chunks and answers with its size and SHA-256.

    A multipart form (field "file") is parsed by werkzeug, which spools files to disk; any other
    body (Content-Length or chunked) is read from the stream chunk by chunk.
    """
    if request.method == "GET":
        return render_template("upload.html")
    digest = hashlib.sha256()
    size = 0
    fd, path = tempfile.mkstemp(prefix="upload-", dir=UPLOAD_DIR)
    with os.fdopen(fd, "wb") as out:
        if request.mimetype == "multipart/form-data":
            f = request.files.get("file")
            if f is None:
                os.unlink(path)
                return jsonify(error="expected a file in the form field 'file'"), 400
            source = f.stream
        else:
            source = request.stream
        while True:
            chunk = source.read(CHUNK)
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return jsonify(bytes=size, sha256=digest.hexdigest(), stored_as=os.path.basename(path))


@app.get("/download")
def download():
    """Sends SIZE bytes generated in chunks; with chunked=1 without a Content-Length; with
    stall=N it pauses N seconds after the first 64 KiB."""
    size = _int_arg("size", 1024, 0, MAX_DOWNLOAD)
    stall = _int_arg("stall", 0, 0, MAX_SLOW_SECONDS)
    chunked = request.args.get("chunked") in ("1", "true", "yes")
    headers = {"Content-Disposition": 'attachment; filename="download.bin"'}
    if not chunked:
        headers["Content-Length"] = str(size)
    body = download_chunks(size)
    if stall:
        body = _stall_after_first(body, stall)
    return Response(body, mimetype="application/octet-stream", headers=headers,
                    direct_passthrough=True)


def _stall_after_first(chunks, seconds):
    """The chunks, with a pause after the first (an upstream that stops half-way)."""
    for i, chunk in enumerate(chunks):
        yield chunk
        if i == 0:
            time.sleep(seconds)


# --- endpoints that show what the gateway does ---------------------------------------------------

@app.route("/echo", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@app.route("/echo/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def echo(rest=None):
    """Answers with the request as the application saw it: headers, client address, body size."""
    headers = {}
    for key, value in request.environ.items():
        if key.startswith("HTTP_"):
            name = key[5:].replace("_", "-").title()
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            name = key.replace("_", "-").title()
        else:
            continue
        headers[name] = value
    body = request.get_data(cache=False)
    return jsonify(
        method=request.method,
        path=request.path,
        query=request.query_string.decode("latin-1"),
        headers=headers,
        remote_addr=request.environ.get("REMOTE_ADDR"),
        remote_port=request.environ.get("REMOTE_PORT"),
        scheme=request.scheme,
        body_bytes=len(body),
        body_sha256=hashlib.sha256(body).hexdigest(),
        instance=INSTANCE,
    )


@app.get("/slow")
def slow():
    seconds = _int_arg("seconds", 1, 0, MAX_SLOW_SECONDS)
    with _stats_lock:
        _stats["slow_in_flight"] += 1
    try:
        time.sleep(seconds)
    finally:
        with _stats_lock:
            _stats["slow_in_flight"] -= 1
            _stats["slow_completed"] += 1
    return jsonify(slept=seconds)


@app.get("/stats")
def stats():
    """Counters that let a test see that a request reached the app (e.g. /slow in flight)."""
    with _stats_lock:
        return jsonify(dict(_stats))


@app.get("/cookies")
def cookies():
    resp = jsonify(set=["plain", "flagged", "csrftoken"])
    resp.set_cookie("plain", "1")
    resp.set_cookie("flagged", "2", max_age=3600, httponly=True, samesite="Strict")
    resp.set_cookie("csrftoken", secrets.token_hex(16))
    if request.args.get("malformed") == "1":
        resp.headers.add("Set-Cookie", "this-is-not-a-cookie")
    return resp


@app.get("/headers-leak")
def headers_leak():
    resp = Response("this response names its software\n", mimetype="text/plain")
    resp.headers["Server"] = "Werkzeug/2.2.2 Python/3.11"
    resp.headers["X-Powered-By"] = "Flask"
    return resp


@app.get("/healthz")
def healthz():
    return "ok\n", 200, {"Content-Type": "text/plain"}
