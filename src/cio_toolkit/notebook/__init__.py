"""Helpers for the notebooks: pick the target, inspect the emulator, show results as DataFrames.

``connect("emulator")`` uses the emulator named by CIO_BASE_URL when one is running (``make demo``
and ``make lab`` start one), or starts an embedded one in this process; ``connect("live")`` uses
the CIO_* credentials and refuses a base URL, so a notebook never writes to the wrong place. The one
exception is ``cio notebooks run --rehearse-live``: it runs the live branches against a production-like
emulator and says so by setting CIO_LIVE_REHEARSAL to that emulator's HTTPS loopback URL, the same
value as CIO_BASE_URL, with CIO_CA_BUNDLE naming its CA; only then does ``connect("live")`` accept the
base URL, and ``admin()`` still refuses, so a live branch gets no emulator-only help.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx2

from .._client import CustomerIO
from .._config import Settings
from .._exceptions import ConfigError
from ._app_views import (
    FUNNEL_STAGES,
    attributes_table,
    changes_frame,
    content_inventory,
    delivery_funnel,
    delivery_status,
    messages_table,
    metric_totals,
    performance_summary,
    plot_funnel,
    plot_metrics,
    transactional_templates,
    wait_for_trigger,
    with_datetimes,
)
from ._readback import (
    activities_frame,
    can_read_back,
    devices_frame,
    object_frame,
    people_frame,
    relationships_frame,
    segment_members_frame,
    wait_until_gone,
)
from ._spark import local_spark

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "connect", "EmulatorAdmin", "admin",
    # App API views (see _app_views)
    "FUNNEL_STAGES", "attributes_table", "changes_frame", "content_inventory", "delivery_funnel",
    "delivery_status", "messages_table", "metric_totals", "performance_summary", "plot_funnel", "plot_metrics",
    "transactional_templates", "wait_for_trigger", "with_datetimes",
    # read-backs with a bounded wait (see _readback)
    "activities_frame", "can_read_back", "devices_frame", "object_frame", "people_frame", "relationships_frame", "segment_members_frame",
    "wait_until_gone",
    # a local SparkSession sending to the notebook's target (see _spark)
    "local_spark",
]

_embedded: Any = None

# Set only by the notebook runner's live rehearsal, to the production-like emulator's URL.
REHEARSAL_ENV = "CIO_LIVE_REHEARSAL"
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


class EmulatorAdmin:
    """Read and steer an emulator over its ``/_emulator`` endpoints (works across processes)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx2.Client(base_url=self.base_url + "/_emulator", timeout=30)

    def _get(self, path: str, **params: Any) -> Any:
        r = self._http.get(path, params={k: v for k, v in params.items() if v is not None})
        r.raise_for_status()
        return r.json()

    def people(self) -> pd.DataFrame:
        """Everyone in the emulator's store, one row per person (times as UTC datetimes)."""
        return _frame(self._get("/people"))

    def events(self, **filters: Any) -> pd.DataFrame:
        """Stored events (track, page, screen), newest last (times as UTC datetimes)."""
        return _frame(self._get("/events", **filters))

    def counters(self) -> dict[str, Any]:
        """Request, validation and drop counters."""
        return dict(self._get("/counters"))

    def requests(self, **filters: Any) -> pd.DataFrame:
        """The emulator's recent request log."""
        import pandas as pd

        return pd.DataFrame(self._get("/requests", **filters))

    def faults(self, **settings: Any) -> dict[str, Any]:
        """Read, or with arguments change, the injected faults (error_rate, latency_ms, force_429, ...)."""
        if settings:
            r = self._http.post("/faults", json=settings)
            r.raise_for_status()
            return dict(r.json())
        return dict(self._get("/faults"))

    def __repr__(self) -> str:
        return f"EmulatorAdmin({self.base_url!r})"


_TIME_COLUMNS = ("created_at", "updated_at", "timestamp", "last_used")


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(rows)
    for col in _TIME_COLUMNS:
        if col in df.columns and pd.api.types.is_numeric_dtype(df[col]):
            df[col] = pd.to_datetime(df[col], unit="s", utc=True)
    return df


def _start_embedded(seed: str | None) -> Settings:
    global _embedded
    if _embedded is None:
        from ..emulator import Emulator

        _embedded = Emulator(seed=seed)
        _embedded.start()
    return Settings(**_embedded.settings())


def _rehearsal(settings: Settings) -> bool:
    """Whether ``settings`` name the live rehearsal's emulator: CIO_LIVE_REHEARSAL equal to an HTTPS
    loopback CIO_BASE_URL whose CA is given, so a stray variable never turns a live run local."""
    marker = os.environ.get(REHEARSAL_ENV, "").rstrip("/")
    url = settings.base_url or ""
    parts = urlsplit(url)
    return bool(marker) and marker == url and parts.scheme == "https" and parts.hostname in _LOOPBACK \
        and settings.ca_bundle is not None


def connect(target: str = "emulator", *, region: str | None = None, seed: str | None = "demo", **client_kw: Any) -> CustomerIO:
    """Return a :class:`CustomerIO` for ``target`` ("emulator" or "live") and print one line naming it."""
    if target == "emulator":
        if os.environ.get("CIO_BASE_URL"):
            settings = Settings.from_env(env_file=None)
            where = f"emulator at {settings.base_url}"
        else:
            settings = _start_embedded(seed)
            where = f"embedded emulator at {settings.base_url}"
    elif target == "live":
        settings = Settings.from_env(region=region)
        if settings.base_url and _rehearsal(settings):
            where = f"live-rehearsal emulator at {settings.base_url} (production profile, public APIs only)"
        elif settings.base_url:
            raise ConfigError("target='live' but CIO_BASE_URL is set; unset it to talk to Customer.io")
        else:
            where = f"live Customer.io workspace, region {settings.region}"
    else:
        raise ConfigError(f"target must be 'emulator' or 'live', got {target!r}")
    print(f"Target: {where}")
    return CustomerIO(settings=settings, **client_kw)


def admin(cio: CustomerIO) -> EmulatorAdmin:
    """The emulator behind ``cio`` (raises when ``cio`` targets a live workspace, or its rehearsal)."""
    if not cio.settings.base_url or _rehearsal(cio.settings):
        raise ConfigError("this client targets a live workspace; there is no emulator to inspect")
    return EmulatorAdmin(cio.settings.base_url)
