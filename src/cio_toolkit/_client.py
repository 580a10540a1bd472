"""CustomerIO and AsyncCustomerIO: one object holding a client per API, built lazily."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Self, TypeVar

from ._base import AsyncAPIClient, SyncAPIClient
from ._config import Settings
from .app import AppClient, AsyncAppClient
from .pipelines import AsyncPipelinesClient, PipelinesClient
from .track import AsyncTrackClient, TrackClient

if TYPE_CHECKING:
    import pandas as pd

    from .bulk import LoadReport, SyncPlan
    from .bulk._sync import SyncReport

__all__ = ["CustomerIO", "AsyncCustomerIO", "Bulk"]

_C = TypeVar("_C", bound="SyncAPIClient | AsyncAPIClient")


class Bulk:
    """Bulk load, diff sync and export bound to one :class:`CustomerIO` (see :mod:`cio_toolkit.bulk`)."""

    def __init__(self, cio: CustomerIO) -> None:
        self._cio = cio

    def load(self, source: Any, *, kind: str, **kw: Any) -> LoadReport:
        """Validate, pack and deliver ``source`` as ``kind`` calls, journaled and resumable."""
        from .bulk import load

        return load(self._cio, source, kind=kind, **kw)

    def plan_sync(self, source: Any, *, key: str, **kw: Any) -> SyncPlan:
        """The adds, changes and removals a :meth:`sync` would send, without sending anything."""
        from .bulk import plan_sync

        return plan_sync(self._cio, source, key=key, **kw)

    def sync(self, source: Any, *, key: str, **kw: Any) -> SyncReport:
        """Send only rows added or changed since the last sync (removals behind a safety cap)."""
        from .bulk import sync

        return sync(self._cio, source, key=key, **kw)

    def export(self, kind: str, **kw: Any) -> pd.DataFrame:
        """Export customers or deliveries through the App API into a DataFrame (or ``to=`` a Parquet file)."""
        from .bulk import export

        return export(self._cio, kind, **kw)

    def __repr__(self) -> str:
        return f"Bulk(target={self._cio.target!r})"


class _Facade:
    def __init__(
        self,
        *,
        region: str | None = None,
        pipelines_api_key: str | None = None,
        site_id: str | None = None,
        track_api_key: str | None = None,
        app_api_key: str | None = None,
        webhook_signing_key: str | None = None,
        base_url: str | None = None,
        ca_bundle: str | None = None,
        settings: Settings | None = None,
        **client_kw: Any,
    ) -> None:
        base = settings or Settings()
        self.settings = base.with_overrides(
            region=region, pipelines_api_key=pipelines_api_key, site_id=site_id, track_api_key=track_api_key,
            app_api_key=app_api_key, webhook_signing_key=webhook_signing_key, base_url=base_url, ca_bundle=ca_bundle,
        )
        # Passed to every client: retry, timeout, rate_limits, strict (Pipelines only).
        self._client_kw = client_kw

    @classmethod
    def from_env(cls, *, env_file: str | None = ".env", **kw: Any) -> Self:
        """Build from CIO_* environment variables and ``env_file``; keyword arguments win."""
        return cls(settings=Settings.from_env(env_file=env_file), **kw)

    @property
    def target(self) -> str:
        """Where requests go: the custom base URL (e.g. the emulator) or the live region."""
        return self.settings.target

    def _kw(self, api: str) -> dict[str, Any]:
        kw = dict(self._client_kw)
        if api != "pipelines":
            kw.pop("strict", None)
        return kw

    def __repr__(self) -> str:
        return f"{type(self).__name__}(target={self.target!r})"


_DOCS = {"pipelines": "The Data Pipelines (CDP) client.", "track": "The Track API client.", "app": "The App API client."}


def _client(cls: type[_C]) -> functools.cached_property[_C]:
    """The facade's client of ``cls``'s API: built on first use with the facade's settings and options."""
    api = cls.api

    def build(self: _Facade) -> _C:
        return cls(settings=self.settings, **self._kw(api))  # type: ignore[call-arg]

    build.__name__, build.__doc__, build.__annotations__ = api, _DOCS[api], {"return": cls}
    return functools.cached_property(build)


class CustomerIO(_Facade):
    """Blocking access to all APIs: ``.pipelines``, ``.track``, ``.app`` (missing keys fail on first use)."""

    pipelines = _client(PipelinesClient)
    track = _client(TrackClient)
    app = _client(AppClient)

    @functools.cached_property
    def bulk(self) -> Bulk:
        """Bulk load, diff sync and export through this client's APIs."""
        return Bulk(self)

    def close(self) -> None:
        """Close every client that was opened."""
        for name in _DOCS:
            if name in self.__dict__:
                self.__dict__[name].close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncCustomerIO(_Facade):
    """Asyncio access to all APIs: ``.pipelines``, ``.track``, ``.app``."""

    pipelines = _client(AsyncPipelinesClient)
    track = _client(AsyncTrackClient)
    app = _client(AsyncAppClient)

    async def aclose(self) -> None:
        """Close every client that was opened."""
        for name in _DOCS:
            if name in self.__dict__:
                await self.__dict__[name].aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
