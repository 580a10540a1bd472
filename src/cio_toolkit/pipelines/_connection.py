"""What every Data Pipelines client shares: settings and strict mode, and the bare sending client.

:class:`PipelinesConnection` is a Pipelines client with only the public send path
(``request``, ``warm``, ``close``; its asyncio twin for the :class:`AsyncSender`); the :class:`Sender` sends through one, so it needs nothing of
the call methods in :mod:`._client` (which creates senders), and the two modules do not import
each other.
"""

from __future__ import annotations

from typing import Any

from .._base import AsyncAPIClient, SyncAPIClient
from .._config import API, Settings

__all__ = ["AsyncPipelinesConnection", "PipelinesConnection", "PipelinesOptions"]


class PipelinesOptions:
    """Constructor shared by the Pipelines clients: API key, region or base URL, strict mode."""

    api: API = "pipelines"
    settings: Settings

    def __init__(
        self, api_key: str | None = None, *, region: str | None = None, base_url: str | None = None,
        settings: Settings | None = None, strict: bool = True, **kw: Any,
    ) -> None:
        settings = (settings or Settings()).with_overrides(pipelines_api_key=api_key, region=region, base_url=base_url)
        super().__init__(settings, **kw)  # type: ignore[call-arg]
        self.strict = strict
        self._client_kw = kw

    def _constructor_kw(self) -> dict[str, Any]:
        return {"strict": self.strict}


class PipelinesConnection(PipelinesOptions, SyncAPIClient):
    """A blocking Pipelines client with only the public send path (what a :class:`Sender` uses)."""


class AsyncPipelinesConnection(PipelinesOptions, AsyncAPIClient):
    """An asyncio Pipelines client with only the public send path (what an :class:`AsyncSender` uses)."""
