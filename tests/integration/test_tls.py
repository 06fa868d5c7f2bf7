"""TLS as a client meets it: a certificate per name chosen by SNI, TLS 1.2 and 1.3 only, ALPN
http/1.1, a self-signed certificate made and kept for a local name, and the plain listener's
redirect to HTTPS."""

import socket
import ssl

import pytest
import requests

from helpers import (RawConnection, client_tls_context, connect, make_self_signed,
                     peer_certificate_names, request_bytes)


@pytest.fixture
def two_names(tmp_path, start_rampart):
    certs = tmp_path / "certs"
    a_cert, a_key = make_self_signed(certs, "a.test")
    b_cert, b_key = make_self_signed(certs, "b.test")
    rp = start_rampart(domains=["a.test", "b.test"],
                       tls={"certificates": [{"cert": str(a_cert), "key": str(a_key)},
                                             {"cert": str(b_cert), "key": str(b_key)}],
                            "self_signed": False})
    return rp, {"a.test": a_cert, "b.test": b_cert}


@pytest.mark.parametrize("name", ["a.test", "b.test"])
def test_sni_chooses_the_certificate(two_names, name):
    rp, certs = two_names
    # Verified against that name's own certificate: the chain and the host name must match.
    with RawConnection(rp.https_port, tls=True, server_hostname=name, cafile=certs[name]) as c:
        assert peer_certificate_names(c.sock) == [name]
        c.send(request_bytes("GET", "/healthz", f"{name}:{rp.https_port}"))
        resp = c.read_response()
        assert resp.status == 200
        assert resp.body == b"ok\n"


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1:DeprecationWarning")
def test_tls_versions_and_alpn(start_rampart):
    rp = start_rampart()
    for version, expected in [(ssl.TLSVersion.TLSv1_2, "TLSv1.2"),
                              (ssl.TLSVersion.TLSv1_3, "TLSv1.3")]:
        ctx = client_tls_context(alpn=["h2", "http/1.1"])
        ctx.minimum_version = ctx.maximum_version = version
        with socket.create_connection(("127.0.0.1", rp.https_port), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname="localhost") as s:
                assert s.version() == expected
                assert s.selected_alpn_protocol() == "http/1.1"
    # TLS 1.1 and older are refused (the client is allowed to offer them here).
    ctx = client_tls_context()
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    ctx.maximum_version = ssl.TLSVersion.TLSv1_1

    with socket.create_connection(("127.0.0.1", rp.https_port), timeout=10) as raw:
        with pytest.raises(ssl.SSLError):
            ctx.wrap_socket(raw, server_hostname="localhost")


def _handshake(port, ciphers):
    ctx = client_tls_context()
    ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers(ciphers)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            return s.cipher()[0]


def test_tls12_ciphers_are_mozilla_intermediate(start_rampart):
    """AEAD suites with forward secrecy are offered; CBC, static-RSA key exchange are not."""
    rp = start_rampart()
    aead = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"
    assert _handshake(rp.https_port, aead) in aead.split(":")
    for weak in ("ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA",
                 "ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384",
                 "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA"):
        with pytest.raises(ssl.SSLError):
            _handshake(rp.https_port, weak)


def test_self_signed_certificate_made_and_kept(tmp_path, start_rampart):
    rp = start_rampart(name="first")
    with connect(rp.https_port, tls=True, server_hostname="localhost") as s:
        assert peer_certificate_names(s) == ["localhost"]
        first = s.getpeercert(binary_form=True)
    assert "self-signed" in rp.stderr().lower(), rp.stderr()
    kept = rp.kept_certificates()
    assert kept, "no certificate was kept in tls.state_dir"
    # The certificate served is the one kept: a client that trusts that file verifies the name.
    assert any(_verifies(rp.https_port, cert) for cert in kept), kept
    rp.process.stop()
    again = start_rampart(name="second")
    with connect(again.https_port, tls=True, server_hostname="localhost") as s:
        assert s.getpeercert(binary_form=True) == first, "the certificate was not kept"


def _verifies(port, cafile):
    try:
        with connect(port, tls=True, server_hostname="localhost", cafile=cafile):
            return True
    except ssl.SSLCertVerificationError:
        return False


@pytest.fixture
def with_redirect(start_rampart):
    return start_rampart(https=True, http=True)


def test_http_redirects_to_https_with_308(with_redirect):
    rp = with_redirect
    for method in ("GET", "POST", "HEAD"):
        r = requests.request(method, f"{rp.http_url}/account?x=1&y=%20", allow_redirects=False,
                             timeout=15)
        assert r.status_code == 308, method
        assert r.headers["Location"] == f"https://localhost:{rp.https_port}/account?x=1&y=%20"
    # Following it lands on the application.
    r = requests.get(f"{rp.http_url}/healthz", verify=False, timeout=15)
    assert r.status_code == 200
    assert r.url == f"https://localhost:{rp.https_port}/healthz"
    assert r.history[0].status_code == 308


def test_acme_challenge_not_redirected(with_redirect):
    rp = with_redirect
    with RawConnection(rp.http_port) as c:
        c.send(request_bytes("GET", "/.well-known/acme-challenge/some-token",
                             f"localhost:{rp.http_port}"))
        resp = c.read_response()
    assert resp.status != 308
    assert resp.header("Location") is None
