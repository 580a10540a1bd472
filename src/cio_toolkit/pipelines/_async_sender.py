"""The asyncio twin of :class:`Sender`: streams Data Pipelines calls from tasks, never losing one silently.

``await send(call)`` checks and encodes the call in the caller and puts it on a bounded queue
(full: the same ``block``/``raise``/``drop`` policies); a dispatcher task packs the encoded calls
into /v1/batch bodies with the shared packer, and ``in_flight`` worker tasks send them through
an asyncio Pipelines client (retries, the shared rate controller). ``await flush(timeout)``
waits until everything queued so far is sent or failed and returns the :class:`DeliveryReport`.

``await aclose(timeout)`` (or leaving ``async with``) flushes and stops the tasks. What its
deadline leaves undelivered is failed with that reason, so the final report accounts for every
accepted call; a sender still holding calls when the interpreter exits is reported in the log.
The tasks run on the event loop of the first ``send``; the sender belongs to that loop.
"""

from __future__ import annotations

import asyncio
import atexit
import collections
import time
import weakref
from collections.abc import Mapping
from typing import Any, Unpack

from .. import _constants as C
from .._config import Settings
from .._exceptions import CustomerIOError
from .._transport import TransportOptions
from .._wire import CallPlanner, Frame
from . import _delivery as D
from . import calls, semantic
from ._connection import AsyncPipelinesConnection, PipelinesOptions
from ._delivery import DeliveryReport, Item, OnDrop, OnFull, SenderClosedError

__all__ = ["AsyncSender"]

_TAKE = 1024  # calls the dispatcher takes off the queue at a time
_YIELD_EVERY = 256  # sends between two turns given to the sender's own tasks

_live: weakref.WeakSet[AsyncSender] = weakref.WeakSet()


@atexit.register
def _report_unclosed_at_exit() -> None:
    # No event loop is left to deliver from at exit: what an unclosed sender holds is reported, not lost quietly.
    for sender in list(_live):
        report = sender.report()
        if report.pending:
            D.log.warning("AsyncSender not closed before exit (await sender.aclose()): %s", report)


class _Job:
    __slots__ = ("body", "items", "kind", "number")

    def __init__(self, number: int, frame: Frame[Item]) -> None:
        self.number = number
        self.kind = frame.kind
        self.items = frame.payloads
        self.body = frame.body if frame.kind == "batch" else None


class AsyncSender(D.SenderCore):
    """Streams calls to /v1/batch from asyncio tasks; ``await flush(timeout)`` returns a :class:`DeliveryReport`.

    The options and guarantees are the :class:`Sender`'s: ``on_full`` is ``"block"`` (await room
    for up to ``block_timeout`` s, then :class:`QueueFullError`), ``"raise"`` or ``"drop"``
    (counted, and ``on_drop(call, reason)`` called); an oversized or invalid call raises from
    ``send``. Each call builder is an awaitable method too (``await sender.track(user_id=..., event=...)``).
    """

    def __init__(
        self, client: PipelinesOptions | None = None, *, settings: Settings | None = None, strict: bool | None = None,
        max_queue: int = 10_000, on_full: OnFull = "block", block_timeout: float = 10.0, on_drop: OnDrop | None = None,
        in_flight: int = 4, linger: float = 0.5, context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None, max_batch_bytes: int = C.PIPELINES_MAX_BATCH_BYTES,
        **client_kw: Unpack[TransportOptions],
    ) -> None:
        settings, kw = self._configure(
            client, settings, strict, client_kw, max_queue=max_queue, on_full=on_full, block_timeout=block_timeout,
            on_drop=on_drop, in_flight=in_flight, linger=linger, context=context, integrations=integrations,
            max_batch_bytes=max_batch_bytes)
        self._client = AsyncPipelinesConnection(settings=settings, strict=self.strict, **kw)
        self._items: collections.deque[Item] = collections.deque()
        self._held: collections.deque[Item] = collections.deque()  # taken by the dispatcher, not yet a job
        self._work: asyncio.Queue[_Job] = asyncio.Queue(maxsize=in_flight)
        self._running: dict[int, _Job] = {}
        self._inflight: dict[int, int] = {}  # job number -> lowest sequence number in it
        self._wake, self._space, self._progress = asyncio.Event(), asyncio.Event(), asyncio.Event()
        self._seq = self._emitted_upto = self._flush_target = self._jobs = 0
        self._tasks: list[asyncio.Task[None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False
        _live.add(self)

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"AsyncSender({state}, target={self._client.base_url!r}, queued={len(self._items)})"

    # ---------------------------------------------------------------- producer side

    async def send(self, call: Mapping[str, Any]) -> str:
        """Queue one call built by ``pipelines.calls`` / ``pipelines.semantic``; returns its messageId."""
        if self._closed:
            raise SenderClosedError("send: this sender is closed; create a new one")
        return await self._put(*D.admit(call, self._ledger.max_part, self._ledger.max_batch_bytes))

    async def _send_built(self, call: dict[str, Any]) -> str:
        # What the builder methods queue: a fresh call from a builder, which needs no normalizing.
        if self._closed:
            raise SenderClosedError("send: this sender is closed; create a new one")
        return await self._put(*D.admit(call, self._ledger.max_part, self._ledger.max_batch_bytes, built=True))

    async def _put(self, body: dict[str, Any], mid: str, encoded: bytes, type_: str) -> str:
        self._start()
        if len(self._items) >= self.max_queue and not await self._wait_for_space():
            self._dropped(body)
            return mid
        self._seq += 1
        self._items.append((self._seq, mid, encoded, type_))
        with self._ledger.lock:
            self._ledger.report.accepted += 1
        self._wake.set()
        if not self._seq % _YIELD_EVERY:
            await asyncio.sleep(0)  # a producer that never waits would hold back the tasks sending its calls
        return mid

    async def _wait_for_space(self) -> bool:
        """Apply the full-queue policy: True once there is room, False when the call is dropped."""
        deadline = time.monotonic() + self.block_timeout
        while len(self._items) >= self.max_queue:
            if not self._full():
                with self._ledger.lock:
                    self._ledger.report.dropped += 1
                return False
            self._space.clear()
            try:
                await asyncio.wait_for(self._space.wait(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                if len(self._items) >= self.max_queue:
                    raise self._stayed_full() from None
        return True

    identify = D.queued_async(calls.identify)
    track = D.queued_async(calls.track)
    page = D.queued_async(calls.page)
    screen = D.queued_async(calls.screen)
    group = D.queued_async(calls.group)
    alias = D.queued_async(calls.alias)
    track_semantic = D.queued_async(semantic.semantic_call)
    delete_person = D.queued_async(semantic.delete_person)
    suppress_person = D.queued_async(semantic.suppress_person)
    unsuppress_person = D.queued_async(semantic.unsuppress_person)
    add_device = D.queued_async(semantic.add_device)
    delete_device = D.queued_async(semantic.delete_device)
    delete_object = D.queued_async(semantic.delete_object)
    delete_relationship = D.queued_async(semantic.delete_relationship)
    report_delivery_event = D.queued_async(semantic.report_delivery_event)

    async def flush(self, timeout: float | None = 30.0) -> DeliveryReport:
        """Send everything queued so far and wait (at most ``timeout`` s) until each is sent or failed."""
        target = self._seq
        self._flush_target = max(self._flush_target, target)
        self._wake.set()
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._resolved(target):
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                break
            self._progress.clear()
            try:
                await asyncio.wait_for(self._progress.wait(), remaining)
            except TimeoutError:
                break
        return self.report()

    def report(self) -> DeliveryReport:
        """The delivery report so far, without waiting."""
        with self._ledger.lock:
            return self._ledger.snapshot()

    async def aclose(self, timeout: float | None = 10.0) -> DeliveryReport:
        """Flush (at most ``timeout`` s), stop the tasks and close the connections; returns the final report.

        What is still undelivered at the deadline is failed with that reason (nothing stays pending).
        Closing twice is fine.
        """
        if self._closed:
            return self.report()
        self._closed = True
        self._space.set()  # producers blocked on a full queue see the close
        report = await self.flush(timeout)
        self._stopping = True
        if report.pending:
            await self._abandon(f"not delivered: the sender was closed after its {timeout:g} s deadline")
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._client.aclose()
        _live.discard(self)
        return self.report()

    async def __aenter__(self) -> AsyncSender:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ---------------------------------------------------------------- tasks

    def _start(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
            self._tasks = [loop.create_task(self._dispatch(), name="cio-async-sender-dispatch")]
            self._tasks += [loop.create_task(self._worker(), name="cio-async-sender-worker")
                            for _ in range(self.in_flight)]
        elif loop is not self._loop:
            raise CustomerIOError("AsyncSender: used from another event loop than the one it started on")
        elif self._tasks[0].done() and not self._stopping:  # the dispatcher failed: the next one takes over
            self._tasks[0] = loop.create_task(self._dispatch(), name="cio-async-sender-dispatch")

    def _resolved(self, target: int) -> bool:
        if self._emitted_upto < target:
            return False
        return all(low > target for low in self._inflight.values())

    def _due(self, pending: list[Item], first_at: float) -> bool:
        return bool(pending) and (self._stopping or self._flush_target >= pending[0][0]
                                  or time.monotonic() - first_at >= self.linger)

    async def _dispatch(self) -> None:
        planner: CallPlanner[Item] = CallPlanner(self._ledger.new_packer())
        first_at = 0.0
        try:
            while True:
                pending = planner.pending
                if not self._items and not self._due(pending, first_at):
                    self._wake.clear()
                    wait = None if not pending else max(0.0, first_at + self.linger - time.monotonic())
                    try:
                        await asyncio.wait_for(self._wake.wait(), wait)
                    except TimeoutError:
                        pass
                frames: list[Frame[Item]] = []
                if self._items:
                    items = self._items
                    taken = [items.popleft() for _ in range(min(len(items), _TAKE))]
                    self._held.extend(taken)
                    self._space.set()
                    D.plan_items(planner, taken, frames.append)
                    if planner.pending and planner.pending[0][0] >= taken[0][0]:
                        first_at = time.monotonic()  # the batch in progress began with these calls
                # A due batch still takes what is queued behind it first (a flush must not cut batches short).
                if not self._items and self._due(planner.pending, first_at) and (last := planner.flush()) is not None:
                    frames.append(last)
                for frame in frames:
                    await self._emit(frame)
        except asyncio.CancelledError:
            # Closed at its deadline: what was taken but never became a request is failed, not lost.
            with self._ledger.lock:
                self._ledger.fail_locked(list(self._held), "not sent: the sender was closed at its deadline")
            self._held.clear()
            raise
        except BaseException as exc:  # a dead dispatcher must not strand what it took off the queue
            D.log.exception("async sender dispatcher failed")
            with self._ledger.lock:
                self._ledger.fail_locked(list(self._held), f"{type(exc).__name__}: {exc}")
            if self._held:
                self._emitted_upto = max(self._emitted_upto, self._held[-1][0])
            self._held.clear()
            self._progress.set()
            raise

    async def _emit(self, frame: Frame[Item]) -> None:
        self._jobs += 1
        job = _Job(self._jobs, frame)
        await self._work.put(job)  # waits while in_flight requests are queued (the held calls stay held)
        self._inflight[job.number] = job.items[0][0]
        self._emitted_upto = max(self._emitted_upto, job.items[-1][0])
        for _ in range(len(job.items)):  # emitted calls are always the oldest held ones
            self._held.popleft()

    async def _worker(self) -> None:
        while True:
            job = await self._work.get()
            self._running[job.number] = job
            try:
                await self._deliver(job)
            finally:
                self._running.pop(job.number, None)
                self._inflight.pop(job.number, None)
                self._progress.set()

    async def _deliver(self, job: _Job) -> None:
        plan = D.deliveries(self._ledger, job.kind, job.items, job.body)
        try:
            spec = next(plan)
            while True:
                error: BaseException | None = None
                try:
                    await self._client.request(spec)
                except asyncio.CancelledError:
                    try:  # the rest of this job is failed with the reason, then the task stops
                        plan.send(SenderClosedError("not acknowledged: the sender was closed at its deadline"))
                    except StopIteration:
                        pass
                    raise
                except BaseException as exc:  # every outcome must be recorded, or flush would wait forever
                    error = exc
                spec = plan.send(error)
        except StopIteration:
            pass

    async def _abandon(self, reason: str) -> None:
        """Fail everything not yet delivered with ``reason``: queued, held by the dispatcher, waiting, in flight."""
        for task in self._tasks[:1]:  # the dispatcher fails what it holds
            task.cancel()
        await asyncio.gather(*self._tasks[:1], return_exceptions=True)
        self._stopping = True
        with self._ledger.lock:
            self._ledger.fail_locked(list(self._items), reason)
            self._ledger.fail_locked(list(self._held), reason)
            while not self._work.empty():
                job = self._work.get_nowait()
                self._ledger.fail_locked(job.items, reason)
                self._inflight.pop(job.number, None)
        self._items.clear()
        self._held.clear()
        for task in self._tasks[1:]:  # workers fail the rest of their job as they stop
            task.cancel()
        await asyncio.gather(*self._tasks[1:], return_exceptions=True)
        self._inflight.clear()
        self._emitted_upto = self._seq
        self._progress.set()
