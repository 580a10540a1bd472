"""A background sender for streaming Data Pipelines calls that never loses an event silently.

``send(call)`` size-checks the call and puts it on a bounded queue (what happens when the queue
is full is an explicit policy); a dispatcher thread packs calls into /v1/batch bodies with the
shared packer of :mod:`cio_toolkit._wire`; worker threads keep several requests in flight,
retried by the transport (every call carries a messageId, so a re-sent batch is deduplicated by Customer.io). Every
accepted call ends up sent or failed with its error, and :meth:`Sender.flush` says which: a thread
that cannot be started, or that fails, fails the calls it was holding with the reason instead of
leaving them queued behind a dead thread.

Every wait is bounded: ``flush`` and ``close`` take timeouts, the interpreter-exit flush has a
deadline, threads are daemons that exit when idle, and a forked child starts with a fresh,
empty sender state (the parent keeps delivering what it queued).
"""

from __future__ import annotations

import atexit
import collections
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Unpack

from .. import _constants as C
from .._config import Settings
from .._exceptions import BadRequestError, CustomerIOError, PayloadTooLargeError, ValidationError
from .._transport import TransportOptions
from .._wire import CallPlanner, Packer
from ._batch import PackedBatch, call_packer
from ._calls import encode_call
from ._connection import PipelinesConnection, PipelinesOptions
from ._requests import batch_spec, normalize_call, single_call_spec

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DeliveryReport", "OnDrop", "OnFull", "QueueFullError", "Sender", "SenderClosedError"]

log = logging.getLogger("cio_toolkit.pipelines.sender")

OnFull = Literal["block", "raise", "drop"]
OnDrop = Callable[[Mapping[str, Any], str], None]
_IDLE_EXIT = 2.0  # seconds a thread with nothing to do waits before exiting (restarted on demand)
_POLL = 0.25  # upper bound of any single wait, so stop and abandon flags are always noticed


class QueueFullError(CustomerIOError):
    """The sender's queue is full: ``on_full="raise"``, or ``"block"`` and ``block_timeout`` passed."""


class SenderClosedError(CustomerIOError):
    """The sender was closed; create a new one to send more."""


@dataclass
class DeliveryReport:
    """Where every call given to a sender ended up, as of the moment of the report."""

    accepted: int = 0  # calls taken onto the queue
    sent: int = 0  # acknowledged by the API (2xx)
    failed: int = 0  # given up on, with the reason in ``errors``
    dropped: int = 0  # refused by the full-queue policy "drop" (never accepted)
    pending: int = 0  # accepted but not yet sent or failed (a flush that timed out)
    requests: int = 0
    bytes_sent: int = 0
    errors: dict[str, str] = field(default_factory=dict)  # messageId -> why it failed

    @property
    def ok(self) -> bool:
        """True when nothing failed, was dropped or is still pending."""
        return self.failed == 0 and self.dropped == 0 and self.pending == 0

    def __str__(self) -> str:
        return (f"DeliveryReport(accepted={self.accepted}, sent={self.sent}, failed={self.failed}, "
                f"dropped={self.dropped}, pending={self.pending}, requests={self.requests}, "
                f"bytes_sent={self.bytes_sent})")

    def to_pandas(self) -> pd.DataFrame:
        """The counts as a one-row DataFrame (errors per messageId are in :meth:`errors_frame`)."""
        import pandas as pd

        row = {k: getattr(self, k) for k in ("accepted", "sent", "failed", "dropped", "pending", "requests",
                                             "bytes_sent")}
        return pd.DataFrame([row])

    def errors_frame(self) -> pd.DataFrame:
        """One row per failed messageId with its error."""
        import pandas as pd

        return pd.DataFrame(sorted(self.errors.items()), columns=["messageId", "error"])


@dataclass
class _Job:
    number: int
    kind: Literal["batch", "single"]
    items: list[tuple[str, bytes, str]]  # (messageId, encoded call, type)
    body: bytes | None = None  # the packed batch body (kind "batch")


_live: weakref.WeakSet[Sender] = weakref.WeakSet()
_hooks_lock = threading.Lock()
_hooks_installed = False


def _close_all_at_exit() -> None:
    for sender in list(_live):
        try:
            report = sender.close(timeout=sender.atexit_timeout)
        except Exception:  # interpreter exit must go on whatever happens
            log.exception("sender flush at exit failed")
            continue
        if not report.ok:
            log.warning("sender at exit: %s", report)


def _reset_all_in_child() -> None:
    for sender in list(_live):
        sender._reset_state()


def _install_hooks() -> None:
    global _hooks_installed
    with _hooks_lock:
        if _hooks_installed:
            return
        atexit.register(_close_all_at_exit)
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=_reset_all_in_child)
        _hooks_installed = True


class Sender:
    """Streams calls to /v1/batch from background threads; ``flush(timeout)`` returns a :class:`DeliveryReport`.

    ``on_full`` decides what ``send`` does when ``max_queue`` calls wait: ``"block"`` (up to
    ``block_timeout`` seconds, then :class:`QueueFullError`), ``"raise"`` (at once), or ``"drop"``
    (the call is counted as dropped and ``on_drop(call, reason)`` is called). Calls over 32 KB
    raise :class:`PayloadTooLargeError` from ``send``, calls over a field limit (ids, event names,
    traits) raise :class:`ValidationError`; neither is queued.
    """

    def __init__(
        self,
        client: PipelinesOptions | None = None,
        *,
        settings: Settings | None = None,
        strict: bool | None = None,
        max_queue: int = 10_000,
        on_full: OnFull = "block",
        block_timeout: float = 10.0,
        on_drop: OnDrop | None = None,
        in_flight: int = 4,
        linger: float = 0.5,
        context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None,
        atexit_timeout: float = 10.0,
        max_batch_bytes: int = C.PIPELINES_MAX_BATCH_BYTES,
        **client_kw: Unpack[TransportOptions],
    ) -> None:
        if on_full not in ("block", "raise", "drop"):
            raise ValidationError(f"on_full: {on_full!r} is not one of block, raise, drop", field="on_full",
                                  limit=("block", "raise", "drop"))
        for name, value, low in (("max_queue", max_queue, 1), ("in_flight", in_flight, 1)):
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ValidationError(f"{name}: must be an integer >= {low}, got {value!r}", field=name, limit=low)
        for name, number in (("block_timeout", block_timeout), ("linger", linger), ("atexit_timeout", atexit_timeout)):
            if not isinstance(number, int | float) or number < 0:
                raise ValidationError(f"{name}: must be >= 0 seconds, got {number!r}", field=name, limit=0)
        self._client_kw: dict[str, Any] = dict(client_kw)
        if client is not None:
            settings = settings or client.settings
            strict = client.strict if strict is None else strict
            self._client_kw = {**client._client_kw, **client_kw}
        self._settings = settings or Settings()
        self.strict = True if strict is None else strict
        self.max_queue = max_queue
        self.on_full: OnFull = on_full
        self.block_timeout = float(block_timeout)
        self.on_drop = on_drop
        self.in_flight = in_flight
        self.linger = float(linger)
        self.atexit_timeout = float(atexit_timeout)
        self._context = dict(context) if context else None
        self._integrations = dict(integrations) if integrations else None
        self._max_batch_bytes = max_batch_bytes
        # Fails now (not in a thread) when context/integrations alone exceed the batch limit.
        self._new_packer()
        self._settings.require("pipelines")
        self._reset_state()
        self._closed = False
        _install_hooks()
        _live.add(self)

    # ---------------------------------------------------------------- state

    def _new_packer(self) -> Packer[Any]:
        return call_packer(context=self._context, integrations=self._integrations,
                           max_batch_bytes=self._max_batch_bytes)

    def _reset_state(self) -> None:
        """Fresh locks, queues, counters and client (at creation, and in a forked child)."""
        self._lock = threading.Lock()
        self._not_empty = threading.Condition(self._lock)
        self._not_full = threading.Condition(self._lock)
        self._progress = threading.Condition(self._lock)
        self._work_ready = threading.Condition(self._lock)
        self._work_space = threading.Condition(self._lock)
        self._items: collections.deque[tuple[int, str, bytes, str]] = collections.deque()
        self._work: collections.deque[_Job] = collections.deque()
        self._seq = 0  # last sequence number given to an accepted call
        self._emitted_upto = 0  # highest sequence number handed to a worker
        self._inflight: dict[int, int] = {}  # job number -> lowest sequence number in it
        self._flush_target = 0
        self._jobs = 0
        self._stopping = False
        self._abandon = False
        self._dispatcher: threading.Thread | None = None
        self._workers = 0
        self._report = DeliveryReport()
        # A new connection pool: a forked child must never share the parent's sockets.
        self._client = PipelinesConnection(settings=self._settings, strict=self.strict, **self._client_kw)
        self._client.warm()  # the pool is created now, not raced for by the first workers
        if hasattr(self, "_closed"):
            self._closed = False

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"Sender({state}, target={self._client.base_url!r}, queued={len(self._items)})"

    # ---------------------------------------------------------------- producer side

    def send(self, call: Mapping[str, Any]) -> str:
        """Queue one call built by ``pipelines.calls`` / ``pipelines.semantic``; returns its messageId."""
        if self._closed:
            raise SenderClosedError("send: this sender is closed; create a new one")
        body = normalize_call(call)
        encoded = encode_call(body)
        if not self._new_packer().fits(encoded):
            raise PayloadTooLargeError(
                f"{body['type']} call of {len(encoded)} bytes does not fit a {self._max_batch_bytes}-byte batch "
                "with this sender's context and integrations",
                field=f"{body['type']} call", limit=self._max_batch_bytes, actual=len(encoded),
            )
        mid = str(body["messageId"])
        dropped_reason: str | None = None
        with self._lock:
            deadline = time.monotonic() + self.block_timeout
            while len(self._items) >= self.max_queue:
                if self._closed:
                    raise SenderClosedError("send: this sender was closed while waiting for queue space")
                if self.on_full == "raise":
                    raise QueueFullError(f"send: the queue is full ({self.max_queue} calls waiting)")
                if self.on_full == "drop":
                    self._report.dropped += 1
                    dropped_reason = f"queue full ({self.max_queue} calls waiting)"
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise QueueFullError(
                        f"send: the queue stayed full ({self.max_queue} calls) for {self.block_timeout:g} s"
                    )
                self._ensure_threads()
                self._not_full.wait(min(remaining, _POLL))
            if dropped_reason is None:
                self._seq += 1
                self._items.append((self._seq, mid, encoded, str(body["type"])))
                self._report.accepted += 1
                self._ensure_threads()
                self._not_empty.notify()
        if dropped_reason is not None and self.on_drop is not None:
            try:
                self.on_drop(body, dropped_reason)
            except Exception:  # a failing callback must not break the producer
                log.exception("on_drop callback failed")
        return mid

    def flush(self, timeout: float | None = 30.0) -> DeliveryReport:
        """Send everything queued so far and wait (at most ``timeout`` s) until each is sent or failed."""
        with self._lock:
            target = self._seq
            self._flush_target = max(self._flush_target, target)
            if target > self._emitted_upto:
                self._ensure_threads()
            self._not_empty.notify_all()
            deadline = None if timeout is None else time.monotonic() + timeout
            while not self._resolved(target):
                remaining = _POLL if deadline is None else min(_POLL, deadline - time.monotonic())
                if remaining <= 0:
                    break
                if target > self._emitted_upto:
                    self._ensure_threads()  # an idle thread may have exited after this flush began
                self._progress.wait(remaining)
            return self._snapshot()

    def report(self) -> DeliveryReport:
        """The delivery report so far, without waiting."""
        with self._lock:
            return self._snapshot()

    def close(self, timeout: float | None = 10.0) -> DeliveryReport:
        """Flush (at most ``timeout`` s), stop the threads and return the final report; closing twice is fine."""
        started = time.monotonic()
        with self._lock:
            already = self._closed
            self._closed = True
            self._not_full.notify_all()
        report = self.flush(timeout) if not already else self.report()
        with self._lock:
            self._stopping = True
            if report.pending:
                self._abandon = True  # deadline reached: threads stop at their next check
            for cond in (self._not_empty, self._work_ready, self._work_space, self._progress):
                cond.notify_all()
            dispatcher = self._dispatcher
        if dispatcher is not None:
            left = 1.0 if timeout is None else max(0.0, timeout - (time.monotonic() - started))
            dispatcher.join(min(left, 1.0) if report.pending else left)
        if not report.pending:
            with self._lock:
                idle = self._workers == 0
            if idle:
                self._client.close()
        _live.discard(self)
        return report

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- bookkeeping (lock held)

    def _resolved(self, target: int) -> bool:
        if self._emitted_upto < target:
            return False
        return all(low > target for low in self._inflight.values())

    def _snapshot(self) -> DeliveryReport:
        r = self._report
        return DeliveryReport(
            accepted=r.accepted, sent=r.sent, failed=r.failed, dropped=r.dropped,
            pending=r.accepted - r.sent - r.failed, requests=r.requests, bytes_sent=r.bytes_sent,
            errors=dict(r.errors),
        )

    def _ensure_threads(self) -> None:
        if self._stopping:
            return
        try:
            if self._dispatcher is None:
                dispatcher = threading.Thread(target=self._dispatch_loop, name="cio-sender-dispatch",
                                              daemon=True)
                dispatcher.start()  # the lock is held: it cannot look at self._dispatcher before this is set
                self._dispatcher = dispatcher
            while self._workers < self.in_flight:
                threading.Thread(target=self._work_loop, name="cio-sender-worker", daemon=True).start()
                self._workers += 1
        except RuntimeError as exc:  # "can't start new thread": out of resources, or the interpreter exits
            self._fail_orphans(f"could not start a sender thread: {type(exc).__name__}: {exc}")

    def _fail_orphans(self, reason: str) -> None:
        """Fail the calls no thread is left to handle: queued with no dispatcher, emitted with no worker."""
        log.error("sender: %s", reason)
        if self._dispatcher is None and self._items:
            items = list(self._items)
            self._items.clear()
            self._fail_locked([(mid, enc, t) for _, mid, enc, t in items], reason)
            self._emitted_upto = max(self._emitted_upto, items[-1][0])
            self._not_full.notify_all()
        if self._workers == 0 and self._work:
            for job in self._work:
                self._fail_locked(job.items, reason)
                self._inflight.pop(job.number, None)
            self._work.clear()
            self._work_space.notify_all()
        self._progress.notify_all()

    # ---------------------------------------------------------------- dispatcher thread

    def _dispatch_loop(self) -> None:
        held: collections.deque[tuple[int, str, bytes, str]] = collections.deque()  # taken, not yet emitted
        try:
            self._dispatch(held)
        except BaseException as exc:  # a dead dispatcher must not strand what it took off the queue
            log.exception("sender dispatcher failed")
            with self._lock:
                if self._dispatcher is threading.current_thread():
                    self._dispatcher = None
                if held:
                    reason = f"{type(exc).__name__}: {exc}"
                    self._fail_locked([(mid, enc, t) for _, mid, enc, t in held], reason)
                    self._emitted_upto = max(self._emitted_upto, held[-1][0])
                self._progress.notify_all()
                if self._items:
                    self._ensure_threads()

    def _dispatch(self, held: collections.deque[tuple[int, str, bytes, str]]) -> None:
        planner: CallPlanner[tuple[int, str, bytes, str]] = CallPlanner(self._new_packer())
        pending = planner.pending  # what the packer holds, with sequence numbers
        first_at = 0.0
        idle_since = time.monotonic()
        while True:
            with self._lock:
                taken: list[tuple[int, str, bytes, str]] = []
                while True:
                    if self._abandon:
                        self._dispatcher = None
                        return
                    if self._items:
                        while self._items and len(taken) < 256:
                            taken.append(self._items.popleft())
                        held.extend(taken)
                        self._not_full.notify_all()
                        break
                    if pending and (self._stopping or self._flush_target >= pending[0][0]
                                    or time.monotonic() - first_at >= self.linger):
                        break
                    if not pending:
                        if self._stopping or time.monotonic() - idle_since >= _IDLE_EXIT:
                            self._dispatcher = None  # under the lock: a producer restarts it if needed
                            return
                        self._not_empty.wait(_POLL)
                    else:
                        self._not_empty.wait(max(0.0, min(_POLL, first_at + self.linger - time.monotonic())))
            for item in taken:
                # An alias comes out as its own request, after the batch before it.
                for frame in planner.add(item[3], item[2], item):
                    self._emit(frame.kind, frame.body if frame.kind == "batch" else None, frame.payloads, held)
                pending = planner.pending
                if pending and pending[0] is item:  # this call started a new batch
                    first_at = time.monotonic()
            with self._lock:
                due = bool(pending) and (self._stopping or self._flush_target >= pending[0][0]
                                         or time.monotonic() - first_at >= self.linger)
            if due and (last := planner.flush()) is not None:
                self._emit("batch", last.body, last.payloads, held)
                pending = planner.pending
            if taken or not pending:
                idle_since = time.monotonic()

    def _emit(self, kind: Literal["batch", "single"], body: bytes | None,
              items: list[tuple[int, str, bytes, str]],
              held: collections.deque[tuple[int, str, bytes, str]]) -> None:
        with self._lock:
            while len(self._work) >= self.in_flight and not self._abandon:
                self._ensure_threads()
                self._work_space.wait(_POLL)
            self._jobs += 1
            job = _Job(self._jobs, kind, [(mid, enc, t) for _, mid, enc, t in items], body)
            self._inflight[job.number] = items[0][0]
            self._emitted_upto = max(self._emitted_upto, items[-1][0])
            self._work.append(job)
            for _ in items:  # emitted calls are always the oldest held ones
                held.popleft()
            self._ensure_threads()
            self._work_ready.notify()

    # ---------------------------------------------------------------- worker threads

    def _work_loop(self) -> None:
        idle_since = time.monotonic()
        while True:
            with self._lock:
                while not self._work:
                    if self._abandon or self._stopping or time.monotonic() - idle_since >= _IDLE_EXIT:
                        self._workers -= 1
                        return
                    self._work_ready.wait(_POLL)
                job = self._work.popleft()
                self._work_space.notify()
            try:
                self._deliver(job.kind, job.items, job.body)
            finally:
                with self._lock:
                    self._inflight.pop(job.number, None)
                    self._progress.notify_all()
            idle_since = time.monotonic()

    def _deliver(self, kind: str, items: list[tuple[str, bytes, str]], body: bytes | None) -> None:
        try:
            if kind == "single":
                mid, encoded, type_ = items[0]
                spec = single_call_spec({"type": type_, "messageId": mid}, strict=self.strict, encoded=encoded)
            else:
                if body is None:
                    body = self._repack(items)
                spec = batch_spec(PackedBatch(body, [m for m, _, _ in items]), strict=self.strict)
            self._client.request(spec)
        except BadRequestError as exc:
            if kind == "batch" and len(items) > 1:
                # Strict mode rejects the whole batch for one bad call: split to find it, the rest go through.
                half = len(items) // 2
                self._deliver("batch", items[:half], None)
                self._deliver("batch", items[half:], None)
                return
            self._failed(items, exc)
        except BaseException as exc:  # every outcome must be recorded, or flush would wait forever
            self._failed(items, exc)
        else:
            with self._lock:
                self._report.sent += len(items)
                self._report.requests += 1
                self._report.bytes_sent += len(spec.content or b"")

    def _repack(self, items: list[tuple[str, bytes, str]]) -> bytes:
        packer = self._new_packer()
        for mid, encoded, _ in items:
            packer.add(encoded, mid)  # a subset of a batch that fit always fits
        packed = packer.flush()
        assert packed is not None
        return packed.body

    def _failed(self, items: list[tuple[str, bytes, str]], exc: BaseException) -> None:
        with self._lock:
            self._fail_locked(items, f"{type(exc).__name__}: {exc}")

    def _fail_locked(self, items: list[tuple[str, bytes, str]], reason: str) -> None:
        self._report.failed += len(items)
        for mid, _, _ in items:
            self._report.errors[mid] = reason
