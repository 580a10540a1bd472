"""Bounded polling: the one loop behind every "wait until it is ready" in the toolkit.

Customer.io processes writes asynchronously and builds exports in the background, so a caller
polls. Each wait checks at once, then every ``interval`` seconds, and ends with
:class:`NotReadyError` when ``timeout`` passes first; it never sleeps past its deadline.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from ._exceptions import NotReadyError, ValidationError

__all__ = ["wait_until", "wait_until_async"]

T = TypeVar("T")
Message = str | Callable[[], str]


def _check_bounds(timeout: float, interval: float) -> None:
    if not timeout >= 0:
        raise ValidationError(f"timeout: must be >= 0, got {timeout}", field="timeout", limit=">= 0", actual=timeout)
    if not interval > 0:
        raise ValidationError(f"interval: must be > 0, got {interval}", field="interval", limit="> 0", actual=interval)


def _not_ready(message: Message) -> NotReadyError:
    return NotReadyError(message() if callable(message) else message)


def wait_until(
    check: Callable[[], T | bool | None],
    *,
    timeout: float,
    message: Message,
    interval: float = 0.5,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call ``check`` until it returns a value other than None or False and return that value.

    ``timeout=0`` checks once. When time runs out, raises :class:`NotReadyError` with ``message``
    (or what ``message()`` says then, to report how far it got).
    """
    _check_bounds(timeout, interval)
    deadline = clock() + timeout
    while True:
        result = check()
        if result is not None and result is not False:
            return result  # type: ignore[return-value]
        remaining = deadline - clock()
        if remaining <= 0:
            raise _not_ready(message)
        sleep(min(interval, remaining))


async def wait_until_async(
    check: Callable[[], Awaitable[T | bool | None]],
    *,
    timeout: float,
    message: Message,
    interval: float = 0.5,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """The asyncio form of :func:`wait_until`: ``check`` is awaited."""
    _check_bounds(timeout, interval)
    deadline = clock() + timeout
    while True:
        result = await check()
        if result is not None and result is not False:
            return result  # type: ignore[return-value]
        remaining = deadline - clock()
        if remaining <= 0:
            raise _not_ready(message)
        await asyncio.sleep(min(interval, remaining))
