"""Client-side rate limits: one budget per (API, endpoint class), shared by every thread and task.

A sliding-window limiter: at most ``limit`` grants in any window of ``period`` seconds, which is
how Customer.io states its limits ("3000 requests per 3 seconds"). A token bucket would allow
twice the budget across a window boundary. Grants are reserved under a lock and the caller then
sleeps (``time.sleep`` or ``asyncio.sleep``) outside it, so threads and asyncio tasks of one
process share the same budget.

Each limiter keeps its recent grants (:class:`Grant`), on its own clock: when a slot was asked for and
when it opened. That is what the budget is about (a send may start no earlier than its grant), so
tests check the budget there rather than in arrival times at a server, which include connection
set-up and scheduling delays of a busy machine.
"""

from __future__ import annotations

import asyncio
import collections
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from . import _constants as C

__all__ = ["RateLimit", "RateLimiter", "Grant", "get_limiter", "DEFAULT_LIMITS"]


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` requests in any ``period`` seconds."""

    limit: int
    period: float

    def __post_init__(self) -> None:
        if self.limit < 1 or self.period <= 0:
            raise ValueError(f"rate limit must be >= 1 per > 0 s, got {self.limit}/{self.period}s")


# (api, endpoint class) -> documented default
DEFAULT_LIMITS: dict[tuple[str, str], RateLimit] = {
    ("pipelines", "default"): RateLimit(*C.PIPELINES_RATE),
    ("track", "default"): RateLimit(*C.TRACK_RATE),
    ("app", "default"): RateLimit(*C.APP_RATE),
    ("app", "transactional"): RateLimit(*C.APP_TRANSACTIONAL_RATE),
    ("app", "broadcast_trigger"): RateLimit(*C.APP_BROADCAST_TRIGGER_RATE),
}


@dataclass(frozen=True, slots=True)
class Grant:
    """One reserved slot, on the limiter's clock: when it was ``asked`` for and when it opened (``granted``)."""

    asked: float
    granted: float

    @property
    def wait(self) -> float:
        """Seconds the caller had to wait for the slot (0 when the budget had room)."""
        return self.granted - self.asked


class RateLimiter:
    """Sliding-window limiter; ``acquire()`` blocks, ``acquire_async()`` awaits.

    ``clock`` (``time.monotonic`` by default) is what slots are measured on; the last ``history``
    grants stay readable through :meth:`grants`.
    """

    def __init__(self, rate: RateLimit, *, clock: Callable[[], float] = time.monotonic,
                 history: int = 1024) -> None:
        self.rate = rate
        self.clock = clock
        self._lock = threading.Lock()
        self._grants: collections.deque[float] = collections.deque()
        self._history: collections.deque[Grant] = collections.deque(maxlen=history)

    def grants(self) -> list[Grant]:
        """The most recent grants (up to ``history``), oldest first."""
        with self._lock:
            return list(self._history)

    def reserve(self) -> float:
        """Reserve the next slot; return how many seconds the caller must wait before sending."""
        with self._lock:
            now = self.clock()
            grants = self._grants
            at = now
            if grants:
                at = max(at, grants[-1])
            if len(grants) >= self.rate.limit:
                at = max(at, grants[-self.rate.limit] + self.rate.period)
            grants.append(at)
            self._history.append(Grant(now, at))
            # Keep only what can still constrain a future grant.
            while len(grants) > self.rate.limit:
                grants.popleft()
            return at - now

    def acquire(self) -> float:
        """Block until a request may be sent; return the seconds waited."""
        wait = self.reserve()
        if wait > 0:
            time.sleep(wait)
        return wait

    async def acquire_async(self) -> float:
        """Await until a request may be sent; return the seconds waited."""
        wait = self.reserve()
        if wait > 0:
            await asyncio.sleep(wait)
        return wait


_registry: dict[tuple[str, str, RateLimit], RateLimiter] = {}
_registry_lock = threading.Lock()


def get_limiter(api: str, endpoint_class: str = "default", rate: RateLimit | None = None) -> RateLimiter:
    """Return the process-wide limiter for ``api``/``endpoint_class`` (documented default unless ``rate``)."""
    if rate is None:
        rate = DEFAULT_LIMITS.get((api, endpoint_class)) or DEFAULT_LIMITS[(api, "default")]
    key = (api, endpoint_class, rate)
    with _registry_lock:
        limiter = _registry.get(key)
        if limiter is None:
            limiter = _registry[key] = RateLimiter(rate)
        return limiter


def _after_fork() -> None:
    # A child must not inherit locks held by threads that do not exist in it.
    global _registry_lock
    _registry_lock = threading.Lock()
    _registry.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)
