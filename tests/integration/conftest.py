"""Fixtures: the example Flask app under gunicorn, the WebSocket echo under uvicorn, and rampart
itself started from a configuration written to the test's tmp_path.

The rampart binary is RAMPART_BIN, or build/rampart under the repository root. A missing binary
fails the tests that need it (it is never skipped): build it with `make build`.
"""

import copy
import json
import os
import string
import warnings
from pathlib import Path

import pytest
import requests
import urllib3
import yaml

from helpers import (APP_DIR, PYTHON, REPO_ROOT, WAIT, ManagedProcess, free_port, peak_rss,
                     port_open, rss, wait_until)

warnings.filterwarnings("ignore", category=urllib3.exceptions.InsecureRequestWarning)


# --- upstreams ------------------------------------------------------------------------------------

class Gunicorn:
    """The example app under gunicorn on a fixed port, which can be stopped and started again."""

    def __init__(self, log_dir, upload_dir, port=None, instance=""):
        self.port = port or free_port()
        self.instance = instance
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_dir = Path(log_dir)
        self.upload_dir = Path(upload_dir)
        self.process = None
        self.starts = 0

    def start(self):
        self.starts += 1
        argv = [PYTHON, "-m", "gunicorn", "--chdir", APP_DIR, "--bind", f"127.0.0.1:{self.port}",
                "--worker-class", "gthread", "--workers", "1", "--threads", "16",
                "--keep-alive", "75", "--timeout", "120", "--graceful-timeout", "3",
                "--access-logfile", "-", "app:app"]
        self.process = ManagedProcess(f"gunicorn{self.instance}-{self.starts}", argv, self.log_dir,
                                      env={"UPLOAD_DIR": str(self.upload_dir),
                                           "SECRET_KEY": "integration-tests",
                                           "APP_INSTANCE": self.instance})
        self.process.wait_for_port(self.port)
        return self

    def stop(self):
        if self.process:
            self.process.stop()
            wait_until(lambda: not port_open(self.port), what=f"port {self.port} to close")

    def get(self, path):
        """A request straight to the app, bypassing rampart."""
        return requests.get(self.url + path, timeout=WAIT)


@pytest.fixture(scope="session")
def upstream(tmp_path_factory):
    """One gunicorn serving the example app for the whole session."""
    base = tmp_path_factory.mktemp("gunicorn")
    g = Gunicorn(base / "logs", base / "uploads").start()
    yield g
    g.stop()


@pytest.fixture
def own_upstream(tmp_path):
    """A gunicorn for one test, which the test may stop and start again (same port)."""
    g = Gunicorn(tmp_path / "gunicorn-logs", tmp_path / "uploads").start()
    yield g
    g.stop()


@pytest.fixture
def two_upstreams(tmp_path):
    """Two gunicorns, instances "a" and "b", which a test may stop and start."""
    pair = [Gunicorn(tmp_path / "gunicorn-logs", tmp_path / "uploads", instance=name).start()
            for name in ("a", "b")]
    yield pair
    for g in pair:
        g.stop()


@pytest.fixture(scope="session")
def ws_upstream(tmp_path_factory):
    """examples/flask-app/ws_echo.py under uvicorn: echoes WebSocket messages."""
    base = tmp_path_factory.mktemp("uvicorn")
    port = free_port()
    argv = [PYTHON, "-m", "uvicorn", "--app-dir", APP_DIR, "--host", "127.0.0.1", "--port",
            str(port), "--ws", "websockets", "--no-access-log", "ws_echo:app"]
    p = ManagedProcess("uvicorn", argv, base)
    p.wait_for_port(port)
    p.port = port
    p.url = f"http://127.0.0.1:{port}"
    yield p
    p.stop()


# --- rampart --------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def rampart_bin():
    path = Path(os.environ.get("RAMPART_BIN") or REPO_ROOT / "build" / "rampart")
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(f"the rampart binary is missing: {path} does not exist or is not executable. "
                    f"Build it with `make build`, or set RAMPART_BIN to its path.", pytrace=False)
    return path


def deep_merge(base, override):
    """override merged into a copy of base; a None value deletes the key."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class Rampart:
    """A running `rampart serve` and what the test needs to talk to it."""

    def __init__(self, process, config_path, config, https_port, http_port, access_log):
        self.process = process
        self.pid = process.pid
        self.config_path = config_path
        self.config = config
        self.https_port = https_port
        self.http_port = http_port
        self.access_log = access_log
        self.session = requests.Session()
        # trust_env off: REQUESTS_CA_BUNDLE would otherwise override verify=False (and a proxy
        # from the environment must not be used on loopback).
        self.session.trust_env = False
        self.session.verify = False

    @property
    def url(self):
        """The base URL of the HTTPS listener, else of the plain one (Host: localhost:PORT)."""
        if self.https_port:
            return f"https://localhost:{self.https_port}"
        return f"http://localhost:{self.http_port}"

    @property
    def http_url(self):
        return f"http://localhost:{self.http_port}"

    @property
    def port(self):
        return self.https_port or self.http_port

    @property
    def tls(self):
        return bool(self.https_port)

    def get(self, path, **kw):
        kw.setdefault("timeout", WAIT)
        return self.session.get(self.url + path, **kw)

    def post(self, path, **kw):
        kw.setdefault("timeout", WAIT)
        return self.session.post(self.url + path, **kw)

    def request(self, method, path, **kw):
        kw.setdefault("timeout", WAIT)
        return self.session.request(method, self.url + path, **kw)

    def stderr(self):
        return self.process.stderr()

    def stdout(self):
        return self.process.stdout()

    def access_log_lines(self, path=None):
        """The access log's complete lines, parsed (a line being written is left out)."""
        path = path or self.access_log
        if not path.exists():
            return []
        text = path.read_text()
        if not text.endswith("\n"):
            text = text[:text.rfind("\n") + 1]
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def wait_for_log_entry(self, predicate, timeout=WAIT, what="an access log line"):
        """The last access log entry for which predicate(entry) holds, waiting for it."""
        def find():
            for entry in reversed(self.access_log_lines()):
                if predicate(entry):
                    return entry
            return None
        return wait_until(find, timeout, what=f"{what} in {self.access_log}")

    def wait_for_stderr(self, text, timeout=WAIT):
        return wait_until(lambda: text in self.stderr(), timeout,
                          what=f"{text!r} in rampart's stderr; it has:\n{self.stderr()[-3000:]}")

    def write_config(self, config):
        """Rewrites the configuration file (a dict or YAML text); send SIGHUP to load it."""
        text = config if isinstance(config, str) else yaml.safe_dump(config, sort_keys=False)
        self.config_path.write_text(text)

    def signal(self, sig):
        self.process.signal(sig)

    def kept_certificates(self):
        """The certificate files rampart keeps in tls.state_dir (its self-signed ones)."""
        state = Path(self.config.get("tls", {}).get("state_dir", ""))
        if not state.is_dir():
            return []
        return sorted(p for p in state.rglob("*")
                      if p.is_file() and b"BEGIN CERTIFICATE" in p.read_bytes())

    def rss(self):
        return rss(self.pid)

    def peak_rss(self):
        return peak_rss(self.pid)

    def alive(self):
        return self.process.alive()


@pytest.fixture
def start_rampart(rampart_bin, tmp_path, upstream):
    """start_rampart(upstream_url=None, https=True, http=False, **overrides) -> Rampart

    Writes a configuration to tmp_path and starts `rampart serve --config` on it: HTTPS on a free
    port with a self-signed certificate for localhost kept in tmp_path/state, optionally a plain
    listener, domains [localhost], the access log in tmp_path/NAME-access.log and a short drain. `overrides` are merged into that dict (a None
    value removes a key). `config_text` replaces it entirely: YAML in which $https_port,
    $http_port, $upstream, $access_log and $tmp are substituted (so that a test controls lines).
    """
    started = []

    def start(upstream_url=None, https=True, http=False, config_text=None, ports=None,
              name="rampart", **overrides):
        https_port = free_port() if https else None
        http_port = free_port() if http else None
        access_log = tmp_path / f"{name}-access.log"
        listen = []
        if https_port:
            listen.append(f"https://127.0.0.1:{https_port}")
        if http_port:
            listen.append(f"http://127.0.0.1:{http_port}")
        config = {
            "upstream": upstream_url or upstream.url,
            "listen": listen,
            "domains": ["localhost"],
            "tls": {"self_signed": True, "state_dir": str(tmp_path / "state")},
            "threads": 2,
            "timeouts": {"drain": "5s"},
            "guards": {
                "access_log": {"path": str(access_log)},
            },
        }
        config = deep_merge(config, overrides)
        config_path = tmp_path / f"{name}.yaml"
        if config_text is not None:
            config_path.write_text(string.Template(config_text).safe_substitute(
                https_port=https_port, http_port=http_port, upstream=config["upstream"],
                access_log=access_log, tmp=tmp_path))
        else:
            config_path.write_text(yaml.safe_dump(config, sort_keys=False))
        argv = [rampart_bin, "serve", "--config", config_path]
        process = ManagedProcess(name, argv, tmp_path,
                                 env={"XDG_STATE_HOME": str(tmp_path / "xdg")})
        started.append(process)
        for port in (ports if ports is not None else [p for p in (https_port, http_port) if p]):
            process.wait_for_port(port)
        return Rampart(process, config_path, config, https_port, http_port, access_log)

    yield start
    for p in started:
        p.stop()
