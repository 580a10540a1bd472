"""What the thread and asyncio senders share: options, the report, admitting a call, delivering a batch.

A call is admitted once, in the caller: normalized, encoded to bytes (the only serialization it
ever gets) and size-checked, so a bad call raises where it was sent. From then on only bytes
move: the packer of :mod:`cio_toolkit._wire` frames them into /v1/batch bodies, and a batch
refused as invalid is split in halves until the bad calls are found (:func:`deliveries`, a plan
of requests that the thread and the asyncio sender each drive with their own I/O).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Coroutine, Generator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Concatenate, Literal, ParamSpec

from .. import _constants as C
from .._config import Settings
from .._exceptions import BadRequestError, CustomerIOError, PayloadTooLargeError, ValidationError
from .._transport import RequestSpec
from .._wire import BATCHABLE_TYPES, CallPlanner, Frame, Packer
from ._batch import PackedBatch, call_packer
from ._calls import encode_call
from ._requests import batch_spec, normalize_call, single_call_spec

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DeliveryReport", "Item", "Ledger", "OnDrop", "OnFull", "QueueFullError", "SenderClosedError",
           "SenderCore", "admit", "check_options", "deliveries", "plan_items", "queued", "queued_async"]

log = logging.getLogger("cio_toolkit.pipelines.sender")

OnFull = Literal["block", "raise", "drop"]
OnDrop = Callable[[Mapping[str, Any], str], None]
# One accepted call: (sequence number, messageId, encoded call, type).
Item = tuple[int, str, bytes, str]
_P = ParamSpec("_P")


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


def check_options(*, on_full: str, max_queue: int, in_flight: int, block_timeout: float, linger: float,
                  **seconds: float) -> None:
    """Refuse a sender option out of its range, naming it (the timeouts in ``seconds`` too)."""
    if on_full not in ("block", "raise", "drop"):
        raise ValidationError(f"on_full: {on_full!r} is not one of block, raise, drop", field="on_full",
                              limit=("block", "raise", "drop"))
    for name, value, low in (("max_queue", max_queue, 1), ("in_flight", in_flight, 1)):
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise ValidationError(f"{name}: must be an integer >= {low}, got {value!r}", field=name, limit=low)
    for name, number in (("block_timeout", block_timeout), ("linger", linger), *seconds.items()):
        if not isinstance(number, int | float) or number < 0:
            raise ValidationError(f"{name}: must be >= 0 seconds, got {number!r}", field=name, limit=0)


class Ledger:
    """The counts of one sender and the packer rule of its batches; every count changes under ``lock``."""

    def __init__(self, *, strict: bool, context: Mapping[str, Any] | None, integrations: Mapping[str, Any] | None,
                 max_batch_bytes: int = C.PIPELINES_MAX_BATCH_BYTES) -> None:
        self.strict = strict
        self.context = dict(context) if context else None
        self.integrations = dict(integrations) if integrations else None
        self.max_batch_bytes = max_batch_bytes
        # Fails now (not in a thread or task) when context/integrations alone exceed the batch limit.
        self.max_part = max_batch_bytes - self.new_packer().overhead
        self.lock = threading.Lock()
        self.report = DeliveryReport()

    def new_packer(self) -> Packer[Any]:
        """An empty packer for this sender's batch bodies."""
        return call_packer(context=self.context, integrations=self.integrations, max_batch_bytes=self.max_batch_bytes)

    def snapshot(self) -> DeliveryReport:
        """A copy of the report (call with ``lock`` held)."""
        r = self.report
        return DeliveryReport(
            accepted=r.accepted, sent=r.sent, failed=r.failed, dropped=r.dropped,
            pending=r.accepted - r.sent - r.failed, requests=r.requests, bytes_sent=r.bytes_sent,
            errors=dict(r.errors),
        )

    def fail_locked(self, items: list[Item], reason: str) -> None:
        """Count ``items`` as failed for ``reason`` (``lock`` held)."""
        self.report.failed += len(items)
        for item in items:
            self.report.errors[item[1]] = reason

    def failed(self, items: list[Item], exc: BaseException) -> None:
        """Count ``items`` as failed with ``exc``."""
        with self.lock:
            self.fail_locked(items, f"{type(exc).__name__}: {exc}")

    def repack(self, items: list[Item]) -> bytes:
        """The body of a part of a batch (a part of a batch that fit always fits)."""
        packer = self.new_packer()
        packer.extend([item[2] for item in items], items, lambda frame: None)
        packed = packer.flush()
        assert packed is not None
        return packed.body


class SenderCore:
    """The options and the full-queue policy both senders share (each does its own waiting)."""

    max_queue: int
    _closed: bool
    _ledger: Ledger

    def _configure(self, client: Any, settings: Settings | None, strict: bool | None, client_kw: Mapping[str, Any],
                   **options: Any) -> tuple[Settings, dict[str, Any]]:
        """Take the options (checked); return the settings and transport keywords to connect with."""
        batch = {k: options.pop(k) for k in ("context", "integrations", "max_batch_bytes")}
        on_drop = options.pop("on_drop")
        check_options(**options)
        kw = dict(client_kw)
        if client is not None:
            settings = settings or client.settings
            strict = client.strict if strict is None else strict
            kw = {**client._client_kw, **client_kw}
        self.strict = True if strict is None else strict
        self.max_queue = options["max_queue"]
        self.on_full: OnFull = options["on_full"]
        self.block_timeout = float(options["block_timeout"])
        self.on_drop: OnDrop | None = on_drop
        self.in_flight: int = options["in_flight"]
        self.linger = float(options["linger"])
        self._batch = batch
        self._ledger = self._new_ledger()  # refuses context/integrations too large for any batch, here
        self._closed = False
        settings = settings or Settings()
        settings.require("pipelines")
        return settings, kw

    def _new_ledger(self) -> Ledger:
        return Ledger(strict=self.strict, **self._batch)

    def _full(self) -> bool:
        """While the queue is full: raise as the policy says, or say whether to wait for room (False: drop)."""
        if self._closed:
            raise SenderClosedError("send: this sender was closed while waiting for queue space")
        if self.on_full == "raise":
            raise QueueFullError(f"send: the queue is full ({self.max_queue} calls waiting)")
        return self.on_full == "block"

    def _stayed_full(self) -> QueueFullError:
        return QueueFullError(f"send: the queue stayed full ({self.max_queue} calls) for {self.block_timeout:g} s")

    def _dropped(self, body: Mapping[str, Any]) -> None:
        """Tell ``on_drop`` about a dropped call (outside any lock)."""
        if self.on_drop is not None:
            try:
                self.on_drop(body, f"queue full ({self.max_queue} calls waiting)")
            except Exception:  # a failing callback must not break the producer
                log.exception("on_drop callback failed")


def admit(call: Mapping[str, Any], max_part: int, max_batch_bytes: int, *,
          built: bool = False) -> tuple[dict[str, Any], str, bytes, str]:
    """Check and encode one call: (its body, messageId, encoded bytes, type); raises on a bad or oversized call.

    ``built``: the call comes straight from a builder (a fresh dict with its type and messageId).
    """
    body: dict[str, Any] = call if built else normalize_call(call)  # type: ignore[assignment]
    encoded = encode_call(body)
    if len(encoded) > max_part:
        raise PayloadTooLargeError(
            f"{body['type']} call of {len(encoded)} bytes does not fit a {max_batch_bytes}-byte batch "
            "with this sender's context and integrations",
            field=f"{body['type']} call", limit=max_batch_bytes, actual=len(encoded),
        )
    return body, str(body["messageId"]), encoded, str(body["type"])


def plan_items(planner: CallPlanner[Item], taken: list[Item], emit: Callable[[Frame[Item]], None]) -> None:
    """Plan accepted calls in order: runs of batchable calls through the packer's hot loop, an alias on its own."""
    start = 0
    for i, item in enumerate(taken):
        if item[3] not in BATCHABLE_TYPES:
            if i > start:
                run = taken[start:i]
                planner.packer.extend([it[2] for it in run], run, emit)
            for frame in planner.add(item[3], item[2], item):
                emit(frame)
            start = i + 1
    if start < len(taken):
        run = taken[start:]
        planner.packer.extend([it[2] for it in run], run, emit)


def deliveries(ledger: Ledger, kind: Literal["batch", "single"], items: list[Item],
               body: bytes | None) -> Generator[RequestSpec, BaseException | None, None]:
    """The requests that deliver ``items``; each yield is answered with the error it met, or None.

    Strict mode rejects a whole batch for one bad call, so a refused batch is split in halves
    until the bad calls are found and the others go through. Every outcome is counted.
    """
    plan: list[tuple[Literal["batch", "single"], list[Item], bytes | None]] = [(kind, items, body)]
    while plan:
        kind, items, body = plan.pop()
        try:
            if kind == "single":
                _, mid, encoded, type_ = items[0]
                spec = single_call_spec({"type": type_, "messageId": mid}, strict=ledger.strict, encoded=encoded)
            else:
                spec = batch_spec(PackedBatch(body if body is not None else ledger.repack(items),
                                              [item[1] for item in items]), strict=ledger.strict)
        except Exception as exc:  # every outcome must be recorded, or a flush would wait forever
            ledger.failed(items, exc)
            continue
        error = yield spec
        if error is None:
            with ledger.lock:
                ledger.report.sent += len(items)
                ledger.report.requests += 1
                ledger.report.bytes_sent += len(spec.content or b"")
        elif isinstance(error, BadRequestError) and kind == "batch" and len(items) > 1:
            half = len(items) // 2
            plan += [("batch", items[half:], None), ("batch", items[:half], None)]
        elif isinstance(error, SenderClosedError):  # closed at its deadline: nothing more goes out
            ledger.failed([item for _, part, _ in plan for item in part] + items, error)
            return
        else:
            ledger.failed(items, error)


def _derived(build: Callable[..., Any], method: Callable[..., Any], returns: str) -> None:
    import inspect

    params = list(inspect.signature(build).parameters.values())
    self_param = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    method.__signature__ = inspect.Signature([self_param, *params], return_annotation=returns)  # type: ignore[attr-defined]
    what = (build.__doc__ or build.__name__).splitlines()[0].rstrip(".")
    method.__name__ = method.__qualname__ = build.__name__
    method.__doc__ = f"Queue {what[0].lower()}{what[1:]}; returns its messageId."


def queued(build: Callable[_P, dict[str, Any]]) -> Callable[Concatenate[Any, _P], str]:
    """A sender method taking exactly ``build``'s keywords and queuing the call it builds."""
    allowed: frozenset[str] | None = getattr(build, "__cio_allowed__", None)
    inner: Callable[..., dict[str, Any]] = getattr(build, "__wrapped__", build) if allowed is not None else build

    def method(self: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> str:
        # The builder's own keyword check, inlined: an unknown keyword raises from the builder itself.
        make = inner if allowed is None or allowed.issuperset(kwargs) else build
        return self._send_built(make(*args, **kwargs))  # type: ignore[no-any-return]

    _derived(build, method, "str")
    return method


def queued_async(build: Callable[_P, dict[str, Any]]) -> Callable[Concatenate[Any, _P], Coroutine[Any, Any, str]]:
    """As :func:`queued`, for the asyncio sender: the method is awaited (and waits when its policy blocks)."""

    allowed: frozenset[str] | None = getattr(build, "__cio_allowed__", None)
    inner: Callable[..., dict[str, Any]] = getattr(build, "__wrapped__", build) if allowed is not None else build

    async def method(self: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> str:
        make = inner if allowed is None or allowed.issuperset(kwargs) else build
        return await self._send_built(make(*args, **kwargs))  # type: ignore[no-any-return]

    _derived(build, method, "str")
    return method
