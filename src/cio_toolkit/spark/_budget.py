"""One rate budget for a Spark job: a coordinator on the driver hands out every task's request slots.

Dividing the budget into per-task shares is not enough on its own: with more partitions than
task slots, a slot's next task starts as soon as the previous one finished its quota, often in
a fresh Python worker whose controller knows nothing of the requests just sent, and the two
together exceed the slot's share in one window. So :func:`~cio_toolkit.spark.register` starts
one :class:`Coordinator` per driver process (once, on its first call): a small TCP server that
keeps one controller per write run (:class:`~cio_toolkit._ratelimit.RateLimiter`, the same rules
as every client's: the budget, the pace learned from 429s, ``Retry-After``). Its address travels
with the data source class Spark pickles to its Python workers, so ``load()`` and a plain
``df.write.format("customerio")`` coordinate the same way: each task's :class:`TaskLimiter`
names its run and the run's budget on connecting, asks for every request's slot (retries
included) and reports every answer, so a 429 seen by one task slows them all. It has to be the
user's process: Spark runs ``DataSource.writer()`` and ``commit()`` in short-lived Python workers
of their own. ``commit()``/``abort()`` drop the run's controller; one whose tasks all hung up
:data:`LINGER` seconds ago (a job killed before either ran) is dropped when the next task connects.

The coordinator paces its grants evenly, ``limit`` per ``period`` plus :data:`JITTER` seconds:
requests reach the API some time after their slot (threads waking on a busy executor, the
upload, the server reading its queue), and that time varies. Evenly spaced grants with this
slack still arrive at most ``limit`` in any window of ``period`` when one request is delayed up
to :data:`JITTER` more than another; grants bunched at a window's edge would not.

A task that cannot reach the coordinator (a Spark Connect client has none; a firewalled driver)
keeps to its share of the budget (:func:`~._options.task_rate`), paced the same way, and sends
nothing in its first window (``period`` plus :data:`JITTER`): the task before it in its slot may
have sent until just now, and its last requests may still be on their way.

A ``Retry-After`` one task saw pauses every task: a task that waited for its slot asks the
coordinator whether a pause began meanwhile (its own controller knows only its own 429s), and if
so takes a new slot after it. Slots granted before the pause would otherwise go out during it,
draw 429s of their own and lengthen it.

The protocol, one line each way, text: ``H <run> <limit> <period>`` (first: the run and its
budget) -> ``T <clock>``; ``R <max_wait|->`` -> ``W <wait> <slot's time>`` or ``X <wait>`` (no
slot within ``max_wait``); ``P`` -> ``P <seconds of pause left>``; ``O <throttled> <sent_at> <retry_after|->``
(no answer); ``D <run>`` (the run is over) -> ``D``.
The address is not a credential; the server grants slots and nothing else.
"""

from __future__ import annotations

import logging
import os
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

from .._ratelimit import BudgetExhausted, RateLimit, RateLimiter

__all__ = ["JITTER", "LATE", "LINGER", "Coordinator", "TaskLimiter", "end_run", "paced", "process_coordinator",
           "session_coordinator"]

log = logging.getLogger("cio_toolkit.spark")

# Seconds by which one request may reach the API later than another after their slots: each window
# is planned this much longer. With 0.25 s a budget of 20 per second still saw 21-23 arrivals in one
# second at the sink, on an idle 2-core machine too (two Python workers, a JVM and the sink sharing
# it); 0.4 s kept every window under the budget. On the documented 3,000 per 3 s it costs 12% of the pace.
JITTER = 0.4
# Seconds a run's controller outlives its last task's connection when neither commit() nor abort()
# ended the run: longer than a slot's gap between two tasks, or a stage's between two task sets.
LINGER = 60.0
# Seconds a request may go out after its slot: a thread that woke later (a starved executor) takes a
# new slot instead, so that the sends' own spread stays within this part of JITTER.
LATE = JITTER / 2
_CONNECT = 2.0  # seconds a task tries to reach the coordinator (a firewalled driver: every task pays it once)
_TIMEOUT = 5.0  # seconds it waits for an answer before it keeps to its share


def paced(rate: RateLimit) -> RateLimit:
    """``rate`` as one request every ``(period + JITTER) / limit`` seconds."""
    return RateLimit(1, (rate.period + JITTER) / rate.limit)


@dataclass
class _Run:
    limiter: RateLimiter
    connections: int = 0
    idle_since: float = 0.0


class Coordinator:
    """One controller per write run, served to the tasks over TCP from :meth:`start` to :meth:`close`.

    :meth:`connection` is one task's side of the conversation (what the server runs for each TCP
    connection, and what tests drive on a fake ``clock``); ``address`` is ``host:port`` once started.
    """

    def __init__(self, *, host: str = "127.0.0.1", clock: Callable[[], float] = time.monotonic,
                 linger: float = LINGER) -> None:
        self.host = host
        self.clock = clock
        self.linger = linger
        self.address = ""
        self._runs: dict[str, _Run] = {}
        self._lock = threading.Lock()
        self._server: socketserver.ThreadingTCPServer | None = None
        self._thread: threading.Thread | None = None

    def connection(self) -> Connection:
        """A new task's conversation (its first line names its run)."""
        return Connection(self)

    def limiter(self, run: str) -> RateLimiter | None:
        """The controller of ``run`` (None: no task of it connected yet, or the run is over)."""
        with self._lock:
            found = self._runs.get(run)
        return found.limiter if found is not None else None

    def runs(self) -> list[str]:
        """The runs whose controllers are kept."""
        with self._lock:
            return list(self._runs)

    def _join(self, run: str, rate: RateLimit) -> RateLimiter:
        with self._lock:
            now = self.clock()
            for name in [n for n, r in self._runs.items() if not r.connections and now - r.idle_since > self.linger]:
                del self._runs[name]  # no task of it for a while, and no commit() or abort() came
            found = self._runs.get(run)
            if found is None:
                found = self._runs[run] = _Run(RateLimiter(paced(rate), clock=self.clock))
            found.connections += 1
            return found.limiter

    def _leave(self, run: str) -> None:
        with self._lock:
            found = self._runs.get(run)
            if found is not None:
                found.connections -= 1
                found.idle_since = self.clock()

    def _end(self, run: str) -> None:
        with self._lock:
            self._runs.pop(run, None)

    def start(self) -> Self:
        """Listen on ``host`` (a free port) in a daemon thread."""
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                conversation = outer.connection()
                try:
                    for raw in self.rfile:
                        try:
                            answer = conversation.handle(raw.decode())
                        except (ValueError, IndexError):
                            return  # not a task of ours: hang up
                        if answer is not None:
                            self.wfile.write(answer.encode() + b"\n")
                finally:
                    conversation.close()

        server = socketserver.ThreadingTCPServer((self.host, 0), Handler)
        server.daemon_threads = True
        self._server = server
        self.address = f"{self.host}:{server.server_address[1]}"
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="cio-spark-budget", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


class Connection:
    """One task's conversation with a :class:`Coordinator`: :meth:`handle` answers one protocol line."""

    def __init__(self, coordinator: Coordinator) -> None:
        self.coordinator = coordinator
        self.run: str | None = None
        self.limiter: RateLimiter | None = None

    def handle(self, line: str) -> str | None:
        """The answer to one request line (None: it takes none)."""
        op, *args = line.split()
        if op == "H" and self.run is None:
            rate = RateLimit(int(args[1]), float(args[2]))
            self.limiter = self.coordinator._join(args[0], rate)
            self.run = args[0]
            return f"T {self.coordinator.clock()!r}"
        if op == "D":
            self.coordinator._end(args[0])
            return "D"
        limiter = self.limiter
        if limiter is None:
            raise ValueError("no run named yet")
        if op == "R":
            max_wait = None if args[0] == "-" else float(args[0])
            try:
                wait = limiter.reserve(max_wait)
                return f"W {wait!r} {self.coordinator.clock() + wait!r}"
            except BudgetExhausted as exc:
                return f"X {exc.wait!r}"
        if op == "P":
            return f"P {limiter.paused()!r}"
        if op == "O":
            retry_after = None if args[2] == "-" else float(args[2])
            limiter.observe(throttled=args[0] == "1", sent_at=float(args[1]), retry_after=retry_after)
            return None
        raise ValueError(f"unknown request {op!r}")

    def close(self) -> None:
        """The task hung up."""
        if self.run is not None:
            self.coordinator._leave(self.run)
            self.run = None


_process: dict[str, Coordinator] = {}
_process_lock = threading.Lock()


def process_coordinator(host: str) -> Coordinator | None:
    """This process's coordinator listening on ``host``, started on the first call (None: it cannot listen)."""
    with _process_lock:
        found = _process.get(host)
        if found is None:
            try:
                found = _process[host] = Coordinator(host=host).start()
            except OSError as exc:
                log.warning("no rate coordinator on the driver (%s): each task keeps to its share of the budget", exc)
                return None
        return found


def session_coordinator(spark: Any) -> str | None:
    """The address of this driver process's coordinator for ``spark``'s tasks (None: they keep to their shares).

    Local mode listens on the loopback only; a cluster's driver on ``spark.driver.host``. A Spark
    Connect client is not the driver: its tasks could not reach it.
    """
    if type(spark).__module__.startswith("pyspark.sql.connect"):
        return None
    master = str(spark.conf.get("spark.master", "local") or "local")
    host = "127.0.0.1" if master.startswith("local") else str(spark.conf.get("spark.driver.host", "") or "")
    found = process_coordinator(host) if host else None
    return found.address if found is not None else None


def _after_fork() -> None:
    # A forked child has none of the parent's server threads: it starts its own when it needs one.
    global _process_lock
    _process_lock = threading.Lock()
    _process.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def end_run(address: str | None, run: str) -> None:
    """Tell the coordinator at ``address`` that ``run`` is over, so its controller goes (quietly if it is gone)."""
    if not address:
        return
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=_CONNECT) as sock:
            sock.settimeout(_TIMEOUT)
            sock.sendall(f"D {run}\n".encode())
            sock.recv(16)  # "D": the controller is gone before this returns
    except (OSError, ValueError) as exc:
        log.debug("the rate coordinator at %s did not take the end of run %s (%s)", address, run, exc)


class TaskLimiter(RateLimiter):
    """A task's controller: the coordinator at ``address`` grants its slots; without it, ``share`` does.

    ``run`` names the write run and ``budget`` is the whole run's (what the coordinator grants at);
    ``share`` is the task's part of it. Slots and answers go to the coordinator while it answers;
    from the first failure on the task keeps to ``share`` (paced as the coordinator paces, after a
    first window with nothing sent). ``clock`` reads the driver's clock (the local one plus an
    offset measured on connecting), so the send times it reports are on the coordinator's clock.
    """

    def __init__(self, share: RateLimit, address: str | None, *, run: str, budget: RateLimit,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._local = clock
        self._offset = 0.0
        super().__init__(paced(share), clock=lambda: self._local() + self._offset)
        self.task_share = share
        self.run = run
        self.budget = budget
        self.address = address
        self._io = threading.Lock()
        self._sock: socket.socket | None = None
        self._reader: Any = None
        self._alone = address is None
        self._slot = threading.local()  # each sending thread's last slot, on this clock
        self.late = 0  # slots given up because their thread woke more than LATE after them
        if self._alone:
            self._start_empty()

    @property
    def coordinated(self) -> bool:
        """Whether the coordinator grants this task's slots (False once it keeps to its share)."""
        return not self._alone

    def reserve(self, max_wait: float | None = None) -> float:
        """The next slot: the coordinator's, or this task's share's once it cannot be reached."""
        wait = None
        if not self._alone:
            answer = self._ask(f"R {'-' if max_wait is None else repr(max_wait)}")
            if answer is not None:
                op, value, *at = answer.split()
                if op == "X":
                    raise BudgetExhausted(float(value), self.rate)
                # From the slot's time, not the answer's: an answer slow on its way does not delay the send.
                wait = max(0.0, float(at[0]) - self.clock())
        if wait is None:
            wait = super().reserve(max_wait)
        self._slot.at = self.clock() + wait
        return wait

    def paused(self) -> float:
        """Seconds left of a pause any task's 429 began (the coordinator's, or this task's own once alone).

        A slot this thread woke up for more than :data:`LATE` late is void as well (a small positive
        answer): sent now, it would bunch up with the slots after it. A thread that waited for its
        slot asks this just before it sends.
        """
        left = 0.0
        if not self._alone:
            answer = self._ask("P")
            if answer is not None:
                left = max(0.0, float(answer.split()[1]))
        if not left and self._alone:
            left = super().paused()
        at = getattr(self._slot, "at", None)
        if not left and at is not None and self.clock() - at > LATE:
            self._slot.at = None
            self.late += 1
            return LATE / 1000
        return left

    def observe(self, *, throttled: bool, sent_at: float, retry_after: float | None = None) -> None:
        """Report an answer to the coordinator (and to the share kept for when it is gone)."""
        super().observe(throttled=throttled, sent_at=sent_at, retry_after=retry_after)
        if not self._alone:
            self._ask(f"O {int(throttled)} {sent_at!r} {'-' if retry_after is None else repr(retry_after)}", reply=False)

    def close(self) -> None:
        """Hang up on the coordinator."""
        with self._io:
            self._hang_up()

    def _hang_up(self) -> None:
        if self._sock is not None:
            self._reader.close()  # the socket's descriptor stays open while its file object is
            self._sock.close()
            self._sock = self._reader = None

    def _start_empty(self) -> None:
        # Nothing in the first window: the task before this one in its slot may have sent until just
        # now, its last requests still on their way. A pause, so that slots reserved before are void.
        with self._lock:
            self._paused_until = max(self._paused_until, self.clock() + self.task_share.period + JITTER)

    def _give_up(self, exc: BaseException) -> None:
        if not self._alone:
            log.warning("the rate coordinator at %s did not answer (%s); this task keeps to its share of the "
                        "budget, %d requests per %g s", self.address, type(exc).__name__, self.task_share.limit,
                        self.task_share.period)
            self._alone = True
            self._hang_up()
            self._start_empty()

    def _connect(self) -> None:
        assert self.address is not None
        host, _, port = self.address.rpartition(":")
        sock = socket.create_connection((host, int(port)), timeout=_CONNECT)
        sock.settimeout(_TIMEOUT)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = sock.makefile("rb")
        before = self._local()
        sock.sendall(f"H {self.run} {self.budget.limit} {self.budget.period!r}\n".encode())
        driver = float(reader.readline().split()[1])
        self._offset = driver - (before + self._local()) / 2
        self._sock, self._reader = sock, reader

    def _ask(self, line: str, *, reply: bool = True) -> str | None:
        # One line to the coordinator and, when ``reply``, its one-line answer; None once it is gone.
        with self._io:
            try:
                if self._sock is None:
                    self._connect()
                assert self._sock is not None
                self._sock.sendall(line.encode() + b"\n")
                if not reply:
                    return None
                answer = self._reader.readline().decode()
                if not answer:
                    raise ConnectionError("closed")
                return str(answer)
            except (OSError, ValueError, IndexError) as exc:
                self._give_up(exc)
                return None
