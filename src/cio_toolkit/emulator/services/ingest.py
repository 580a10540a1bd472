"""Deferred writes: Track and Pipelines writes answered at once and applied later, in order.

Customer.io processes Track and Pipelines writes asynchronously: an App API read right after a
write may not see it yet. With a visibility delay (the production profile, or
``visibility_delay=``), the request pipeline (:func:`..app._run_handler`) hands every write of
those two APIs to :func:`accept`, which runs the operation's synchronous checks (its
:func:`~..registry.precheck`, see :mod:`..handlers.prechecks`), answers what the handler answers
for an accepted write, and queues the handler call itself on the emulator's
:class:`~.._pending.PendingWrites` (one FIFO: a write falls due at
``max(previous due time, now + delay)``, so a later write never overtakes an earlier one). The
checks before the handler (auth 401, rate limit 429, body size 413, spec validation 400) are
answered at once as always.

========================================  =============================================  ==================
write                                     answered at once                               applied later
========================================  =============================================  ==================
Track identify                            id and attribute limits (400)                  create / update
Track track, trackAnonymous               event name and data limits (400)               the event
Track pushMetrics                         delivery_id and event required (400)           the metric
Track add_to_segment, remove_from_segment segment exists (404), is manual (400)          the membership
Track submitForm                          email or id, field limits (400); 204           identify, the form
Track entity                              size, item rules and limits (400)              the item
Track batch                               size (400); per-item rules (207 ``errors``)    the valid items
Track merge                               nothing beyond the spec                        the merge (a
                                                                                         missing primary
                                                                                         fails then)
Track delete, add_device, delete_device,  nothing beyond the spec                        the change
suppress, unsuppress, unsubscribe, metrics
Pipelines identify, track, page, screen,  nothing beyond the spec                        the call, once per
group, alias                                                                             messageId
Pipelines batch                           per-item refusals (strict mode: 400 naming     the valid items,
                                          each item)                                     strict or not
========================================  =============================================  ==================

Due writes are applied on the serving loop (where requests run, so reporting-webhook listeners
hear their effects there): by a background task started with the loop that wakes when a write
arrives and when the oldest one falls due; by :func:`apply_due` when a test moves the clock
(``Emulator.advance_clock``); all of them by :func:`settle` (``Emulator.settle()``) and when the
server shuts down. Every applied write adds a request-log entry (``"applies": <request_id>``);
one whose effect differs from the answer given (a merge whose primary never arrived, a handler
crash) is counted as ``writes_failed`` and its entry keeps the outcome, so nothing is lost
silently. ``writes_deferred`` and ``writes_applied`` count the rest.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson
from starlette.responses import Response

from ..registry import EmulatorHTTPError, RequestContext, get_precheck, on_serving, to_response

if TYPE_CHECKING:
    from ..state import EmulatorState

__all__ = ["accept", "apply_due", "defers", "settle"]

logger = logging.getLogger("cio_toolkit.emulator.ingest")

_DEFERRED_APIS = frozenset({"track_api", "pipelines_api"})
_READS = frozenset({"GET", "HEAD"})
_LONGEST_NAP = 1.0  # seconds; a new write wakes the task sooner
_SHORTEST_NAP = 0.001
_TASKS: weakref.WeakKeyDictionary[EmulatorState, tuple[asyncio.Task[None], asyncio.Event]] = (
    weakref.WeakKeyDictionary()
)

Outcome = tuple[int, Any]  # (status, JSON body or error messages): what an answer or an effect came to


@dataclass(slots=True)
class _Write:
    """One accepted write: its handler, its request, and the answer the client was given."""

    fn: Callable[[RequestContext], Awaitable[Any]]
    ctx: RequestContext
    request_id: str
    answered: Outcome
    accepted_at: float  # the emulator clock


def defers(state: EmulatorState, api: str, method: str) -> bool:
    """Whether this request is a write whose effect waits for the visibility delay."""
    return state.pending is not None and api in _DEFERRED_APIS and method not in _READS


async def accept(
    state: EmulatorState, fn: Callable[[RequestContext], Awaitable[Any]], ctx: RequestContext,
    entry: dict[str, Any],
) -> Response:
    """Run the write's synchronous checks, queue its handler call when accepted, and return the answer.

    Raises the precheck's :class:`EmulatorHTTPError` (the pipeline answers it as a handler's).
    """
    check = get_precheck(ctx.api, ctx.operation_id)
    applies_refused = check is not None and check.apply_refused
    try:
        answer = to_response({} if check is None or (found := check.check(ctx)) is None else found)
    except EmulatorHTTPError as exc:
        if applies_refused:
            _queue(state, fn, ctx, entry, _refusal(exc))
        raise
    if 200 <= answer.status_code < 300 or applies_refused:
        _queue(state, fn, ctx, entry, _outcome(answer))
    return answer


def _queue(
    state: EmulatorState, fn: Callable[[RequestContext], Awaitable[Any]], ctx: RequestContext,
    entry: dict[str, Any], answered: Outcome,
) -> None:
    assert state.pending is not None
    now = state.clock.now()
    # The handler gets a context of its own: what it finds wrong is logged with its effect.
    write = _Write(fn, dataclasses.replace(ctx, validation_errors=[]), entry["request_id"], answered, now)
    entry["applies_in_s"] = round(state.pending.push(write, now) - now, 3)
    state.count("writes_deferred")
    found = _TASKS.get(state)
    if found is not None:
        found[1].set()


def _outcome(response: Response) -> Outcome:
    body = bytes(getattr(response, "body", b"") or b"")
    try:
        return response.status_code, orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        return response.status_code, body.decode("utf-8", "replace")


def _refusal(exc: EmulatorHTTPError) -> Outcome:
    return exc.status, [str(issue) for issue in exc.issues]


async def apply_due(state: EmulatorState, *, everything: bool = False) -> int:
    """Apply the writes due by the emulator's clock (all pending ones with ``everything``), oldest
    first; return how many. Call it on the serving loop."""
    pending, applied = state.pending, 0
    while pending is not None and (write := pending.pop(state.clock.now(), everything=everything)) is not None:
        await _apply(state, write)
        applied += 1
    return applied


def settle(state: EmulatorState) -> int:
    """Apply every pending write now, from any thread; return how many (``Emulator.settle()``)."""
    if state.pending is None:
        return 0
    return state.await_on_loop(lambda: apply_due(state, everything=True))


async def _apply(state: EmulatorState, write: _Write) -> None:
    ctx = write.ctx
    try:
        outcome = _outcome(to_response(await write.fn(ctx)))
    except EmulatorHTTPError as exc:
        outcome = _refusal(exc)
    except Exception as exc:  # a crash is recorded like a request's, never lost with the write
        logger.exception("emulator error applying %s.%s", ctx.api, ctx.operation_id)
        state.count("handler_errors")
        outcome = (500, [f"emulator error: {type(exc).__name__}: {exc}"])
    entry = _entry(write, outcome)
    if outcome == write.answered:
        state.count("writes_applied")
    else:
        state.count("writes_failed")
        entry.update(answered=write.answered[0], outcome=outcome[1])
        logger.warning("%s.%s answered %s, then applied as %s", ctx.api, ctx.operation_id,
                       write.answered[0], outcome[0])
    state.log.record(entry)


def _entry(write: _Write, outcome: Outcome) -> dict[str, Any]:
    """The request-log entry of an applied write, pointing at the request it applies."""
    ctx = write.ctx
    entry: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "api": ctx.api,
        "operationId": ctx.operation_id,
        "method": ctx.method,
        "path": ctx.path,
        "status": outcome[0],
        "validation": None,  # validated when it was answered, in the entry of ``applies``
        "request_id": f"{write.request_id}-applied",
        "applies": write.request_id,
        "delay_s": round(ctx.store.clock.now() - write.accepted_at, 3),
    }
    if ctx.validation_errors:
        entry["item_errors"] = list(ctx.validation_errors)
    return entry


def _nap(state: EmulatorState) -> float:
    due = None if state.pending is None else state.pending.next_due()
    if due is None:
        return _LONGEST_NAP
    return min(_LONGEST_NAP, max(_SHORTEST_NAP, due - state.clock.now()))


async def _run_in_real_time(ref: weakref.ReferenceType[EmulatorState], wake: asyncio.Event) -> None:
    while (state := ref()) is not None:
        try:
            await apply_due(state)
        except Exception:  # never let one bad write stop the others
            logger.exception("could not apply the writes that fell due")
        nap = _nap(state)
        del state  # the task must not keep a discarded emulator alive
        try:
            await asyncio.wait_for(wake.wait(), nap)
        except TimeoutError:
            pass
        wake.clear()


@on_serving
def _start(state: EmulatorState) -> None:
    """On the serving loop: start the task that applies writes as they fall due (one per state and loop)."""
    if state.pending is None:
        return
    wake = asyncio.Event()
    task = asyncio.get_running_loop().create_task(_run_in_real_time(weakref.ref(state), wake),
                                                  name="cio-emulator-ingest")
    _TASKS[state] = (task, wake)

