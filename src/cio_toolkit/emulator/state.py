"""What one emulator instance shares between requests: config, store, faults, limits and log.

:class:`EmulatorState` sits below everything else in the package (it imports no handler, hook
or route), so the registry, the handlers and the services can all name it without a cycle.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import time
from collections.abc import Callable
from typing import Any, TypeVar

from ._config import EmulatorConfig
from ._divergences import emulator_validator
from ._faults import Faults
from ._limits import RateLimits
from ._log import RequestLog
from ._validate import Operation, SpecValidator
from .models import Store
from .models.clock import Clock

__all__ = ["ROUTING", "EmulatorState"]

_T = TypeVar("_T")
_LOOP_CALL_TIMEOUT = 30.0

# Spec routing order; the App API is last because its /v1/... paths are the most general.
ROUTING = (
    ("pipelines_api", "/v1"),
    ("track_api", ""),
    ("reporting_webhooks", ""),
    ("app_api", ""),
)


class EmulatorState:
    """Everything one emulator instance shares between requests (``app.state.emulator``)."""

    def __init__(self, config: EmulatorConfig, store: Store | None = None) -> None:
        self.config = config
        self.store = store or Store(config.db)
        self.faults = Faults(config.faults)
        self.limits = RateLimits(config.rate_limits)
        self.log = RequestLog(
            config.log,
            bodies=config.log_bodies,
            history=config.request_history,
            history_bytes=config.history_bytes,
            body_bytes=config.log_body_bytes,
        )
        self.validators: dict[str, SpecValidator] = {api: emulator_validator(api) for api, _ in ROUTING}  # type: ignore[arg-type]
        self.dropped: collections.deque[dict[str, Any]] = collections.deque(maxlen=1000)
        self.started_at = time.time()  # real time: the uptime, whatever the clock says
        self._serving_loop: asyncio.AbstractEventLoop | None = None

    def enter_loop(self) -> bool:
        """True the first time it is called on the running event loop (the app starts serving there)."""
        loop = asyncio.get_running_loop()
        if self._serving_loop is loop:
            return False
        self._serving_loop = loop
        return True

    @property
    def clock(self) -> Clock:
        """The emulator's clock (real time plus an offset tests move; see :mod:`.models.clock`)."""
        return self.store.clock

    def on_loop(self, fn: Callable[[], _T]) -> _T:
        """Run ``fn()`` on the serving event loop and return its result (directly when not serving or already there).

        Work that fires delivery events must run where the request handlers run, so the
        listeners (the reporting-webhook sender) see it on their loop.
        """
        loop = self._serving_loop
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is None or loop is running or not loop.is_running():
            return fn()

        async def call() -> _T:
            return fn()

        future = asyncio.run_coroutine_threadsafe(call(), loop)
        try:
            return future.result(_LOOP_CALL_TIMEOUT)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    def route(self, method: str, path: str) -> tuple[str, Operation, dict[str, str]] | None:
        """Find the spec operation for a raw (still percent-encoded) request path."""
        for api, prefix in ROUTING:
            if prefix:
                if not path.startswith(prefix + "/"):
                    continue
                sub = path[len(prefix) :]
            else:
                sub = path
            found = self.validators[api].match_operation(method, sub)
            if found is not None:
                return api, found[0], found[1]
        return None

    def reset(self) -> None:
        """Forget all data, faults, rate-limit usage, logged requests and dropped calls; the clock is real time again."""
        self.store.reset()
        self.clock.reset()
        self.faults.reset()
        self.limits.reset()
        self.log.clear()
        self.dropped.clear()

    def count(self, name: str, n: int = 1) -> None:
        """Add to one of the store's counters."""
        self.store.counters[name] += n
