"""The jwt guard with the real binary and the example app: RS256 tokens made with pyjwt, verified
against a JWK Set that a small HTTP server of this test serves on 127.0.0.1. A good token reaches
the app with X-Auth-Subject; tampered, expired, unsigned and algorithm-confusion tokens get 401
with WWW-Authenticate and an event; a client never forges X-Auth-Subject; rotated keys are found
by the re-fetch that an unknown kid triggers (the request waits for it), at most once per
interval.
"""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from helpers import wait_until

REALM = 'Bearer realm="rampart"'
INVALID = 'Bearer realm="rampart", error="invalid_token", error_description='


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwk(key, kid):
    d = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    d.update(kid=kid, use="sig", alg="RS256")
    return d


class JwksServer:
    """Serves a JWK Set that the test can change, counting the fetches."""

    def __init__(self, keys, cache_control=None):
        self.jwks = {"keys": keys}
        self.cache_control = cache_control
        self.fetches = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = json.dumps(server.jwks).encode()
                server.fetches += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                if server.cache_control:
                    self.send_header("Cache-Control", server.cache_control)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/.well-known/jwks.json"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def key1():
    return new_key()


@pytest.fixture(scope="module")
def key2():
    return new_key()


@pytest.fixture
def jwks(key1):
    s = JwksServer([jwk(key1, "k1")])
    yield s
    s.close()


def start(start_rampart, url, **jwt_settings):
    """rampart with the jwt guard on for /echo/api (and off elsewhere)."""
    settings = {"enabled": False, "jwks_url": url, "issuer": "https://id.example",
                "audience": "my-api"}
    settings.update(jwt_settings)
    return start_rampart(guards={"jwt": settings},
                         routes=[{"path": "/echo/api", "guards": {"jwt": True}}])


def claims(**over):
    now = int(time.time())
    c = {"sub": "alice", "iss": "https://id.example", "aud": "my-api", "iat": now,
         "exp": now + 300}
    c.update(over)
    return {k: v for k, v in c.items() if v is not None}


def token(key, kid="k1", **over):
    return jwt.encode(claims(**over), key, algorithm="RS256", headers={"kid": kid})


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def bearer(t):
    return {"Authorization": f"Bearer {t}"}


def jwt_events(entry):
    return [e for e in entry.get("rampart.events", []) if e["guard"] == "jwt"]


def test_a_good_rs256_token_reaches_the_app_with_its_subject(start_rampart, jwks, key1):
    rp = start(start_rampart, jwks.url)
    r = rp.get("/echo/api/items", headers={**bearer(token(key1)), "X-Auth-Subject": "root",
                                           "X_Auth_Subject": "root"})
    assert r.status_code == 200, r.text
    seen = r.json()["headers"]
    assert seen["X-Auth-Subject"] == "alice"
    assert seen["Authorization"].startswith("Bearer ")
    assert jwks.fetches == 1


def test_a_client_never_forges_x_auth_subject(start_rampart, jwks):
    rp = start(start_rampart, jwks.url)
    # Where the guard is off, and where it is on but the token is optional and absent.
    r = rp.get("/echo/other", headers={"X-Auth-Subject": "root", "X_Auth_Subject": "root",
                                       "x-auth-subject": "root"})
    assert r.status_code == 200
    assert "X-Auth-Subject" not in r.json()["headers"]
    rp2 = start_rampart(name="optional",
                        guards={"jwt": {"jwks_url": jwks.url, "token": "optional"}})
    r = rp2.get("/echo", headers={"X-Auth-Subject": "root"})
    assert r.status_code == 200
    assert "X-Auth-Subject" not in r.json()["headers"]


def test_no_token_gets_the_bearer_challenge(start_rampart, jwks):
    rp = start(start_rampart, jwks.url)
    r = rp.get("/echo/api/items")
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == REALM
    assert r.json() == {"error": "unauthorized", "error_description": "a bearer token is required"}
    entry = rp.wait_for_log_entry(lambda e: e["http.response.status_code"] == 401)
    assert [(e["rule"], e["action"]) for e in jwt_events(entry)] == [("jwt_missing", "blocked")]


def confusion_token(key):
    """HS256 signed with the bytes of the RSA public key's PEM (the public key is public)."""
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "k1"}).encode())
    body = b64(json.dumps(claims(sub="admin")).encode())
    sig = hmac.new(pem, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(sig)}"


def tampered_token(key):
    head, _, sig = token(key).split(".")
    body = b64(json.dumps(claims(sub="admin")).encode())
    return f"{head}.{body}.{sig}"


def none_token():
    head = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{head}.{b64(json.dumps(claims(sub='admin')).encode())}."


@pytest.mark.parametrize("what,make,rule,description", [
    ("tampered", tampered_token, "jwt_bad_signature", "the signature does not verify"),
    ("expired", lambda k: token(k, exp=int(time.time()) - 3600), "jwt_expired", None),
    ("alg none", lambda k: none_token(), "jwt_alg_none",
     "unsigned tokens (alg 'none') are never accepted"),
    ("confusion", confusion_token, "jwt_key_mismatch",
     "no oct key for a token signed with HS256"),
    ("other audience", lambda k: token(k, aud="other"), "jwt_bad_audience",
     "the token is not meant for this audience"),
    ("other issuer", lambda k: token(k, iss="https://evil.example"), "jwt_bad_issuer",
     "the issuer is not accepted"),
    ("not base64", lambda k: b64(b'{"alg":"RS256"}') + ".b!.c", "jwt_bad_base64", "the payload is not base64url"),
    ("huge", lambda k: "a" * 9000, "jwt_too_large", "the token is longer than 8192 bytes"),
    ("two segments", lambda k: "a.b", "jwt_malformed", "the token has 2 segments, not 3"),
    ("array claims", lambda k: b64(b'{"alg":"RS256"}') + "." + b64(b"[1]") + ".AA",
     "jwt_bad_json", "the claims set is not a JSON object"),
])
def test_bad_tokens_are_refused(start_rampart, upstream, jwks, key1, what, make, rule,
                                description):
    rp = start(start_rampart, jwks.url)
    r = rp.get("/echo/api/items", headers={**bearer(make(key1)), "X-Auth-Subject": "root"})
    assert r.status_code == 401, (what, r.text)
    challenge = r.headers["WWW-Authenticate"]
    assert challenge.startswith(INVALID), challenge
    if description:
        assert challenge == f'{INVALID}"{description}"'
        assert r.json() == {"error": "invalid_token", "error_description": description}
    assert "alice" not in r.text and "admin" not in r.text
    entry = rp.wait_for_log_entry(lambda e: e["http.response.status_code"] == 401)
    events = jwt_events(entry)
    assert [(e["rule"], e["action"], e["part"]) for e in events] == \
        [(rule, "blocked", "request.header.Authorization")]
    assert rp.alive()


def test_rotated_keys_are_found_by_a_refetch(start_rampart, jwks, key1, key2):
    rp = start(start_rampart, jwks.url, jwks_refetch_interval="1s")
    assert rp.get("/echo/api/x", headers=bearer(token(key1))).status_code == 200
    assert jwks.fetches == 1
    jwks.jwks = {"keys": [jwk(key2, "k2")]}
    time.sleep(1.2)  # the start-up fetch is now older than the refetch interval
    # The first request with the new kid triggers the re-fetch and waits for it.
    r = rp.get("/echo/api/x", headers=bearer(token(key2, kid="k2")))
    assert r.status_code == 200, r.text
    assert r.json()["headers"]["X-Auth-Subject"] == "alice"
    assert jwks.fetches == 2
    # The old key is gone from the set (and its miss, within the interval, fetches nothing).
    r = rp.get("/echo/api/x", headers=bearer(token(key1)))
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == \
        f'{INVALID}"no key has the token\'s key id"'
    assert jwks.fetches == 2


def test_unknown_kids_refetch_at_most_once_per_interval(start_rampart, jwks, key2):
    rp = start(start_rampart, jwks.url, jwks_refetch_interval="1h")
    for _ in range(20):
        r = rp.get("/echo/api/x", headers=bearer(token(key2, kid=f"made-up")))
        assert r.status_code == 401
    # The start-up fetch, and none for the misses (the last fetch is younger than an hour).
    assert jwks.fetches == 1


def test_cache_control_max_age_drives_the_refresh(start_rampart, key1, key2):
    server = JwksServer([jwk(key1, "k1")], cache_control="public, max-age=1")
    try:
        rp = start(start_rampart, server.url, jwks_refetch_interval="1h", jwks_refresh_min="1s")
        server.jwks = {"keys": [jwk(key1, "k1"), jwk(key2, "k2")]}
        # No refetch for misses within the hour: the new key comes with the periodic refresh.
        wait_until(lambda: rp.get("/echo/api/x", headers=bearer(token(key2, kid="k2")))
                   .status_code == 200, what="the refresh after max-age")
        assert server.fetches >= 2
    finally:
        server.close()


def test_an_unreachable_jwks_url_is_a_warning_and_tokens_are_refused(start_rampart, key1):
    server = JwksServer([])
    url = server.url
    server.close()  # nothing listens there now
    rp = start(start_rampart, url)
    rp.wait_for_stderr("jwt: the JWK Set at " + url + " could not be fetched at start-up")
    r = rp.get("/echo/api/x", headers=bearer(token(key1)))
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == \
        f'{INVALID}"the signing keys could not be fetched yet"'


def test_a_verified_token_exempts_a_cross_site_post_from_csrf(start_rampart, jwks, key1):
    rp = start(start_rampart, jwks.url)
    cross_site = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    r = rp.post("/echo/api/x", data=b"a=1", headers={**cross_site, **bearer(token(key1))})
    assert r.status_code == 200, r.text
    assert r.json()["headers"]["X-Auth-Subject"] == "alice"
    # Without the guard's verification (a route where it is off), the same POST is refused.
    r = rp.post("/echo/other", data=b"a=1", headers={**cross_site, **bearer(token(key1))})
    assert r.status_code == 403
