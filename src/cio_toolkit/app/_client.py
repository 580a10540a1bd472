"""AppClient and AsyncAppClient: the App API."""

from __future__ import annotations

from typing import Any, Self

from .._base import AsyncAPIClient, SyncAPIClient
from .._config import API, Settings

__all__ = ["AppClient", "AsyncAppClient"]


class _AppMixin:
    api: API = "app"

    def __init__(
        self,
        api_key: str | None = None,
        *,
        region: str | None = None,
        base_url: str | None = None,
        settings: Settings | None = None,
        **kw: Any,
    ) -> None:
        base = settings or Settings()
        settings = base.with_overrides(app_api_key=api_key, region=region, base_url=base_url)
        super().__init__(settings, **kw)  # type: ignore[call-arg]

    @classmethod
    def from_env(cls, **kw: Any) -> Self:
        """Build from CIO_* environment variables (and .env)."""
        return cls(settings=Settings.from_env(), **kw)


class AppClient(_AppMixin, SyncAPIClient):
    """Blocking client for the App API."""


class AsyncAppClient(_AppMixin, AsyncAPIClient):
    """Asyncio client for the App API."""
