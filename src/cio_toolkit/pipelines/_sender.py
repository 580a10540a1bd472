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
import os
import threading
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Unpack

from .. import _constants as C
from .._config import Settings
from .._transport import TransportOptions
from .._wire import CallPlanner, Frame
from . import calls, semantic
from ._connection import PipelinesConnection, PipelinesOptions
from ._delivery import (
    DeliveryReport,
    Item,
    OnDrop,
    OnFull,
    QueueFullError,
    SenderClosedError,
    SenderCore,
    admit,
    deliveries,
    log,
    plan_items,
    queued,
)

__all__ = ["DeliveryReport", "OnDrop", "OnFull", "QueueFullError", "Sender", "SenderClosedError"]

_IDLE_EXIT = 2.0  # seconds a thread with nothing to do waits before exiting (restarted on demand)
_POLL = 0.25  # upper bound of any single wait, so stop and abandon flags are always noticed
_TAKE = 1024  # calls the dispatcher takes off the queue at a time


@dataclass
class _Job:
    number: int
    kind: Literal["batch", "single"]
    items: list[Item]
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


class Sender(SenderCore):
    """Streams calls to /v1/batch from background threads; ``flush(timeout)`` returns a :class:`DeliveryReport`.

    ``on_full`` decides what ``send`` does when ``max_queue`` calls wait: ``"block"`` (up to
    ``block_timeout`` seconds, then :class:`QueueFullError`), ``"raise"`` (at once), or ``"drop"``
    (the call is counted as dropped and ``on_drop(call, reason)`` is called). Calls over 32 KB
    raise :class:`PayloadTooLargeError` from ``send``, calls over a field limit (ids, event names,
    traits) raise :class:`ValidationError`; neither is queued. Besides ``send(call)``, each call
    builder of ``pipelines.calls`` and ``pipelines.semantic`` is a method taking its keywords
    (``sender.track(user_id=..., event=...)``).
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
        self._settings, self._client_kw = self._configure(
            client, settings, strict, client_kw, max_queue=max_queue, on_full=on_full, block_timeout=block_timeout,
            on_drop=on_drop, in_flight=in_flight, linger=linger, atexit_timeout=atexit_timeout, context=context,
            integrations=integrations, max_batch_bytes=max_batch_bytes)
        self.atexit_timeout = float(atexit_timeout)
        self._reset_state()
        _install_hooks()
        _live.add(self)

    # ---------------------------------------------------------------- state

    def _reset_state(self) -> None:
        """Fresh locks, queues, counters and client (at creation, and in a forked child)."""
        self._ledger = self._new_ledger()
        self._lock = self._ledger.lock
        self._not_empty = threading.Condition(self._lock)
        self._not_full = threading.Condition(self._lock)
        self._progress = threading.Condition(self._lock)
        self._work_ready = threading.Condition(self._lock)
        self._work_space = threading.Condition(self._lock)
        self._items: collections.deque[Item] = collections.deque()
        self._work: collections.deque[_Job] = collections.deque()
        self._seq = 0  # last sequence number given to an accepted call
        self._emitted_upto = 0  # highest sequence number handed to a worker
        self._inflight: dict[int, int] = {}  # job number -> lowest sequence number in it
        self._flush_target = 0
        self._jobs = 0
        self._idle = True  # the dispatcher waits with nothing in progress (the next call must wake it)
        self._take = min(_TAKE, self.max_queue)
        self._stopping = False
        self._abandon = False
        self._dispatcher: threading.Thread | None = None
        self._workers = 0
        self._report = self._ledger.report
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
        return self._put(*admit(call, self._ledger.max_part, self._ledger.max_batch_bytes))

    def _send_built(self, call: dict[str, Any]) -> str:
        # What the builder methods queue: a fresh call from a builder, which needs no normalizing.
        if self._closed:
            raise SenderClosedError("send: this sender is closed; create a new one")
        return self._put(*admit(call, self._ledger.max_part, self._ledger.max_batch_bytes, built=True))

    def _put(self, body: dict[str, Any], mid: str, encoded: bytes, type_: str) -> str:
        with self._lock:
            if len(self._items) >= self.max_queue and not self._wait_for_space():
                dropped = True
            else:
                dropped = False
                self._seq += 1
                self._items.append((self._seq, mid, encoded, type_))
                self._report.accepted += 1
                if self._dispatcher is None or self._workers < self.in_flight:
                    self._ensure_threads()
                # Wake the dispatcher for the first call it waits for, or a full take: not for every call.
                if self._idle or len(self._items) >= self._take:
                    self._not_empty.notify()
        if dropped:
            self._dropped(body)
        return mid

    def _wait_for_space(self) -> bool:
        """Apply the full-queue policy (lock held): True once there is room, False when the call is dropped."""
        deadline = time.monotonic() + self.block_timeout
        while len(self._items) >= self.max_queue:
            if not self._full():
                self._report.dropped += 1
                return False
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._stayed_full()
            self._ensure_threads()
            self._not_full.wait(min(remaining, _POLL))
        return True

    identify = queued(calls.identify)
    track = queued(calls.track)
    page = queued(calls.page)
    screen = queued(calls.screen)
    group = queued(calls.group)
    alias = queued(calls.alias)
    track_semantic = queued(semantic.semantic_call)
    delete_person = queued(semantic.delete_person)
    suppress_person = queued(semantic.suppress_person)
    unsuppress_person = queued(semantic.unsuppress_person)
    add_device = queued(semantic.add_device)
    delete_device = queued(semantic.delete_device)
    delete_object = queued(semantic.delete_object)
    delete_relationship = queued(semantic.delete_relationship)
    report_delivery_event = queued(semantic.report_delivery_event)

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
            return self._ledger.snapshot()

    def report(self) -> DeliveryReport:
        """The delivery report so far, without waiting."""
        with self._lock:
            return self._ledger.snapshot()

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
            self._ledger.fail_locked(items, reason)
            self._emitted_upto = max(self._emitted_upto, items[-1][0])
            self._not_full.notify_all()
        if self._workers == 0 and self._work:
            for job in self._work:
                self._ledger.fail_locked(job.items, reason)
                self._inflight.pop(job.number, None)
            self._work.clear()
            self._work_space.notify_all()
        self._progress.notify_all()

    # ---------------------------------------------------------------- dispatcher thread

    def _dispatch_loop(self) -> None:
        held: collections.deque[Item] = collections.deque()  # taken, not yet emitted
        try:
            self._dispatch(held)
        except BaseException as exc:  # a dead dispatcher must not strand what it took off the queue
            log.exception("sender dispatcher failed")
            with self._lock:
                if self._dispatcher is threading.current_thread():
                    self._dispatcher = None
                if held:
                    self._ledger.fail_locked(list(held), f"{type(exc).__name__}: {exc}")
                    self._emitted_upto = max(self._emitted_upto, held[-1][0])
                self._progress.notify_all()
                if self._items:
                    self._ensure_threads()

    def _take_now(self, pending: list[Item], first_at: float) -> bool:
        # Calls are taken a full take at a time (a dispatcher taking a few at a time would contend with
        # the producer for the interpreter), or at once when they start a batch, are due or flushed.
        return (len(self._items) >= self._take or not pending or self._flush_target >= self._items[0][0]
                or self._due(pending, first_at))

    def _due(self, pending: list[Item], first_at: float) -> bool:
        # Whether the batch in progress must go now (lock held).
        return bool(pending) and (self._stopping or self._flush_target >= pending[0][0]
                                  or time.monotonic() - first_at >= self.linger)

    def _dispatch(self, held: collections.deque[Item]) -> None:
        planner: CallPlanner[Item] = CallPlanner(self._ledger.new_packer())
        first_at = 0.0
        idle_since = time.monotonic()

        def emit(frame: Frame[Item]) -> None:
            self._emit(frame.kind, frame.body if frame.kind == "batch" else None, frame.payloads, held)

        while True:
            pending = planner.pending
            with self._lock:
                taken: list[Item] = []
                while True:
                    if self._abandon:
                        self._dispatcher = None
                        return
                    if self._items and self._take_now(pending, first_at):
                        items = self._items
                        taken = [items.popleft() for _ in range(min(len(items), _TAKE))]
                        held.extend(taken)
                        self._not_full.notify_all()
                        break
                    if self._due(pending, first_at):
                        break
                    if not pending:
                        if self._stopping or time.monotonic() - idle_since >= _IDLE_EXIT:
                            self._dispatcher = None  # under the lock: a producer restarts it if needed
                            return
                        self._idle = True
                        self._not_empty.wait(_POLL)
                        self._idle = False
                    else:
                        self._not_empty.wait(max(0.0, min(_POLL, first_at + self.linger - time.monotonic())))
            if taken:
                plan_items(planner, taken, emit)
                pending = planner.pending
                if pending and pending[0][0] >= taken[0][0]:
                    first_at = time.monotonic()  # the batch in progress began with these calls
            with self._lock:
                # A due batch still takes what is queued behind it first (a flush must not cut batches short).
                due = self._due(pending, first_at) and not self._items
            if due and (last := planner.flush()) is not None:
                emit(last)
                pending = planner.pending
            if taken or not pending:
                idle_since = time.monotonic()

    def _emit(self, kind: Literal["batch", "single"], body: bytes | None, items: list[Item],
              held: collections.deque[Item]) -> None:
        with self._lock:
            while len(self._work) >= self.in_flight and not self._abandon:
                self._ensure_threads()
                self._work_space.wait(_POLL)
            self._jobs += 1
            job = _Job(self._jobs, kind, items, body)
            self._inflight[job.number] = items[0][0]
            self._emitted_upto = max(self._emitted_upto, items[-1][0])
            self._work.append(job)
            for _ in range(len(items)):  # emitted calls are always the oldest held ones
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
                self._deliver(job)
            finally:
                with self._lock:
                    self._inflight.pop(job.number, None)
                    self._progress.notify_all()
            idle_since = time.monotonic()

    def _deliver(self, job: _Job) -> None:
        plan = deliveries(self._ledger, job.kind, job.items, job.body)
        error: BaseException | None = None
        try:
            spec = next(plan)
            while True:
                try:
                    self._client.request(spec)
                    error = None
                except BaseException as exc:  # every outcome must be recorded, or flush would wait forever
                    error = exc
                spec = plan.send(error)
        except StopIteration:
            pass
