"""The shared shell of every API client: settings, transport, the public send path, lifecycle, repr.

``request(spec)`` is the one way in for code that builds its own :class:`RequestSpec` (bulk
loads, the streaming sender, exports): it gets the client's retries, rate limits, auth and
error mapping, and nothing reaches into ``_transport``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from ._config import API, Settings
from ._ratelimit import RateLimit, RateLimiter
from ._transport import AsyncTransport, RequestSpec, Response, RetryPolicy, SyncTransport

__all__ = ["SyncAPIClient", "AsyncAPIClient"]


class _ClientShell:
    api: API

    def __init__(
        self,
        settings: Settings,
        *,
        retry: RetryPolicy | None = None,
        timeout: float | None = None,
        rate_limits: Mapping[str, RateLimit | RateLimiter] | bool = True,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self._transport_kw: dict[str, Any] = {
            "retry": retry, "timeout": timeout, "rate_limits": rate_limits, "default_headers": default_headers,
        }

    @classmethod
    def from_env(cls, **kw: Any) -> Self:
        """Build from CIO_* environment variables (and .env); keyword arguments go to the constructor."""
        return cls(settings=Settings.from_env(), **kw)  # type: ignore[call-arg]

    def _constructor_kw(self) -> dict[str, Any]:
        """Constructor arguments beyond settings and transport options (overridden per API)."""
        return {}

    def with_options(
        self,
        *,
        retry: RetryPolicy | None = None,
        timeout: float | None = None,
        rate_limits: Mapping[str, RateLimit | RateLimiter] | bool | None = None,
    ) -> Self:
        """A copy of this client with another retry policy, timeout or rate limits, e.g. for one call."""
        overrides = {"retry": retry, "timeout": timeout, "rate_limits": rate_limits}
        kw = {**self._transport_kw, **{k: v for k, v in overrides.items() if v is not None}}
        kw = {k: v for k, v in kw.items() if v is not None}
        copy = type(self)(settings=self.settings, **self._constructor_kw(), **kw)  # type: ignore[call-arg]
        # The copy borrows this client's connection pool (closing the copy leaves it open), so a
        # with_options() per call opens no new pool and leaks none.
        copy._transport.share_pool_of(self._transport)  # type: ignore[attr-defined]
        return copy

    @property
    def timeout(self) -> float:
        """Seconds each attempt may take (connect and read)."""
        return self._transport.timeout  # type: ignore[attr-defined,no-any-return]

    @property
    def retry(self) -> RetryPolicy:
        """The retry policy of every call this client makes."""
        return self._transport.retry  # type: ignore[attr-defined,no-any-return]

    @property
    def base_url(self) -> str:
        """The base URL this client sends to."""
        return self.settings.api_base_url(self.api)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(target={self.base_url!r})"


class SyncAPIClient(_ClientShell):
    """Base of the blocking clients."""

    def __init__(self, settings: Settings, **kw: Any) -> None:
        super().__init__(settings, **kw)
        self._transport = SyncTransport(settings, self.api, **self._transport_kw)

    def request(self, spec: RequestSpec, *, retry: RetryPolicy | None = None,
                timeout: float | None = None) -> Response:
        """Send a built request with this client's retries, rate limits and error mapping."""
        return self._transport.send(spec, retry=retry, timeout=timeout)


    def warm(self) -> None:
        """Open the connection pool now, so concurrent first calls do not race to create it."""
        self._transport.client  # noqa: B018 - the property creates the pool

    def close(self) -> None:
        """Close connections."""
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncAPIClient(_ClientShell):
    """Base of the asyncio clients."""

    def __init__(self, settings: Settings, **kw: Any) -> None:
        super().__init__(settings, **kw)
        self._transport = AsyncTransport(settings, self.api, **self._transport_kw)

    async def request(self, spec: RequestSpec, *, retry: RetryPolicy | None = None,
                      timeout: float | None = None) -> Response:
        """Send a built request with this client's retries, rate limits and error mapping."""
        return await self._transport.send(spec, retry=retry, timeout=timeout)


    async def aclose(self) -> None:
        """Close connections."""
        await self._transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
