"""TrackClient and AsyncTrackClient: the Track API."""

from __future__ import annotations

from typing import Any, Self

from .._base import AsyncAPIClient, SyncAPIClient
from .._config import API, Settings

__all__ = ["TrackClient", "AsyncTrackClient"]


class _TrackMixin:
    api: API = "track"

    def __init__(
        self,
        site_id: str | None = None,
        api_key: str | None = None,
        *,
        region: str | None = None,
        base_url: str | None = None,
        settings: Settings | None = None,
        **kw: Any,
    ) -> None:
        base = settings or Settings()
        settings = base.with_overrides(site_id=site_id, track_api_key=api_key, region=region, base_url=base_url)
        super().__init__(settings, **kw)  # type: ignore[call-arg]

    @classmethod
    def from_env(cls, **kw: Any) -> Self:
        """Build from CIO_* environment variables (and .env)."""
        return cls(settings=Settings.from_env(), **kw)


class TrackClient(_TrackMixin, SyncAPIClient):
    """Blocking client for the Track API."""


class AsyncTrackClient(_TrackMixin, AsyncAPIClient):
    """Asyncio client for the Track API."""
