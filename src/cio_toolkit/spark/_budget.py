"""One rate budget for a Spark job: a coordinator on the driver hands out every task's request slots.

Dividing the budget into per-task shares is not enough on its own: with more partitions than
task slots, a slot's next task starts as soon as the previous one finished its quota, often in
a fresh Python worker whose controller knows nothing of the requests just sent, and the two
together exceed the slot's share in one window. So :func:`~cio_toolkit.spark.load` starts a
:class:`Coordinator` on the driver: one controller (:class:`~cio_toolkit._ratelimit.RateLimiter`,
the same rules as every client's: the budget, the pace learned from 429s, ``Retry-After``) behind
a small TCP server. Each task's :class:`TaskLimiter` asks it for every request's slot (retries
included) and reports every answer, so a 429 seen by one task slows them all.

The coordinator paces its grants evenly, ``limit`` per ``period`` plus :data:`JITTER` seconds:
requests reach the API some time after their slot (threads waking on a busy executor, the
upload, the server reading its queue), and that time varies. Evenly spaced grants with this
slack still arrive at most ``limit`` in any window of ``period`` when one request is delayed up
to :data:`JITTER` more than another; grants bunched at a window's edge would not.

A task that cannot reach the coordinator (or a plain ``df.write`` that has none) keeps to its
share of the budget (:func:`~._options.task_rate`), paced the same way, and waits one step of
that pace before its first request: the task before it in its slot may have sent until just now.

The protocol, one line each way, text: ``T`` -> ``T <clock>``; ``R <max_wait|->`` -> ``W <wait>``
or ``X <wait>`` (no slot within ``max_wait``); ``O <throttled> <sent_at> <retry_after|->`` (no answer).
The address is not a credential; the server grants slots and nothing else.
"""

from __future__ import annotations

import logging
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from typing import Any, Self

from .._ratelimit import BudgetExhausted, RateLimit, RateLimiter

__all__ = ["JITTER", "Coordinator", "TaskLimiter", "paced"]

log = logging.getLogger("cio_toolkit.spark")

# Seconds by which one request may reach the API later than another after their slots (measured
# up to ~0.4 s on a loaded 2-core machine; tens of ms on a quiet one): each window is planned this much longer.
JITTER = 0.25
_CONNECT = 2.0  # seconds a task tries to reach the coordinator (a firewalled driver: every task pays it once)
_TIMEOUT = 5.0  # seconds it waits for an answer before it keeps to its share


def paced(rate: RateLimit) -> RateLimit:
    """``rate`` as one request every ``(period + JITTER) / limit`` seconds."""
    return RateLimit(1, (rate.period + JITTER) / rate.limit)


class Coordinator:
    """The job's one controller, served to the tasks over TCP while the ``with`` block lasts.

    ``handle`` answers one protocol line (what the server runs for each, and what tests call on
    a fake ``clock``); ``address`` is ``host:port`` once started.
    """

    def __init__(self, rate: RateLimit, *, host: str = "127.0.0.1",
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.limiter = RateLimiter(paced(rate), clock=clock)
        self.host = host
        self.address = ""
        self._server: socketserver.ThreadingTCPServer | None = None
        self._thread: threading.Thread | None = None

    def handle(self, line: str) -> str | None:
        """The answer to one request line (None: it takes none)."""
        op, *args = line.split()
        if op == "T":
            return f"T {self.limiter.clock()!r}"
        if op == "R":
            max_wait = None if args[0] == "-" else float(args[0])
            try:
                return f"W {self.limiter.reserve(max_wait)!r}"
            except BudgetExhausted as exc:
                return f"X {exc.wait!r}"
        if op == "O":
            retry_after = None if args[2] == "-" else float(args[2])
            self.limiter.observe(throttled=args[0] == "1", sent_at=float(args[1]), retry_after=retry_after)
            return None
        raise ValueError(f"unknown request {op!r}")

    def __enter__(self) -> Self:
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                for raw in self.rfile:
                    try:
                        answer = outer.handle(raw.decode())
                    except (ValueError, IndexError):
                        return  # not a task of ours: hang up
                    if answer is not None:
                        self.wfile.write(answer.encode() + b"\n")

        server = socketserver.ThreadingTCPServer((self.host, 0), Handler)
        server.daemon_threads = True
        self._server = server
        self.address = f"{self.host}:{server.server_address[1]}"
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="cio-spark-budget", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


class TaskLimiter(RateLimiter):
    """A task's controller: the coordinator at ``address`` grants its slots; without it, ``share`` does.

    ``share`` is the task's part of the budget (its rate per window). Slots and answers go to
    the coordinator while it answers; from the first failure on the task keeps to ``share``
    (paced as the coordinator paces, after one step's wait). ``clock`` reads the driver's clock (the local one plus an offset
    measured on connecting), so the send times it reports are on the coordinator's clock.
    """

    def __init__(self, share: RateLimit, address: str | None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._local = clock
        self._offset = 0.0
        super().__init__(paced(share), clock=lambda: self._local() + self._offset)
        self.budget = share
        self.address = address
        self._io = threading.Lock()
        self._sock: socket.socket | None = None
        self._reader: Any = None
        self._alone = address is None
        if self._alone:
            self._start_full()

    @property
    def coordinated(self) -> bool:
        """Whether the coordinator grants this task's slots (False once it keeps to its share)."""
        return not self._alone

    def reserve(self, max_wait: float | None = None) -> float:
        """The next slot: the coordinator's, or this task's share's once it cannot be reached."""
        if not self._alone:
            answer = self._ask(f"R {'-' if max_wait is None else repr(max_wait)}")
            if answer is not None:
                op, value = answer.split()
                if op == "X":
                    raise BudgetExhausted(float(value), self.rate)
                return max(0.0, float(value))
        return super().reserve(max_wait)

    def observe(self, *, throttled: bool, sent_at: float, retry_after: float | None = None) -> None:
        """Report an answer to the coordinator (and to the share kept for when it is gone)."""
        super().observe(throttled=throttled, sent_at=sent_at, retry_after=retry_after)
        if not self._alone:
            self._tell(f"O {int(throttled)} {sent_at!r} {'-' if retry_after is None else repr(retry_after)}")

    def close(self) -> None:
        """Hang up on the coordinator."""
        with self._io:
            self._hang_up()

    def _hang_up(self) -> None:
        if self._sock is not None:
            self._reader.close()  # the socket's descriptor stays open while its file object is
            self._sock.close()
            self._sock = self._reader = None

    def _start_full(self) -> None:
        # As if a request had just been sent: the task before this one in its slot may have.
        super().reserve()

    def _give_up(self, exc: BaseException) -> None:
        if not self._alone:
            log.warning("the rate coordinator at %s did not answer (%s); this task keeps to its share of the "
                        "budget, %d requests per %g s", self.address, type(exc).__name__, self.budget.limit,
                        self.budget.period)
            self._alone = True
            self._hang_up()
            self._start_full()

    def _connect(self) -> None:
        assert self.address is not None
        host, _, port = self.address.rpartition(":")
        sock = socket.create_connection((host, int(port)), timeout=_CONNECT)
        sock.settimeout(_TIMEOUT)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = sock.makefile("rb")
        before = self._local()
        sock.sendall(b"T\n")
        driver = float(reader.readline().split()[1])
        self._offset = driver - (before + self._local()) / 2
        self._sock, self._reader = sock, reader

    def _ask(self, line: str) -> str | None:
        with self._io:
            try:
                if self._sock is None:
                    self._connect()
                assert self._sock is not None
                self._sock.sendall(line.encode() + b"\n")
                answer = self._reader.readline().decode()
                if not answer:
                    raise ConnectionError("closed")
                return str(answer)
            except (OSError, ValueError, IndexError) as exc:
                self._give_up(exc)
                return None

    def _tell(self, line: str) -> None:
        with self._io:
            try:
                if self._sock is None:
                    self._connect()
                assert self._sock is not None
                self._sock.sendall(line.encode() + b"\n")
            except (OSError, ValueError, IndexError) as exc:
                self._give_up(exc)
