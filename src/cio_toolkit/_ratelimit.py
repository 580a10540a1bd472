"""Client-side rate control: one controller per (API, endpoint class, target), shared by every thread and task.

Each controller applies two rules and grants the later of their slots:

* the documented budget, as a sliding window: at most ``limit`` grants in any window of
  ``period`` seconds, which is how Customer.io states its limits ("3000 requests per 3 seconds")
  (a token bucket would allow twice the budget across a window boundary); ``share`` scales it,
  so that processes dividing one budget (Spark executors) each take their part;
* the rate the server was found to take: after a 429 the controller paces its grants evenly at a
  learned rate, cut to ``BACKOFF`` of the rate that drew the 429 and then grown back along a cubic
  curve of time (flat near the rate of the last 429, steeper beyond it), so it settles just under
  the server's real limit instead of meeting it again and again. A 429 drawn by a probe above
  that plateau at about the same rate confirms the limit: pacing then restarts on the plateau and
  stays there longer before the next probe (longer still, and a step lower, when the server sends
  ``Retry-After``, whose pause costs every request of the controller). 429s on that plateau when
  the server took all of it (requests bunch up on a busy machine) step it down, one at a time.
  A 429 for a request sent before the last cut is part of the same overload and does not cut
  again. ``Retry-After`` pauses every grant of the controller for exactly that long; a caller
  whose slot fell inside the pause takes a new, paced one after it (no burst at its end).

Grants are reserved under a lock and the caller then sleeps (``time.sleep`` or ``asyncio.sleep``)
outside it, so threads and asyncio tasks of one process share the same controller. Everything is
measured on the controller's ``clock``, which tests replace: each keeps its recent grants
(:class:`Grant`: when a slot was asked for and when it opened), and the budget is checked there
rather than in arrival times at a server, which include connection set-up and scheduling delays.
"""

from __future__ import annotations

import asyncio
import collections
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from . import _constants as C

__all__ = ["RateLimit", "RateLimiter", "Grant", "BudgetExhausted", "get_limiter", "limiters_for", "DEFAULT_LIMITS"]


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` requests in any ``period`` seconds."""

    limit: int
    period: float

    def __post_init__(self) -> None:
        if self.limit < 1 or self.period <= 0:
            raise ValueError(f"rate limit must be >= 1 per > 0 s, got {self.limit}/{self.period}s")

    @property
    def per_second(self) -> float:
        """The budget as requests per second."""
        return self.limit / self.period


# (api, endpoint class) -> documented default
DEFAULT_LIMITS: dict[tuple[str, str], RateLimit] = {
    ("pipelines", "default"): RateLimit(*C.PIPELINES_RATE),
    ("track", "default"): RateLimit(*C.TRACK_RATE),
    ("app", "default"): RateLimit(*C.APP_RATE),
    ("app", "transactional"): RateLimit(*C.APP_TRANSACTIONAL_RATE),
    ("app", "broadcast_trigger"): RateLimit(*C.APP_BROADCAST_TRIGGER_RATE),
    ("app", "archived_message"): RateLimit(*C.APP_ARCHIVED_MESSAGE_RATE),
}
# Endpoint classes whose requests also draw on another class's budget (getArchivedMessage: 100 a
# day, and the App API's 10 per second).
ALSO_DRAWS: dict[tuple[str, str], tuple[str, ...]] = {("app", "archived_message"): ("default",)}

BACKOFF = 0.75  # a 429 cuts the learned rate to this share of the rate that drew it
PLATEAU = 0.95  # and it grows back to this share of it, where it stays longest (just under the limit)
RECOVERY = 3.0  # seconds after a cut until the learned rate is back on its plateau
# A 429 at about the same rate as the last one confirms the limit: pacing then restarts on the
# plateau (no deeper cut) and holds it this long before probing above it again, doubled (up to the
# maximum) at each further confirmation, so that a limit found twice is probed less and less often.
HOLD, MAX_HOLD = 6.0, 120.0
# A 429 with Retry-After costs the whole controller that pause; once the limit is confirmed, the
# hold is long enough that such pauses take at most this share of the time.
_PAUSE_COST = 0.03
_SAME_PEAK = 0.1  # "about the same rate": within this fraction
_MEASURE = 1.0  # seconds of recent grants that tell the rate a first 429 was drawn at
# A server remembers what it accepted for its window (often a second): 429s that soon after a cut
# are that memory, not a new overload, so they pause the controller (doubling) instead of cutting again.
_GRACE = 1.0
# A first 429 teaches a pace only when the last second shows what the server took (this many
# accepted requests at least); before that, as in the grace period, it only pauses.
_MIN_SAMPLE = 4
_FIRST_PAUSE = 0.05  # seconds of the first such pause with no pace to measure it by
# A sleep may end a hair before its deadline: that is not a pause begun while it slept.
_EARLY = 0.001
_BUNCHED_SPAN = 10.0  # seconds: two 429s on a confirmed plateau within this step it down


class BudgetExhausted(Exception):
    """The next slot opens later than the caller may wait (``wait`` seconds from now); nothing was reserved."""

    def __init__(self, wait: float, rate: RateLimit) -> None:
        super().__init__(f"next slot in {wait:.1f} s")
        self.wait = wait
        self.rate = rate


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
    """The rate controller of one endpoint class: ``acquire()`` blocks, ``acquire_async()`` awaits.

    ``rate`` is the documented budget (the ceiling); ``share`` (settable, 0 to 1) the part of it
    this process may use. Answers are reported with :meth:`observe`; :attr:`learned` is the pace
    found after a 429 (None while the budget alone applies). ``clock`` (``time.monotonic`` by
    default) is what slots are measured on; the last ``history`` grants stay readable through
    :meth:`grants`.
    """

    def __init__(self, rate: RateLimit, *, clock: Callable[[], float] = time.monotonic,
                 history: int = 1024) -> None:
        self.rate = rate
        self.clock = clock
        self._lock = threading.Lock()
        self._share = 1.0
        self._grants: collections.deque[float] = collections.deque()
        self._history: collections.deque[Grant] = collections.deque(maxlen=history)
        # When recent requests that were accepted had been sent: the rate the server took.
        self._accepted: collections.deque[float] = collections.deque(
            maxlen=max(2, math.ceil(rate.per_second * _MEASURE) + 1))
        self._peak = 0.0  # the rate the pace curve is drawn from (0: no 429 yet, or grown back)
        self._found = 0.0  # the rate the server took when the last 429 that cut came
        self._cut_at = -math.inf  # when it happened
        self._reacted_at = -math.inf  # the last cut or pause a 429 caused
        self._strikes = 0  # 429s in the grace period of the last cut
        self._hold = 0.0  # seconds on the plateau before probing (0 until a limit is confirmed)
        self._offset = 0.0  # where on the curve pacing restarted: 0 (the cut) or RECOVERY (the plateau)
        self._bunched_at = -math.inf  # the last 429 on a confirmed plateau the server had taken in full
        self._resume_at = -math.inf  # when pacing restarted after it (after any Retry-After)
        self._paused_until = -math.inf
        self._next_paced = -math.inf
        self.answered = 0  # answers reported through observe()
        self.throttled = 0  # of which 429s

    # ---------------------------------------------------------------- settings

    @property
    def share(self) -> float:
        """The part of the documented budget this process may use (1.0: all of it)."""
        return self._share

    @share.setter
    def share(self, value: float) -> None:
        if not 0 < value <= 1:
            raise ValueError(f"share must be in (0, 1], got {value!r}")
        with self._lock:
            self._share = float(value)

    def _ceiling(self) -> tuple[int, float]:
        # The window limit and its rate per second, after the share.
        limit = max(1, int(self.rate.limit * self._share))
        return limit, limit / self.rate.period

    def _pace(self, now: float, ceiling: float) -> float | None:
        """The learned rate at ``now`` (None once it has grown back to the ceiling)."""
        if not self._peak:
            return None
        t = max(0.0, now - self._resume_at) + self._offset
        if t > RECOVERY:
            t = max(RECOVERY, t - self._hold)  # flat on the plateau for the hold
        pace = self._peak * (PLATEAU + (PLATEAU - BACKOFF) * ((t - RECOVERY) / RECOVERY) ** 3)
        if pace >= ceiling:
            self._peak = 0.0  # the server took the whole budget again: back to the budget alone
            return None
        return max(pace, ceiling / 1000)

    @property
    def learned(self) -> float | None:
        """Requests per second the controller paces at now, after a 429 (None: the budget alone)."""
        with self._lock:
            return self._pace(self.clock(), self._ceiling()[1])

    def grants(self) -> list[Grant]:
        """The most recent grants (up to ``history``), oldest first."""
        with self._lock:
            return list(self._history)

    # ---------------------------------------------------------------- granting

    def reserve(self, max_wait: float | None = None) -> float:
        """Reserve the next slot; return how many seconds the caller must wait before sending.

        Raises :class:`BudgetExhausted` (reserving nothing) when that would be over ``max_wait``.
        """
        with self._lock:
            now = self.clock()
            limit, ceiling = self._ceiling()
            grants = self._grants
            at = max(now, self._paused_until)
            if grants:
                at = max(at, grants[-1])
            if len(grants) >= limit:
                at = max(at, grants[-limit] + self.rate.period)
            pace = self._pace(at, ceiling)
            if pace is not None:
                at = max(at, self._next_paced)
            if max_wait is not None and at - now > max_wait:
                raise BudgetExhausted(at - now, self.rate)
            if pace is not None:
                self._next_paced = at + 1 / pace
            grants.append(at)
            self._history.append(Grant(now, at))
            # Keep only what can still constrain a future grant.
            while len(grants) > self.rate.limit:
                grants.popleft()
            return at - now

    def paused(self) -> float:
        """Seconds left of a pause a 429 began (0: none); a slot reserved before it is void, reserve again."""
        with self._lock:
            left = self._paused_until - self.clock()
        return left if left > _EARLY else 0.0

    def acquire(self, max_wait: float | None = None) -> float:
        """Block until a request may be sent; return the seconds waited."""
        waited = 0.0
        while True:
            wait = self.reserve(None if max_wait is None else max_wait - waited)
            if wait <= 0:
                return waited
            time.sleep(wait)
            waited += wait
            if not self.paused():
                return waited

    async def acquire_async(self, max_wait: float | None = None) -> float:
        """Await until a request may be sent; return the seconds waited."""
        waited = 0.0
        while True:
            wait = self.reserve(None if max_wait is None else max_wait - waited)
            if wait <= 0:
                return waited
            await asyncio.sleep(wait)
            waited += wait
            if not self.paused():
                return waited

    # ---------------------------------------------------------------- feedback

    def observe(self, *, throttled: bool, sent_at: float, retry_after: float | None = None) -> None:
        """Report an answer to a request sent at ``sent_at`` (this clock): a 429 (``throttled``) or not."""
        with self._lock:
            self.answered += 1
            if not throttled:
                self._accepted.append(sent_at)
                if self._strikes and sent_at > self._reacted_at:
                    self._strikes = 0  # accepted since the last pause: the next 429 starts over
                return
            self.throttled += 1
            now = self.clock()
            if retry_after:
                self._paused_until = max(self._paused_until, now + retry_after)
            if sent_at < self._reacted_at:
                return  # sent before the last reaction: the same overload, already answered
            self._reacted_at = now
            _, ceiling = self._ceiling()
            pace = self._pace(now, ceiling)
            # What the server took in the second before it refused this request is the best guess of
            # its limit; a cut after the first is at most a factor BACKOFF, though (a pause may have
            # kept that count low).
            window = [t for t in self._accepted if sent_at - _MEASURE < t <= sent_at]
            took = len(window) / _MEASURE
            if (pace is None and took < _MIN_SAMPLE / _MEASURE) or (pace is not None and now - self._cut_at < _GRACE):
                self._strikes += 1
                step = _FIRST_PAUSE if pace is None else 1 / pace
                self._paused_until = max(self._paused_until, now + min(_GRACE, step * 2**self._strikes))
                return
            self._strikes = 0
            # Only a 429 drawn by a probe above the plateau can confirm the limit: one on or under
            # it means the limit was overrated (a token bucket's burst after a pause, say).
            # A pace grown back to the ceiling was probing too: where the ceiling is only a little
            # above the server's limit, that is where every probe ends, and the limit must still confirm.
            probing = (pace is None and self._found > 0) or (
                pace is not None and now - self._resume_at + self._offset > RECOVERY + self._hold)
            if pace is not None and self._hold and not probing and took >= (1 - _SAME_PEAK) * pace:
                # On the plateau of a confirmed limit, and the server took all of it until now: the
                # requests bunched up on their way (a busy machine), or the limit is a little lower.
                # Without Retry-After one such 429 costs only its retry; another soon after, or any
                # with a pause, steps the plateau down. Only a 429 below that is an overrated limit.
                last, self._bunched_at = self._bunched_at, now
                if not retry_after and now - last > _BUNCHED_SPAN:
                    return
                self._peak *= PLATEAU
                self._hold = min(MAX_HOLD, 2 * self._hold)
            else:
                pace = min(ceiling, max(took, ceiling / 1000)) if pace is None else min(pace, max(took, BACKOFF * pace))
                if probing and abs(pace - self._found) <= _SAME_PEAK * self._found:
                    # The limit is confirmed: restart on the plateau; the pause (if any) already let
                    # the server's window drain, and a deeper cut would only cost throughput. With
                    # Retry-After every 429 would pause the whole controller again: hold a step
                    # further below the limit, so that requests bunched up on their way draw none.
                    hold = max(HOLD, 2 * self._hold, (retry_after or 0.0) / _PAUSE_COST)
                    self._hold, self._offset = min(MAX_HOLD, hold), RECOVERY
                    self._peak = pace * (PLATEAU if retry_after else 1.0)
                else:
                    self._hold, self._offset = 0.0, 0.0
                    self._peak = pace
                self._found = pace
            self._cut_at = now
            # Requests the server took in a burst fill its window until they leave it together: pacing
            # sooner would only draw 429s (for a steady stream the oldest has just left it).
            self._resume_at = max(now, self._paused_until, min(window, default=now) + _MEASURE)
            self._next_paced = self._resume_at


_registry: dict[tuple[str, str, str, RateLimit], RateLimiter] = {}
_registry_lock = threading.Lock()


def get_limiter(api: str, endpoint_class: str = "default", rate: RateLimit | None = None, *,
                target: str = "") -> RateLimiter:
    """Return the process-wide controller for ``api``/``endpoint_class`` at ``target`` (a base URL).

    The documented budget applies unless ``rate`` is given; a server's limit is learned per target.
    """
    if rate is None:
        rate = DEFAULT_LIMITS.get((api, endpoint_class)) or DEFAULT_LIMITS[(api, "default")]
    key = (api, endpoint_class, target, rate)
    with _registry_lock:
        limiter = _registry.get(key)
        if limiter is None:
            limiter = _registry[key] = RateLimiter(rate)
        return limiter


def limiters_for(api: str, endpoint_class: str) -> tuple[str, ...]:
    """The endpoint classes a request of ``endpoint_class`` draws on: its own, then any it also counts against."""
    return (endpoint_class, *ALSO_DRAWS.get((api, endpoint_class), ()))


def _after_fork() -> None:
    # A child must not inherit locks held by threads that do not exist in it.
    global _registry_lock
    _registry_lock = threading.Lock()
    _registry.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)
