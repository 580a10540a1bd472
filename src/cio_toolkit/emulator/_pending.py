"""Writes whose effect is pending: one first-in first-out queue on the emulator's clock.

Each write gets an apply time of ``max(previous apply time, now + delay)``, the delay drawn per
write from ``(min, max)`` by a seeded random generator. The queue is therefore ordered by apply
time as well as by arrival, so a later write never overtakes an earlier one, and one seed gives
the same delays in every run. What a write *is* does not matter here (:mod:`.services.ingest`
fills the queue and applies what falls due).
"""

from __future__ import annotations

import collections
import math
import random
import threading
from typing import Generic, TypeVar

__all__ = ["PendingWrites"]

_T = TypeVar("_T")


class PendingWrites(Generic[_T]):
    """The queue of one emulator; ``push`` on arrival, ``pop`` what is due (or everything)."""

    def __init__(self, delay: tuple[float, float], seed: int) -> None:
        self.delay = delay
        self._random = random.Random(seed)
        self._items: collections.deque[tuple[float, _T]] = collections.deque()
        self._last = -math.inf
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"PendingWrites(delay={self.delay}, pending={len(self)})"

    def push(self, work: _T, now: float) -> float:
        """Queue ``work`` arriving at ``now``; return the time it falls due."""
        low, high = self.delay
        with self._lock:
            due = max(self._last, now + (low if low == high else self._random.uniform(low, high)))
            self._last = due
            self._items.append((due, work))
        return due

    def pop(self, now: float, *, everything: bool = False) -> _T | None:
        """The oldest write if it is due by ``now`` (any, with ``everything``), else None."""
        with self._lock:
            if self._items and (everything or self._items[0][0] <= now):
                return self._items.popleft()[1]
        return None

    def next_due(self) -> float | None:
        """When the oldest write falls due (None when nothing is pending)."""
        with self._lock:
            return self._items[0][0] if self._items else None

    def clear(self) -> None:
        """Forget every pending write (a reset)."""
        with self._lock:
            self._items.clear()
            self._last = -math.inf
