"""Bounded polling: the one loop behind every "wait until it is ready" in the toolkit.

Customer.io processes writes asynchronously and builds exports in the background, so a caller
polls. Each wait checks at once, then every ``interval`` seconds, and ends with
:class:`NotReadyError` when ``timeout`` passes first; it never sleeps past its deadline.

Public as ``cio_toolkit.wait_until`` (and ``wait_until_async``), for reading back your own writes::

    wait_until(lambda: cio.app.customers.attributes(customer_id="u1"), timeout=30,
               retry_on=(NotFoundError,), message="u1 is not visible yet")
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from ._exceptions import NotReadyError, ValidationError

__all__ = ["wait_until", "wait_until_async"]

T = TypeVar("T")
Message = str | Callable[[], str] | None
Errors = tuple[type[BaseException], ...]


def _check_bounds(timeout: float, interval: float) -> None:
    if not timeout >= 0:
        raise ValidationError(f"timeout: must be >= 0, got {timeout}", field="timeout", limit=">= 0", actual=timeout)
    if not interval > 0:
        raise ValidationError(f"interval: must be > 0, got {interval}", field="interval", limit="> 0", actual=interval)


class _Poll:
    """One wait's deadline and the last error that counted as "not ready yet" (for the final message)."""

    def __init__(self, timeout: float, interval: float, message: Message, clock: Callable[[], float]) -> None:
        _check_bounds(timeout, interval)
        self.timeout, self.interval, self.message, self.clock = timeout, interval, message, clock
        self.deadline = clock() + timeout
        self.last_error: BaseException | None = None

    def pause(self) -> float:
        """Seconds to sleep before the next check; raises :class:`NotReadyError` once time is up."""
        remaining = self.deadline - self.clock()
        if remaining <= 0:
            raise self._not_ready()
        return min(self.interval, remaining)

    def _not_ready(self) -> NotReadyError:
        text = self.message() if callable(self.message) else self.message
        text = text or f"not ready after {self.timeout:g} s"
        if self.last_error is not None:
            text += f" (last check: {type(self.last_error).__name__}: {self.last_error})"
        return NotReadyError(text)


def _ready(result: object) -> bool:
    return result is not None and result is not False


def wait_until(
    check: Callable[[], T | bool | None],
    *,
    timeout: float,
    message: Message = None,
    interval: float = 0.5,
    retry_on: Errors = (),
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call ``check`` until it returns a value other than None or False and return that value.

    ``timeout=0`` checks once. A check that raises one of ``retry_on`` (e.g. ``NotFoundError``
    while a write is not visible yet) counts as not ready; any other error propagates. When time
    runs out, raises :class:`NotReadyError` with ``message`` (or what ``message()`` says then, to
    report how far it got), followed by the last ``retry_on`` error seen.
    """
    poll = _Poll(timeout, interval, message, clock)
    while True:
        try:
            result = check()
        except retry_on as exc:
            poll.last_error = exc
        else:
            if _ready(result):
                return result  # type: ignore[return-value]
        sleep(poll.pause())


async def wait_until_async(
    check: Callable[[], Awaitable[T | bool | None]],
    *,
    timeout: float,
    message: Message = None,
    interval: float = 0.5,
    retry_on: Errors = (),
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """The asyncio form of :func:`wait_until`: ``check`` is awaited."""
    poll = _Poll(timeout, interval, message, clock)
    while True:
        try:
            result = await check()
        except retry_on as exc:
            poll.last_error = exc
        else:
            if _ready(result):
                return result  # type: ignore[return-value]
        await asyncio.sleep(poll.pause())
