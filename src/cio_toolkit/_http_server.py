"""The HTTP server under the emulator and the webhook receiver: uvicorn with connection limits.

uvicorn closes idle keep-alive connections, but a connection that opens and never finishes its
request headers, or stops sending a body it announced, stays open forever; enough of them use up
the process's file descriptors and real deliveries are refused. :class:`LimitedHttpProtocol`
(uvicorn's httptools protocol, which both servers always use) adds the missing deadlines and a
cap on open connections; :func:`make_server` is the one place a server is configured.

What happens at each limit (:class:`ServerLimits`):

* request headers not complete ``header_timeout`` s after the connection opened or the previous
  response was sent: ``408`` (if part of a request arrived) and close;
* no body bytes for ``read_timeout`` s while a body is still expected: ``408`` (if no answer has
  started) and close; the time the server itself stops reading (flow control) does not count;
* idle for ``keep_alive`` s after a response: closed silently (uvicorn's keep-alive timer);
* a connection beyond ``max_connections`` open ones: ``503`` with ``Retry-After`` and close, at
  once, before anything is read, so the cap bounds file descriptors. A client whose request was
  already in the kernel's buffer may see a reset instead of the 503; either way it retries.
"""

from __future__ import annotations

import asyncio
import math
import os
import socket
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from cio_toolkit._exceptions import ValidationError

__all__ = ["LimitedHttpProtocol", "ServerLimits", "bind_socket", "default_max_connections", "make_server"]

_MAX_CONNECTIONS_CEILING = 4096
_LISTEN_BACKLOG = 2048


def default_max_connections() -> int:
    """Half the process's open-file limit, at most 4096 (the other half is for its own files)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 512
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return _MAX_CONNECTIONS_CEILING
    # Half, because a server often shares its process with clients (tests, notebooks), whose
    # sockets count against the same limit, and with its database and log files.
    return max(1, min(_MAX_CONNECTIONS_CEILING, soft // 2))


@dataclass(frozen=True, slots=True)
class ServerLimits:
    """Deadlines (seconds) for slow or idle connections, and the most connections kept open."""

    header_timeout: float = 30.0
    read_timeout: float = 30.0
    keep_alive: float = 5.0
    max_connections: int = field(default_factory=default_max_connections)

    def __post_init__(self) -> None:
        for name in ("header_timeout", "read_timeout", "keep_alive"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ValidationError(f"{name} must be a finite number of seconds", field=name, actual=value)
            if value <= 0:
                raise ValidationError(
                    f"{name} must be above 0 s, got {value}", field=name, limit=">0", actual=value
                )
        count = self.max_connections
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValidationError(
                f"max_connections must be a whole number of at least 1, got {count!r}",
                field="max_connections",
                limit=1,
                actual=count,
            )


_Phase = Literal["headers", "body", "app"]

_TOO_MANY = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: 21\r\n"
    b"retry-after: 1\r\n"
    b"connection: close\r\n\r\n"
    b"Too many connections."
)
_TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: 18\r\n"
    b"connection: close\r\n\r\n"
    b"Request timed out."
)


class LimitedHttpProtocol(HttpToolsProtocol):  # type: ignore[misc]
    """uvicorn's httptools protocol with header and body deadlines, a connection cap and TCP_NODELAY.

    :func:`make_server` sets ``limits`` on a subclass; subclass this to add behaviour.
    """

    limits: ClassVar[ServerLimits] = ServerLimits()

    # Per-connection state, as class defaults so uvicorn's constructor stays untouched.
    _phase: _Phase = "headers"
    _partial = False  # bytes of a request arrived, its headers are not complete yet
    _deadline: float | None = None
    _timer: asyncio.TimerHandle | None = None
    _timer_at = 0.0
    _rejected = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= self.limits.max_connections:
            # Refused before uvicorn sets the connection up, so it never counts or parses.
            self._rejected = True
            transport.write(_TOO_MANY)
            transport.close()
            return
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            # Without it every small response waits for the peer's delayed ACK (about 40 ms).
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
        self._expect("headers", self.limits.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._rejected:
            return
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._rejected:
            return
        if self._phase == "body":
            self._set_deadline(self.limits.read_timeout)
        super().data_received(data)

    # --- parser callbacks -----------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._partial = True
        if self._phase == "app":
            # A pipelined request began while the previous one is being answered: its header
            # deadline starts with that answer (on_response_complete).
            self._phase = "headers"
            self._deadline = None

    def on_headers_complete(self) -> None:
        self._partial = False
        super().on_headers_complete()
        self._expect("body", self.limits.read_timeout)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        if self.cycle is not None and self.cycle.response_complete and not self.pipeline:
            # Answered before the body was read (e.g. 413): now waiting for the next request.
            self._expect("headers", self.limits.header_timeout)
        else:
            self._phase = "app"
            self._deadline = None

    def on_response_complete(self) -> None:
        pipelined = bool(self.pipeline)
        super().on_response_complete()
        if self.transport.is_closing() or pipelined or self._phase == "body":
            return  # a request is running, or its body is still arriving under the read deadline
        self._expect("headers", self.limits.header_timeout)

    # --- deadlines --------------------------------------------------------------------------

    def _expect(self, phase: _Phase, seconds: float) -> None:
        self._phase = phase
        self._set_deadline(seconds)

    def _set_deadline(self, seconds: float) -> None:
        # One timer per connection at most: a later deadline is picked up when the timer fires,
        # so a stream of body chunks costs no timer churn.
        self._deadline = deadline = self.loop.time() + seconds
        if self._timer is None or self._timer_at > deadline:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = self.loop.call_at(deadline, self._on_timer)
            self._timer_at = deadline

    def _on_timer(self) -> None:
        self._timer = None
        if self._deadline is None or self.transport.is_closing():
            return
        if self._phase == "body" and self.flow.read_paused:
            # The server itself stopped reading (flow control, a pipelined request waiting its
            # turn): the client is not late. Its deadline starts again when reading does.
            self._set_deadline(self.limits.read_timeout)
            return
        if self.loop.time() < self._deadline:  # moved on since the timer was set
            self._timer = self.loop.call_at(self._deadline, self._on_timer)
            self._timer_at = self._deadline
            return
        cycle = self.cycle
        waiting_request = self._phase == "headers" and self._partial
        waiting_body = self._phase == "body" and cycle is not None and not cycle.response_started
        if waiting_request or waiting_body:
            self.transport.write(_TIMED_OUT)
        self.transport.close()


def bind_socket(host: str = "127.0.0.1", port: int = 0, *, reuse_port: bool = False,
                listen: bool = True) -> socket.socket:
    """A listening socket on ``host:port`` (port 0 = a free one, chosen without races).

    ``reuse_port`` sets ``SO_REUSEPORT``: several processes may then listen on the same port (each
    with this option), and the kernel spreads new connections across them. ``listen=False`` only
    binds: the port is held without taking a share of the connections.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose proto
    # says TCP (the protocol sets it too, for event loops that do not).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        if not hasattr(socket, "SO_REUSEPORT"):  # pragma: no cover - Windows
            sock.close()
            raise ValidationError("reuse_port needs SO_REUSEPORT (Linux, macOS, BSD)", field="reuse_port")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    if listen:
        sock.listen(_LISTEN_BACKLOG)
    sock.set_inheritable(True)
    return sock


def make_server(
    app: Any,
    limits: ServerLimits | None = None,
    *,
    protocol: type[LimitedHttpProtocol] = LimitedHttpProtocol,
    lifespan: Literal["auto", "on", "off"] = "off",
    graceful_shutdown: int = 1,
    certfile: str | os.PathLike[str] | None = None,
    keyfile: str | os.PathLike[str] | None = None,
) -> uvicorn.Server:
    """A quiet uvicorn server for ``app`` whose connections obey ``limits`` (defaults if None).

    With ``certfile`` and ``keyfile`` (PEM, e.g. from :func:`cio_toolkit._tls.generate_tls`) it
    serves HTTPS only; the deadlines then start once the TLS handshake is done.
    """
    limits = ServerLimits() if limits is None else limits
    if (certfile is None) != (keyfile is None):
        raise ValidationError(
            "certfile and keyfile go together: pass both for HTTPS, or neither",
            field="certfile" if certfile is None else "keyfile",
        )
    bound = type(protocol.__name__, (protocol,), {"limits": limits, "__module__": protocol.__module__})
    config = uvicorn.Config(
        app,
        http=bound,
        lifespan=lifespan,
        log_config=None,  # never reconfigure the host program's logging
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=graceful_shutdown,
        timeout_keep_alive=limits.keep_alive,  # type: ignore[arg-type]  # a float works; the hint says int
        ssl_certfile=None if certfile is None else os.fspath(certfile),
        ssl_keyfile=None if keyfile is None else os.fspath(keyfile),
    )
    return uvicorn.Server(config)
