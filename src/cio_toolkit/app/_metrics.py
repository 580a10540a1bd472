"""Metrics answers reshaped into tidy rows: one row per (period, metric), with link ids where relevant.

The App API returns metrics as series without timestamps: ``{"metric": {"series": {"sent": [3, 5],
...}}}``, oldest first. The time axis is rebuilt from the request:

- with ``start`` and ``res`` (campaign metrics version 2, journey metrics), period ``i`` starts at
  ``start`` floored to the resolution in ``tz`` (UTC when not given) plus ``i`` periods;
- otherwise (``period``/``steps``, version 1 and the broadcast, newsletter and transactional
  endpoints), the last value is the current period (UTC), so period ``i`` of ``n`` starts
  ``n - 1 - i`` periods before the start of the current one.

``period_index`` (0 = oldest) is always given, so the reconstruction can be ignored if needed.
Everything here is pure; :func:`metrics_frame` only turns the rows into a pandas DataFrame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from .._exceptions import ValidationError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FrameKind", "tidy_metrics", "metrics_frame", "period_starts", "ID_COLUMNS"]

FrameKind = Literal["series", "links", "journey"]
Unit = Literal["hours", "days", "weeks", "months"]
ID_COLUMNS = ("campaign_id", "broadcast_id", "newsletter_id", "content_id", "transactional_id", "action_id")
_UNITS: dict[str, Unit] = {
    "hours": "hours", "hourly": "hours", "days": "days", "daily": "days",
    "weeks": "weeks", "weekly": "weeks", "months": "months", "monthly": "months",
}


def _unit(value: Any, name: str) -> Unit:
    unit = _UNITS.get(str(value))
    if unit is None:
        raise ValidationError(f"{name}: must be one of {sorted(_UNITS)}, got {value!r}", field=name,
                              limit=sorted(_UNITS), actual=value)
    return unit


def _floor(t: dt.datetime, unit: Unit) -> dt.datetime:
    if unit == "hours":
        return t.replace(minute=0, second=0, microsecond=0)
    day = t.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "months":
        return day.replace(day=1)
    return day


def _shift(t: dt.datetime, unit: Unit, n: int) -> dt.datetime:
    if unit == "hours":
        # Whole hours in UTC: wall-clock arithmetic would skip or repeat an hour at DST changes.
        return (t.astimezone(dt.UTC) + dt.timedelta(hours=n)).astimezone(t.tzinfo)
    if unit == "days":
        return t + dt.timedelta(days=n)
    if unit == "weeks":
        return t + dt.timedelta(weeks=n)
    months = t.year * 12 + (t.month - 1) + n
    return t.replace(year=months // 12, month=months % 12 + 1)


def _epoch(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.fromtimestamp(int(value), dt.UTC)


def period_starts(n: int, *, args: Mapping[str, Any], now: dt.datetime | None = None) -> list[dt.datetime]:
    """Start of each of ``n`` periods (oldest first) for a metrics request made with ``args``."""
    if n <= 0:
        return []
    tz = ZoneInfo(str(args["tz"])) if args.get("tz") else dt.UTC
    if args.get("start") is not None and args.get("res") is not None:
        unit = _unit(args["res"], "res")
        first = _floor(_epoch(args["start"]).astimezone(tz), unit)
        return [_shift(first, unit, i) for i in range(n)]
    unit = _unit(args.get("period") or "days", "period")
    current = _floor((now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC), unit)
    return [_shift(current, unit, i - (n - 1)) for i in range(n)]


def _series_rows(series: Any, args: Mapping[str, Any], now: dt.datetime | None,
                 base: dict[str, Any]) -> list[dict[str, Any]]:
    if not isinstance(series, Mapping):
        return []
    lengths = [len(v) for v in series.values() if isinstance(v, list)]
    n = max(lengths, default=0)
    starts = period_starts(n, args=args, now=now)
    rows: list[dict[str, Any]] = []
    for metric, values in series.items():
        if not isinstance(values, list):
            continue
        # A shorter series is aligned on the side its values are anchored to (start or now).
        offset = 0 if args.get("start") is not None and args.get("res") is not None else n - len(values)
        for i, value in enumerate(values):
            rows.append({**base, "period_index": i + offset, "period_start": starts[i + offset],
                         "metric": metric, "value": value})
    rows.sort(key=lambda r: (r.get("link_id") or 0, r["period_index"], r["metric"]))
    return rows


def tidy_metrics(
    data: Any, *, kind: FrameKind, args: Mapping[str, Any] | None = None, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Rows ``{<ids>, [link_id, href], period_index, period_start, metric, value}`` from a metrics answer.

    ``kind`` is ``series`` (``{"metric": {"series": ...}}``), ``links`` (``{"links": [...]}``) or
    ``journey`` (``{"journey_metric": {...}}``); ``args`` are the request's keyword arguments.
    """
    args = dict(args or {})
    base = {k: args[k] for k in ID_COLUMNS if args.get(k) is not None}
    if not isinstance(data, Mapping):
        return []
    if kind == "series":
        metric = data.get("metric")
        return _series_rows(metric.get("series") if isinstance(metric, Mapping) else None, args, now, base)
    if kind == "journey":
        return _series_rows(data.get("journey_metric"), args, now, base)
    rows: list[dict[str, Any]] = []
    for entry in data.get("links") or []:
        if not isinstance(entry, Mapping):
            continue
        link = entry.get("link")
        link = link if isinstance(link, Mapping) else {}
        metric = entry.get("metric")
        metric = metric if isinstance(metric, Mapping) else {}
        link_base = {**base, "link_id": link.get("id"), "href": link.get("href")}
        rows.extend(_series_rows(metric.get("series"), args, now, link_base))
    return rows


def metrics_frame(
    data: Any, *, kind: FrameKind, args: Mapping[str, Any] | None = None, now: dt.datetime | None = None
) -> pd.DataFrame:
    """:func:`tidy_metrics` as a pandas DataFrame (``period_start`` as a timezone-aware datetime column)."""
    import pandas as pd

    rows = tidy_metrics(data, kind=kind, args=args, now=now)
    ids = [k for k in ID_COLUMNS if args and args.get(k) is not None]
    columns = [*ids, *(["link_id", "href"] if kind == "links" else []), "period_index", "period_start",
               "metric", "value"]
    frame = pd.DataFrame(rows, columns=columns)
    if rows:
        frame["period_start"] = pd.to_datetime(frame["period_start"], utc=True)
        if args and args.get("tz") and args.get("start") is not None and args.get("res") is not None:
            frame["period_start"] = frame["period_start"].dt.tz_convert(str(args["tz"]))
    return frame
