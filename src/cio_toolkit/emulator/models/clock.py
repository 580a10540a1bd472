"""The emulator's clock: real time plus an offset that tests move forward (one clock per store).

Every "now" of the emulated workspace reads :func:`now`: people's created and updated times,
events and activities without a timestamp, deliveries and their metric times, scheduled sends,
exports, imports and signed links. What talks to the outside world stays on real time:
reporting-webhook retries and the ``X-CIO-Timestamp`` a receiver checks against its own clock,
rate limits, the request log and the emulator's uptime.

The clock only moves forward (:meth:`Clock.advance`, :meth:`Clock.set`); work that falls due is
run by :mod:`..services.scheduler`, which is what ``POST /_emulator/clock`` and
``Emulator.advance_clock`` call.
"""

from __future__ import annotations

import math
import threading
import time
import weakref

from cio_toolkit._exceptions import ValidationError

from ._sql import Database

__all__ = ["Clock", "clock_of", "now"]


class Clock:
    """Real time plus an offset; :meth:`advance` and :meth:`set` move it forward, :meth:`reset` back to real time."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Clock(offset={self._offset:g})"

    @property
    def offset(self) -> float:
        """Seconds the clock is ahead of real time."""
        return self._offset

    def now(self) -> float:
        """The emulator's current unix time."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock ``seconds`` (>= 0) ahead; return the new time."""
        _check_seconds("advance", seconds)
        with self._lock:
            self._offset += float(seconds)
            return self.now()

    def set(self, unix: float) -> float:
        """Move the clock to the unix time ``unix`` (not before the current time); return it."""
        _check_seconds("now", unix)
        with self._lock:
            current = self.now()
            if unix < current:
                raise ValidationError(
                    "the emulator's clock only moves forward", field="now", limit=f">= {current:.0f}", actual=unix
                )
            self._offset += unix - current
            return self.now()

    def reset(self) -> None:
        """Back to real time."""
        with self._lock:
            self._offset = 0.0


def _check_seconds(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ValidationError(f"{name} must be a non-negative number of seconds", field=name, limit=">= 0",
                              actual=value)


_CLOCKS: weakref.WeakKeyDictionary[Database, Clock] = weakref.WeakKeyDictionary()
_CLOCKS_LOCK = threading.Lock()


def clock_of(db: Database) -> Clock:
    """The clock of the emulator that owns ``db`` (created on first use)."""
    found = _CLOCKS.get(db)
    if found is None:
        with _CLOCKS_LOCK:
            found = _CLOCKS.setdefault(db, Clock())
    return found


def now(db: Database) -> float:
    """The current unix time of the emulator that owns ``db``."""
    return clock_of(db).now()
