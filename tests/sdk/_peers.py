"""The emulators Customer.io's official SDKs are tested against: a pair per transport.

``main`` logs its requests, so what the SDKs send, their divergences from the spec included
(src/cio_toolkit/specs/DIVERGENCES.md), joins the suite's conformance check
(tests/_conformance.py). ``refused`` is kept out of that log, for the error scenarios that send
on purpose what the spec refuses. Rate limits are off: these tests are about what the SDKs send
and read, not about budgets.

Over TLS each emulator serves a certificate of its own CA; ``ca_bundle`` holds both CAs, so one
trust variable covers the pair, as one ``cio emulator --tls`` needs one.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cio_toolkit import CustomerIO
from cio_toolkit._tls import TRUST_ENV
from cio_toolkit.app import AppClient
from cio_toolkit.emulator import Emulator

__all__ = ["AppReader", "Peers", "open_peers", "requests_trust", "verify"]


@dataclass(frozen=True)
class Peers:
    """The logged emulator and the one for refused requests, of one transport, and the CA bundle trusting both."""

    main: Emulator
    refused: Emulator
    ca_bundle: Path | None

    @property
    def transport(self) -> str:
        """``"tls"`` or ``"http"``."""
        return "tls" if self.ca_bundle else "http"

    def pick(self, *, refused: bool) -> Emulator:
        """The unlogged emulator for requests refused on purpose, else the logged one."""
        return self.refused if refused else self.main

    def trust_env(self) -> dict[str, str]:
        """The variables that make this toolkit, requests, OpenSSL clients and Node.js trust both CAs."""
        return dict.fromkeys(TRUST_ENV, str(self.ca_bundle)) if self.ca_bundle else {}


def verify(emu: Emulator) -> ssl.SSLContext | bool:
    """What httpx needs to trust ``emu``: its CA over TLS, the default otherwise."""
    return ssl.create_default_context(cafile=emu.tls.ca_file) if emu.tls else True


def _emulator(tls: bool, *, log: bool | None) -> Emulator:
    return Emulator(tls=tls, seed="demo", rate_limits=False, log=log)


@contextmanager
def open_peers(folder: Path, *, tls: bool) -> Iterator[Peers]:
    """Start the pair (seeded with the demo workspace) for one transport; ``folder`` gets the CA bundle."""
    with _emulator(tls, log=None) as main, _emulator(tls, log=False) as refused:
        bundle = None
        if main.tls is not None and refused.tls is not None:
            bundle = folder / "sdk-ca-bundle.pem"
            bundle.write_bytes(main.tls.ca_file.read_bytes() + refused.tls.ca_file.read_bytes())
        yield Peers(main, refused, bundle)


@contextmanager
def requests_trust(peers: Peers) -> Iterator[None]:
    """Make ``requests`` (both Python SDKs' HTTP library) trust the pair's CAs while inside.

    ``REQUESTS_CA_BUNDLE`` is read on every request, so setting it is all an unchanged SDK needs.
    """
    before = os.environ.get("REQUESTS_CA_BUNDLE")
    if peers.ca_bundle is not None:
        os.environ["REQUESTS_CA_BUNDLE"] = str(peers.ca_bundle)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("REQUESTS_CA_BUNDLE", None)
        else:
            os.environ["REQUESTS_CA_BUNDLE"] = before


class AppReader:
    """Our App client per emulator, made once: how every scenario reads back what it sent."""

    def __init__(self) -> None:
        self._clients: dict[int, CustomerIO] = {}

    def __call__(self, emu: Emulator) -> AppClient:
        """The App client of ``emu``."""
        client = self._clients.get(id(emu))
        if client is None:
            client = self._clients[id(emu)] = CustomerIO(**emu.settings())
        return client.app

    def close(self) -> None:
        """Close every client made."""
        for client in self._clients.values():
            client.close()
        self._clients.clear()
