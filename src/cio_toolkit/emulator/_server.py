"""Run the emulator: in a background thread (tests, notebooks) or in the foreground (CLI)."""

from __future__ import annotations

import asyncio
import http.client
import os
import ssl
import tempfile
import threading
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any, Unpack

import uvicorn

from cio_toolkit._http_server import LimitedHttpProtocol, ServerLimits, bind_socket
from cio_toolkit._http_server import make_server as _shared_make_server
from cio_toolkit._tls import TLSFiles, generate_tls

from ._config import KEY_ENV, EmulatorConfig, EmulatorKeys, EmulatorOptions
from ._faults import Faults
from .app import TRANSPORT_STATE_KEY, create_app
from .models import Store
from .services.scheduler import move_clock
from .state import EmulatorState

__all__ = ["Emulator", "bind_socket", "make_server"]

_START_TIMEOUT = 15.0
_STOP_TIMEOUT = 5.0


def _protocol_class() -> type[LimitedHttpProtocol]:
    """The shared limited HTTP/1.1 protocol, plus the connection's transport in each request's scope.

    That transport is what lets a "dropped connection" fault close the socket with no HTTP
    answer at all: an ASGI app alone can only make uvicorn send a 500.
    """

    class DroppableHTTPProtocol(LimitedHttpProtocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            self.app_state = {**self.app_state, TRANSPORT_STATE_KEY: transport}
            super().connection_made(transport)

    return DroppableHTTPProtocol


def make_server(app: Any, limits: ServerLimits | None = None, tls: TLSFiles | None = None) -> uvicorn.Server:
    """A quiet uvicorn server for ``app`` that supports dropped-connection faults and runs its startup.

    With ``tls`` it serves HTTPS only, with that certificate.
    """
    return _shared_make_server(
        app,
        limits,
        protocol=_protocol_class(),
        lifespan="auto",  # the emulator app's startup runs its on_serving hooks (webhook queues resume)
        graceful_shutdown=1,
        certfile=tls.cert_file if tls else None,
        keyfile=tls.key_file if tls else None,
    )


def tls_files(tls: bool | str | os.PathLike[str], hosts: Sequence[str]) -> tuple[TLSFiles | None, Any]:
    """The certificate files for ``tls`` (True: a private temporary folder, a path: that folder).

    Returns the files and what keeps a temporary folder alive (None otherwise).
    """
    if tls is False:
        return None, None
    if tls is True:
        folder = tempfile.TemporaryDirectory(prefix="cio-emulator-tls-")
        return generate_tls(folder.name, hosts=hosts), folder
    return generate_tls(tls, hosts=hosts), None


class Emulator:
    """A local Customer.io emulator on a free loopback port, run in a background thread.

    ``with Emulator() as emu:`` starts it and waits until it answers; ``emu.settings()`` gives
    the client keyword arguments and ``emu.env()`` the same as CIO_* variables.

    ``tls=True`` serves HTTPS with a certificate made at start by a new local CA (``tls=PATH``
    writes the files to that folder); ``emu.tls.ca_file`` is the CA to trust, and ``emu.env()``
    then includes ``REQUESTS_CA_BUNDLE``, ``SSL_CERT_FILE`` and ``NODE_EXTRA_CA_CERTS``, so clients
    that only speak HTTPS (the official ``customerio`` and ``customerio-node`` packages) work by
    their base URL alone.

    Bounds: ``history_bytes`` (None: CIO_EMULATOR_HISTORY_BYTES, else 64 MiB) caps the request
    history kept in memory, ``log_body_bytes`` (None: CIO_EMULATOR_LOG_BODY_BYTES, else 512,000)
    the part of a body kept in a log entry; ``server_limits`` (a
    :class:`~cio_toolkit.emulator.ServerLimits`) sets the connection limits and timeouts of the
    HTTP server. ``hosts`` are extra names the admin endpoints accept in Host, besides loopback
    names and ``host`` itself.
    """

    def __init__(
        self,
        *,
        db: str | os.PathLike[str] = ":memory:",
        host: str = "127.0.0.1",
        port: int = 0,
        server_limits: ServerLimits | None = None,
        hosts: Sequence[str] = (),
        tls: bool | str | os.PathLike[str] = False,
        **options: Unpack[EmulatorOptions],
    ) -> None:
        """``options``: keys, region, strict, log, log_bodies, seed, rate_limits, validate_responses,
        faults, history_bytes, log_body_bytes, as :class:`~cio_toolkit.emulator.EmulatorOptions`."""
        self.server_limits = ServerLimits() if server_limits is None else server_limits
        # Admin endpoints accept the name it was asked to listen on, as the CLI does.
        self.config = EmulatorConfig.create(db=os.fspath(db), hosts=tuple(dict.fromkeys((host, *hosts))), **options)
        self.host = host
        self.port = port
        self.tls, self._tls_folder = tls_files(tls, self.config.hosts)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._state: EmulatorState | None = None
        self._error: BaseException | None = None

    def __repr__(self) -> str:
        where = self.url if self.running else "stopped"
        return f"Emulator({where}, db={self.config.db!r}, strict={self.config.strict})"

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> Emulator:
        """Start serving and return once the emulator answers (idempotent)."""
        if self.running:
            return self
        app = create_app(self.config, store=self._state.store if self._state else None)
        self._state = app.state.emulator
        sock = bind_socket(self.host, self.port)
        self.port = sock.getsockname()[1]
        server = make_server(app, self.server_limits, self.tls)
        self._server = server
        self._error = None

        def run() -> None:
            try:
                server.run(sockets=[sock])
            except BaseException as exc:  # surfaced by start() instead of dying silently
                self._error = exc
            finally:
                sock.close()

        self._thread = threading.Thread(target=run, name=f"cio-emulator-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the emulator did not start on {self.host}:{self.port}: {self._error!r}")
            time.sleep(0.005)
        self._wait_healthy(deadline)
        return self

    def _wait_healthy(self, deadline: float) -> None:
        while True:
            try:
                conn = (
                    http.client.HTTPSConnection(self.host, self.port, timeout=2,
                                                context=ssl.create_default_context(cafile=self.tls.ca_file))
                    if self.tls else http.client.HTTPConnection(self.host, self.port, timeout=2)
                )
                conn.request("GET", "/_emulator/health")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the emulator on {self.url} did not answer its health check")
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop serving; never blocks for more than a few seconds. The store stays readable."""
        server, thread = self._server, self._thread
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(_STOP_TIMEOUT)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(2.0)
        self._server = None
        self._thread = None
        if self._state is not None:
            self._state.log.close()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- access -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the server thread is serving."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def url(self) -> str:
        """Base URL of all four APIs, e.g. ``http://127.0.0.1:PORT`` (``https://`` with TLS)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    @property
    def keys(self) -> EmulatorKeys:
        """The credentials this emulator accepts."""
        return self.config.keys

    @property
    def state(self) -> EmulatorState:
        """The running app's shared state (store, faults, limits, log)."""
        if self._state is None:
            raise RuntimeError("the emulator has not been started")
        return self._state

    @property
    def store(self) -> Store:
        """The SQLite store, for inspection and seeding."""
        return self.state.store

    @property
    def faults(self) -> Faults:
        """Runtime fault control: ``emu.faults.update(error_rate=0.1)``, ``emu.faults.reset()``."""
        return self.state.faults

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Request-log entries kept in memory, oldest first."""
        return self.state.log.recent()

    def settings(self) -> dict[str, str]:
        """Keyword arguments for the client facade: base_url and every key."""
        k = self.keys
        return {
            "base_url": self.url,
            "pipelines_api_key": k.pipelines_api_key,
            "site_id": k.site_id,
            "track_api_key": k.track_api_key,
            "app_api_key": k.app_api_key,
            "webhook_signing_key": k.webhook_signing_key,
            **({"ca_bundle": str(self.tls.ca_file)} if self.tls else {}),
        }

    def env(self) -> dict[str, str]:
        """The same settings as CIO_* environment variables (and, with TLS, the CA to trust)."""
        out = {"CIO_BASE_URL": self.url}
        out.update({var: getattr(self.keys, name) for name, var in KEY_ENV.items()})
        if self.tls:
            out.update(self.tls.env())
        return out

    def reset(self) -> None:
        """Forget all data, faults, rate-limit usage and logged requests; the clock is real time again."""
        self.state.reset()

    def advance_clock(self, seconds: float = 0.0, *, to: float | None = None) -> dict[str, Any]:
        """Move the emulator's clock ``seconds`` ahead (or ``to`` a unix time) and run what fell due, such as
        scheduled sends, before returning ``{"now", "offset", "delivered"}`` (``POST /_emulator/clock``)."""
        return move_clock(self.state, advance=seconds, to=to)
