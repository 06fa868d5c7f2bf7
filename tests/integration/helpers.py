"""Helpers for the integration tests: ports, processes, raw HTTP over sockets, TLS, /proc.

Everything talks to 127.0.0.1 only. Raw sockets are used where a client library would fix up
or refuse what the test must send (smuggling attempts, malformed heads, half-sent heads).
"""

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
APP_DIR = REPO_ROOT / "examples" / "flask-app"
sys.path.insert(0, str(APP_DIR))
from payload import download_chunks  # noqa: E402,F401  (the bytes /download sends)
PYTHON = "/usr/bin/python3"

# How long a test waits for something that should happen promptly (a process listening, a log
# line). Waits poll and return as soon as the thing happens: this is a bound, not a measurement.
WAIT = 15.0


def free_port():
    """A TCP port free on 127.0.0.1 right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(predicate, timeout=WAIT, interval=0.05, what="condition"):
    """Polls predicate() until it returns a true value, which is returned; fails after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class ManagedProcess:
    """A child process whose stdout and stderr go to files, stopped with SIGTERM then SIGKILL."""

    def __init__(self, name, argv, log_dir, env=None, cwd=None):
        self.name = name
        self.argv = [str(a) for a in argv]
        log_dir = Path(log_dir)
        log_dir.mkdir(parents=True, exist_ok=True)
        self.stdout_path = log_dir / f"{name}.stdout"
        self.stderr_path = log_dir / f"{name}.stderr"
        full_env = dict(os.environ)
        full_env.update(env or {})
        with open(self.stdout_path, "ab") as out, open(self.stderr_path, "ab") as err:
            # A session of its own, so that a last-resort SIGKILL reaches its workers too.
            self.proc = subprocess.Popen(self.argv, stdout=out, stderr=err,
                                         stdin=subprocess.DEVNULL, env=full_env, cwd=cwd,
                                         start_new_session=True)
        self.pid = self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def stdout(self):
        return self.stdout_path.read_text(errors="replace")

    def stderr(self):
        return self.stderr_path.read_text(errors="replace")

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait_exit(self, timeout=WAIT):
        """The exit status; fails the test if the process is still running after timeout."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.name} (pid {self.pid}) still running after {timeout:.0f} s"
                                 f"\n--- its stderr ---\n{self.stderr()[-4000:]}") from None

    def stop(self, grace=10.0):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=grace)
        else:
            # The leader is gone; make sure none of its workers outlive it.
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def wait_for_port(self, port, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while not port_open(port):
            if not self.alive():
                raise AssertionError(
                    f"{self.name} exited with status {self.proc.returncode} before listening on "
                    f"port {port}\ncommand: {' '.join(self.argv)}\n--- its stderr ---\n"
                    f"{self.stderr()[-4000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} did not listen on port {port} within "
                                     f"{timeout:.0f} s\n--- its stderr ---\n"
                                     f"{self.stderr()[-4000:]}")
            time.sleep(0.05)


def proc_status_bytes(pid, key):
    """A size field of /proc/PID/status (VmRSS, VmHWM, ...) in bytes."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                parts = line.split()
                assert parts[2] == "kB", line
                return int(parts[1]) * 1024
    raise AssertionError(f"no {key} in /proc/{pid}/status")


def rss(pid):
    return proc_status_bytes(pid, "VmRSS")


def peak_rss(pid):
    """The resident set's high-water mark since the process started."""
    return proc_status_bytes(pid, "VmHWM")


# --- TLS ------------------------------------------------------------------------------------------

def client_tls_context(cafile=None, alpn=None):
    """Verification off unless cafile is given (then the name and chain are checked)."""
    if cafile:
        ctx = ssl.create_default_context(cafile=str(cafile))
    else:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


def connect(port, tls=False, server_hostname="localhost", cafile=None, timeout=10.0, alpn=None):
    """A connected socket to 127.0.0.1:port, wrapped in TLS (with SNI server_hostname) if tls."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    if tls:
        ctx = client_tls_context(cafile, alpn)
        sock = ctx.wrap_socket(sock, server_hostname=server_hostname)
    return sock


def peer_certificate_names(tls_sock):
    """The DNS names (SAN, else CN) of the certificate the server sent."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID
    der = tls_sock.getpeercert(binary_form=True)
    cert = x509.load_der_x509_certificate(der)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        return sorted(san.value.get_values_for_type(x509.DNSName))
    except x509.ExtensionNotFound:
        return [a.value for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]


# --- raw HTTP/1.1 ---------------------------------------------------------------------------------

@dataclass
class RawResponse:
    status: int
    reason: str
    version: str
    headers: list = field(default_factory=list)  # [(name, value)] in order, names as sent
    body: bytes = b""
    chunked: bool = False

    def header(self, name, default=None):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return default

    def header_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def json(self):
        return json.loads(self.body)


class ConnectionClosed(Exception):
    pass


class RawConnection:
    """A client connection that writes bytes as given and parses what comes back."""

    def __init__(self, port, tls=False, server_hostname="localhost", cafile=None, timeout=10.0):
        self.sock = connect(port, tls, server_hostname, cafile, timeout)
        self.buf = b""
        self.current = None

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("latin-1")
        self.sock.sendall(data)

    def _fill(self):
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            raise ConnectionClosed("the server closed the connection")
        self.buf += chunk

    def _read_line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _read_exact(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def read_response(self, method="GET"):
        """Reads one response (skipping 100 Continue); raises ConnectionClosed if none comes."""
        while True:
            while b"\r\n\r\n" not in self.buf:
                self._fill()
            head, self.buf = self.buf.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            version, _, rest = lines[0].partition(" ")
            code, _, reason = rest.partition(" ")
            headers = []
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers.append((name, value.strip()))
            resp = RawResponse(int(code), reason, version, headers)
            if resp.status == 100:
                continue
            break
        self.current = resp  # the head, for a caller whose body read ends in ConnectionClosed
        te = (resp.header("Transfer-Encoding") or "").lower()
        cl = resp.header("Content-Length")
        if method == "HEAD" or resp.status in (204, 304) or 100 <= resp.status < 200:
            return resp
        if "chunked" in te:
            resp.chunked = True
            body = b""
            while True:
                size = int(self._read_line().split(b";")[0], 16)
                if size == 0:
                    while self._read_line():  # trailers
                        pass
                    break
                body += self._read_exact(size)
                self._read_exact(2)
            resp.body = body
        elif cl is not None:
            resp.body = self._read_exact(int(cl))
        else:
            body = self.buf
            self.buf = b""
            while True:
                try:
                    chunk = self.sock.recv(65536)
                except ConnectionResetError:
                    chunk = b""
                if not chunk:
                    break
                body += chunk
            resp.body = body
        return resp

    def closed_by_peer(self, timeout=WAIT):
        """True when the server closes the connection (EOF or reset) within timeout, having sent
        nothing more; False if it stays open that long. Fails if it sends more bytes."""
        if self.buf:
            raise AssertionError(f"unexpected bytes after the response: {self.buf[:200]!r}")
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError):
            return True
        except ssl.SSLError:
            return True
        if data:
            raise AssertionError(f"unexpected bytes after the response: {data[:200]!r}")
        return True


def raw_exchange(port, data, tls=False, server_hostname="localhost", method="GET", timeout=10.0):
    """Sends data on a new connection and reads one response; returns (response, closed_after)."""
    with RawConnection(port, tls, server_hostname, timeout=timeout) as c:
        c.send(data)
        resp = c.read_response(method)
        return resp, c.closed_by_peer()


def request_bytes(method, target, host, headers=(), body=b""):
    """A well-formed request head (plus body) from parts, for tests that then alter one thing."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v}" for k, v in headers]
    head = "\r\n".join(lines) + "\r\n\r\n"
    return head.encode("latin-1") + body


# --- certificates ---------------------------------------------------------------------------------

def make_self_signed(directory, name, days=30):
    """Writes NAME.pem and NAME-key.pem (EC P-256, SAN DNS:NAME) into directory; returns paths."""
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=days))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    cert_path = directory / f"{name}.pem"
    key_path = directory / f"{name}-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


# --- access log -----------------------------------------------------------------------------------

def ecs_get(doc, dotted):
    """An ECS field from a log document, whether written flat ("client.ip") or nested."""
    if dotted in doc:
        return doc[dotted]
    node = doc
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(dotted)
        node = node[part]
    return node


def ecs_has(doc, dotted):
    try:
        ecs_get(doc, dotted)
        return True
    except KeyError:
        return False


def parse_forwarded(value):
    """RFC 7239 Forwarded header -> list of dicts (one per element), quotes removed."""
    elements = []
    for element in value.split(","):
        pairs = {}
        for pair in element.split(";"):
            if not pair.strip():
                continue
            k, _, v = pair.strip().partition("=")
            v = v.strip()
            if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
                v = v[1:-1].replace('\\"', '"')
            pairs[k.strip().lower()] = v
        elements.append(pairs)
    return elements
