"""A throwaway certificate authority and server certificate, made at start, for local HTTPS.

Some official clients only speak HTTPS (the Python Track client, ``customerio-node``), so a local
server they can be pointed at has to serve TLS with a certificate they trust. :func:`generate_tls`
makes a fresh CA and a certificate for loopback (``127.0.0.1``, ``::1``, ``localhost``) plus any
extra names, writes them to a folder and tells which environment variables make clients trust
the CA (:meth:`TLSFiles.env`). Nothing is reused between runs: the CA key never leaves memory.

ECDSA P-256 keys: generated in about a millisecond, and accepted by OpenSSL, Python's ``ssl``
and Node.js alike.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["LOOPBACK_NAMES", "TRUST_ENV", "TLSFiles", "generate_tls"]

LOOPBACK_NAMES = ("127.0.0.1", "::1", "localhost")
# Variables that make clients trust a CA file: this toolkit, requests, OpenSSL-based clients (Python's ssl,
# httpx, curl) and Node.js. SSL_CERT_FILE replaces the default trust store rather than adding
# to it, so set it only for processes that talk to the local server alone.
TRUST_ENV = ("CIO_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS")

_CA_FILE = "ca.pem"
_CERT_FILE = "server.pem"
_KEY_FILE = "server-key.pem"
# Long enough for any test run or demo session; short enough that a leaked file soon expires.
_VALIDITY = dt.timedelta(days=30)
# Clocks of containers and VMs drift; a certificate "not yet valid" by a minute fails a handshake.
_BACKDATE = dt.timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class TLSFiles:
    """Paths of a generated CA certificate and of the server certificate and key it signed."""

    ca_file: Path
    cert_file: Path
    key_file: Path
    names: tuple[str, ...]

    def env(self) -> dict[str, str]:
        """Environment variables that make this toolkit, requests, OpenSSL clients and Node.js trust the CA."""
        return dict.fromkeys(TRUST_ENV, str(self.ca_file))


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "cio_toolkit local test CA"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _alt_names(names: Iterable[str]) -> list[x509.GeneralName]:
    out: list[x509.GeneralName] = []
    for name in names:
        try:
            out.append(x509.IPAddress(ipaddress.ip_address(name.strip("[]"))))
        except ValueError:
            out.append(x509.DNSName(name))
    return out


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    # A CA signs certificates; the server key only signs its TLS handshakes (ECDHE, no encipherment).
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _write(path: Path, data: bytes, mode: int) -> None:
    # Created with its final mode, so a private key is never readable by others, even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, mode)  # O_CREAT's mode does not apply to a file that already existed


def generate_tls(folder: str | os.PathLike[str], hosts: Iterable[str] = ()) -> TLSFiles:
    """Make a new CA and a server certificate for loopback plus ``hosts``; write them to ``folder``.

    Returns the paths (``ca.pem``, ``server.pem``, ``server-key.pem``, replaced if present).
    """
    names = tuple(dict.fromkeys((*LOOPBACK_NAMES, *(h for h in hosts if h))))
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("cio_toolkit local CA")
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("cio_toolkit local server"))  # clients match the alt names, not this
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(_alt_names(names)), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        # Python 3.13's default context (VERIFY_X509_STRICT) refuses a leaf without it.
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    files = TLSFiles(out / _CA_FILE, out / _CERT_FILE, out / _KEY_FILE, names)
    _write(files.ca_file, ca_cert.public_bytes(serialization.Encoding.PEM), 0o644)
    _write(files.cert_file, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write(files.key_file, key_pem, 0o600)
    return files
