"""HTTPS from cio_toolkit._http_server.make_server with a certificate made by cio_toolkit._tls.

A real server on a loopback port, real TLS handshakes: trusted through the generated CA file,
refused without it.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cryptography import x509

from cio_toolkit import ValidationError
from cio_toolkit._http_server import bind_socket, make_server
from cio_toolkit._tls import TRUST_ENV, TLSFiles, generate_tls


async def _app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    assert scope["type"] == "http"
    body = f"{scope['scheme']} {scope['path']}".encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body})


@contextmanager
def _serve(files: TLSFiles, host: str = "127.0.0.1") -> Iterator[int]:
    sock = bind_socket(host, 0)
    port = sock.getsockname()[1]
    server = make_server(_app, certfile=files.cert_file, keyfile=files.key_file)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.005)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    return generate_tls(tmp_path_factory.mktemp("tls"), hosts=["emulator.test"])


def test_https_answer_verified_against_the_generated_ca(tls: TLSFiles) -> None:
    with _serve(tls) as port:
        r = httpx2.get(
            f"https://127.0.0.1:{port}/hello", verify=ssl.create_default_context(cafile=tls.ca_file)
        )
        assert r.status_code == 200
        assert r.text == "https /hello"
        # The same certificate is valid for the name "localhost".
        r = httpx2.get(f"https://localhost:{port}/x", verify=ssl.create_default_context(cafile=tls.ca_file))
        assert r.text == "https /x"


def test_https_refused_without_the_ca(tls: TLSFiles) -> None:
    with _serve(tls) as port:
        with pytest.raises(httpx2.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx2.get(f"https://127.0.0.1:{port}/hello")


def test_plain_http_is_not_served_on_a_tls_port(tls: TLSFiles) -> None:
    with _serve(tls) as port:
        with pytest.raises(httpx2.HTTPError):
            httpx2.get(f"http://127.0.0.1:{port}/hello", timeout=5)


def test_ipv6_loopback_is_in_the_certificate(tls: TLSFiles) -> None:
    try:
        bind_socket("::1", 0).close()
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    with _serve(tls, host="::1") as port:
        r = httpx2.get(f"https://[::1]:{port}/six", verify=ssl.create_default_context(cafile=tls.ca_file))
        assert r.text == "https /six"


def test_certificate_names_files_and_trust_variables(tls: TLSFiles) -> None:
    cert = x509.load_pem_x509_certificate(tls.cert_file.read_bytes())
    alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {str(ip) for ip in alt.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "::1"}
    assert set(alt.get_values_for_type(x509.DNSName)) == {"localhost", "emulator.test"}
    assert tls.names == ("127.0.0.1", "::1", "localhost", "emulator.test")
    assert tls.key_file.stat().st_mode & 0o077 == 0  # the private key is for its owner only
    assert tls.env() == dict.fromkeys(TRUST_ENV, str(tls.ca_file))
    assert set(TRUST_ENV) == {"CIO_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS"}


def test_each_call_makes_a_new_authority(tmp_path: Path) -> None:
    first = generate_tls(tmp_path / "a").ca_file.read_bytes()
    second = generate_tls(tmp_path / "b").ca_file.read_bytes()
    assert first != second


def test_certfile_without_keyfile_is_refused(tls: TLSFiles) -> None:
    with pytest.raises(ValidationError) as info:
        make_server(_app, certfile=tls.cert_file)
    assert info.value.field == "keyfile"
