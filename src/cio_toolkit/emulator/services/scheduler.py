"""Work that falls due on the emulator's clock: scheduled sends (a transactional ``send_at``).

Due work runs in two ways, both on the emulator's event loop (where the requests run, so the
delivery listeners such as the reporting-webhook sender hear it there):

- when the clock is moved (:func:`move_clock`: ``POST /_emulator/clock`` or
  ``Emulator.advance_clock``), everything due by the new time runs before the call returns, so a
  test needs no sleep;
- as real time passes, a background task started with the serving loop (an ``on_serving`` hook,
  like the webhook sender's) runs what fell due, waking at the next due time and at least once a
  second (the clock may have been moved meanwhile). When the emulator stops, its loop cancels the
  task; the schedule is in the store, and the task of the next serving loop picks it up.

A delivery is taken off the schedule in the same transaction that finds it due, so the two
ways never send one twice.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import weakref
from typing import TYPE_CHECKING, Any

from ..models import Store
from ..models.clock import now
from ..models.messages import next_send_at
from ..registry import on_serving
from .deliveries import deliver_due

if TYPE_CHECKING:
    from ..state import EmulatorState

__all__ = ["move_clock", "run_due"]

logger = logging.getLogger("cio_toolkit.emulator.scheduler")

_LONGEST_NAP = 1.0  # seconds: the real-time task looks again at least this often
_SHORTEST_NAP = 0.01
_TASKS: weakref.WeakKeyDictionary[Store, asyncio.Task[None]] = weakref.WeakKeyDictionary()


def run_due(store: Store) -> int:
    """Run the work due by the store's clock; return how many scheduled sends were delivered."""
    return deliver_due(store)


def move_clock(state: EmulatorState, *, advance: float | None = None, to: float | None = None) -> dict[str, Any]:
    """Move the clock ``advance`` seconds ahead or ``to`` a unix time, run what fell due, and say where it stands.

    Returns ``{"now", "offset", "delivered"}``; with neither argument it only runs what is due.
    Raises ``ValidationError`` for a negative step or a time before the current one.
    """

    def work() -> dict[str, Any]:
        if to is not None:
            state.clock.set(to)
        if advance is not None:
            state.clock.advance(advance)
        delivered = run_due(state.store)
        return {"now": state.clock.now(), "offset": state.clock.offset, "delivered": delivered}

    return state.on_loop(work)


def _nap(store: Store) -> float:
    due = next_send_at(store)
    if due is None:
        return _LONGEST_NAP
    return min(_LONGEST_NAP, max(_SHORTEST_NAP, due - now(store)))


async def _run_in_real_time(ref: weakref.ReferenceType[Store]) -> None:
    while True:
        store = ref()
        if store is None:
            return
        try:
            run_due(store)
            nap = _nap(store)
        except sqlite3.ProgrammingError:  # the store was closed: nothing is left to send
            return
        except Exception:  # never let one bad row stop the schedule
            logger.exception("could not run the scheduled sends that fell due")
            nap = _LONGEST_NAP
        del store  # the task must not keep a discarded emulator's store alive
        await asyncio.sleep(nap)


@on_serving
def _start(state: EmulatorState) -> None:
    """On the serving loop: start the real-time task (one per store and loop)."""
    loop = asyncio.get_running_loop()
    task = _TASKS.get(state.store)
    if task is not None and not task.done() and task.get_loop() is loop:
        return
    _TASKS[state.store] = loop.create_task(_run_in_real_time(weakref.ref(state.store)), name="cio-emulator-scheduler")
