"""Server-side rate limits, as the real service applies them (token buckets per API class)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from cio_toolkit._constants import (
    APP_ARCHIVED_MESSAGE_RATE,
    APP_BROADCAST_TRIGGER_RATE,
    APP_RATE,
    APP_TRANSACTIONAL_RATE,
    PIPELINES_RATE,
    TRACK_RATE,
)

__all__ = ["LIMITS", "RateLimits", "TokenBucket", "limit_class"]

# operationIds with their own App API budget.
_TRANSACTIONAL = frozenset({"sendEmail", "sendPush", "sendSMS", "sendInboxMessage"})
_BROADCAST_TRIGGER = frozenset({"triggerBroadcast"})
# operationIds with a budget of their own on top of their class's.
_EXTRA = {"getArchivedMessage": "app_archived_message"}

LIMITS: dict[str, tuple[int, float]] = {
    "pipelines": PIPELINES_RATE,
    "track": TRACK_RATE,
    "app": APP_RATE,
    "app_transactional": APP_TRANSACTIONAL_RATE,
    "app_broadcast_trigger": APP_BROADCAST_TRIGGER_RATE,
    "app_archived_message": APP_ARCHIVED_MESSAGE_RATE,
}


def limit_class(api: str, operation_id: str) -> str:
    """The budget a request draws from."""
    if api == "pipelines_api":
        return "pipelines"
    if api == "track_api":
        return "track"
    if operation_id in _TRANSACTIONAL:
        return "app_transactional"
    if operation_id in _BROADCAST_TRIGGER:
        return "app_broadcast_trigger"
    return "app"


class TokenBucket:
    """``capacity`` requests per ``period`` seconds, refilled continuously."""

    def __init__(self, capacity: int, period: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = capacity
        self.rate = capacity / period
        self._clock = clock
        self._tokens = float(capacity)
        self._stamp = clock()
        self._lock = threading.Lock()

    def take(self) -> float:
        """Consume one token; return 0.0, or the seconds to wait when the bucket is empty."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            return (1.0 - self._tokens) / self.rate


class RateLimits:
    """The emulator's buckets; ``check`` answers the Retry-After seconds for a refused request."""

    def __init__(self, enabled: bool = True, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = enabled
        self._clock = clock  # real time: rate limits never follow the emulator's clock
        self.reset()

    def reset(self) -> None:
        """Refill every bucket."""
        self._buckets = {name: TokenBucket(*limit, clock=self._clock) for name, limit in LIMITS.items()}

    def check(self, api: str, operation_id: str) -> tuple[int, str] | None:
        """None when allowed, else the whole seconds to send as Retry-After (at least 1) and the
        :data:`LIMITS` budget that is spent."""
        if not self.enabled:
            return None
        extra = _EXTRA.get(operation_id)
        for name in (limit_class(api, operation_id), *([extra] if extra else [])):
            wait = self._buckets[name].take()
            if wait > 0:
                return max(1, math.ceil(wait)), name
        return None
