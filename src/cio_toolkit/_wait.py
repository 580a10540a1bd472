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


def _check_bounds(timeout: float, interval: float) -> None:
    for name, value in (("timeout", timeout), ("interval", interval)):
        if not value > 0:
            raise ValidationError(f"{name}: must be > 0, got {value}", field=name, limit="> 0", actual=value)


def _not_ready(what: str, timeout: float, last: object, hint: str) -> NotReadyError:
    seen = f" (last seen: {last})" if last not in (None, False) else ""
    return NotReadyError(f"{what} was not ready after {timeout:g} s{seen}" + (f"; {hint}" if hint else ""))


def wait_until(
    check: Callable[[], T | bool | None],
    *,
    timeout: float,
    what: str,
    interval: float = 0.5,
    hint: str = "",
    progress: Callable[[], object] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call ``check`` until it returns a value other than None or False and return that value.

    Raises :class:`NotReadyError` naming ``what`` (and ``progress()``, if given) after ``timeout`` s.
    """
    _check_bounds(timeout, interval)
    deadline = clock() + timeout
    while True:
        result = check()
        if result is not None and result is not False:
            return result  # type: ignore[return-value]
        remaining = deadline - clock()
        if remaining <= 0:
            raise _not_ready(what, timeout, progress() if progress else None, hint)
        sleep(min(interval, remaining))


async def wait_until_async(
    check: Callable[[], Awaitable[T | bool | None]],
    *,
    timeout: float,
    what: str,
    interval: float = 0.5,
    hint: str = "",
    progress: Callable[[], object] | None = None,
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
            raise _not_ready(what, timeout, progress() if progress else None, hint)
        await asyncio.sleep(min(interval, remaining))
