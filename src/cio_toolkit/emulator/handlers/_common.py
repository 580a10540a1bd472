"""Request helpers the App API handlers share: body and parameter parsing, 404s, cursors and
pagination, the message list filters of a query, and metric time buckets."""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..models import Store
from ..models.clock import now
from ..models.content import (
    doc_get,
    ensure,
)
from ..models.messages import (
    message_filter,
    message_json,
    message_rows,
)
from ..models.people import (
    find_person,
)
from ..registry import EmulatorHTTPError, RequestContext

_T = TypeVar("_T")


def st(ctx: RequestContext) -> Store:
    """The store of a request, with the App API tables in place."""
    return ensure(ctx.store)


def body(ctx: RequestContext) -> dict[str, Any]:
    """The request's JSON object body ({} when absent)."""
    return ctx.body if isinstance(ctx.body, dict) else {}


def int_param(ctx: RequestContext, name: str) -> int:
    """An integer path parameter (already validated against the spec)."""
    raw = ctx.path_params[name]
    try:
        return int(raw)
    except ValueError as exc:
        raise EmulatorHTTPError(400, f"expected an integer, got {raw!r:.40}", field=f"path.{name}") from exc


def query_int(ctx: RequestContext, name: str, default: int | None = None) -> int | None:
    """An integer query parameter, or ``default``."""
    raw = ctx.query.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise EmulatorHTTPError(400, f"expected an integer, got {raw!r:.40}", field=f"query.{name}") from exc


def query_bool(ctx: RequestContext, name: str) -> bool:
    """A boolean query parameter (absent = False)."""
    return str(ctx.query.get(name, "")).lower() in ("true", "1")


def not_found(what: str, field: str) -> EmulatorHTTPError:
    """A 404 naming the missing thing."""
    return EmulatorHTTPError(404, f"{what} not found", field=field)


def must_exist(found: _T | None, what: str, field: str) -> _T:
    """``found``, or a 404 naming ``what`` when it is None."""
    if found is None:
        raise not_found(what, field)
    return found


def require_doc(store: Store, kind: str, key: Any, what: str, field: str) -> dict[str, Any]:
    """The document, or a 404 naming it."""
    return must_exist(doc_get(store, kind, key), f"{what} {key}", field)


def require_child(ctx: RequestContext, kind: str, parent: dict[str, Any], parent_kind: str) -> dict[str, Any]:
    """The ``kind`` document of path parameter ``{kind}_id`` that belongs to ``parent``, or a 404."""
    key = int_param(ctx, f"{kind}_id")
    found = doc_get(st(ctx), kind, key)
    if found is not None and found.get(f"{parent_kind}_id") != parent["id"]:
        found = None
    return must_exist(found, f"{kind} {key} of {parent_kind} {parent['id']}", f"path.{kind}_id")


def person_of_path(ctx: RequestContext) -> dict[str, Any]:
    """The person named by ``{customer_id}`` and ``id_type``, or a 404."""
    value = ctx.path_params["customer_id"]
    id_type = ctx.query.get("id_type") or "id"
    person = find_person(st(ctx), value, id_type)
    if person is None:
        raise not_found(f"customer {value!r} (id_type {id_type})", "path.customer_id")
    return person


def encode_cursor(offset: int) -> str:
    """An opaque ``next`` token for an offset."""
    return base64.urlsafe_b64encode(f"emu:{offset}".encode()).decode().rstrip("=")


def decode_cursor(token: str | None) -> int:
    """The offset of a ``start`` token (400 for a token this emulator never handed out)."""
    if not token:
        return 0
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        if raw.startswith("emu:"):
            return max(0, int(raw[4:]))
    except (ValueError, UnicodeDecodeError):
        pass
    raise EmulatorHTTPError(400, "is not a cursor returned by a previous page", field="query.start")


def sorted_page(ctx: RequestContext, items: list[Any], *, default_limit: int, max_limit: int) -> tuple[list[Any], str]:
    """:func:`paginate` for the lists sorted by id that take ``sort=desc`` (newest first)."""
    if ctx.query.get("sort") == "desc":
        items = items[::-1]
    return paginate(ctx, items, default_limit=default_limit, max_limit=max_limit)


def paginate(ctx: RequestContext, items: Sequence[Any], *, default_limit: int, max_limit: int) -> tuple[list[Any], str]:
    """One page of ``items`` for the request's ``start``/``limit``, and the ``next`` token ("" at the end)."""
    offset, limit = page_window(ctx, default_limit=default_limit, max_limit=max_limit)
    page = list(items[offset : offset + limit])
    return page, encode_cursor(offset + limit) if offset + limit < len(items) else ""


def page_window(ctx: RequestContext, *, default_limit: int, max_limit: int) -> tuple[int, int]:
    """``(offset, limit)`` of the request; limit is clamped to 1..max_limit."""
    offset = decode_cursor(ctx.query.get("start"))
    limit = query_int(ctx, "limit", default_limit) or default_limit
    return offset, max(1, min(limit, max_limit))


def message_query(ctx: RequestContext, where: str = "1 = 1", params: Sequence[Any] = ()) -> tuple[str, list[Any]]:
    """The message list filters of a request's query, as a condition on the deliveries table."""
    return message_filter(
        where, params, type=ctx.query.get("type"), metric=ctx.query.get("metric"), state=ctx.query.get("state"),
        drafts=query_bool(ctx, "drafts") if "drafts" in ctx.query else None,
        start_ts=query_int(ctx, "start_ts"), end_ts=query_int(ctx, "end_ts"),
    )


def message_page(
    ctx: RequestContext, where: str, params: Sequence[Any] = (), *, default_limit: int = 50, max_limit: int = 1000,
    render: Callable[[Mapping[str, Any]], dict[str, Any]] = message_json,
) -> dict[str, Any]:
    """``{"messages": [...], "next": ...}`` newest first, for a filtered message list."""
    sql, args = message_query(ctx, where, params)
    offset, limit = page_window(ctx, default_limit=default_limit, max_limit=max_limit)
    rows = message_rows(st(ctx), sql, args, offset=offset, limit=limit + 1)
    more = len(rows) > limit
    return {"messages": [render(r) for r in rows[:limit]], "next": encode_cursor(offset + limit) if more else ""}


_PERIOD = {"hours": "hours", "hourly": "hours", "days": "days", "daily": "days", "weeks": "weeks",
           "weekly": "weeks", "months": "months", "monthly": "months"}


_MAX_STEPS = {"hours": 24, "days": 45, "weeks": 12, "months": 121}


_DEFAULT_STEPS = {"hours": 24, "days": 45, "weeks": 12, "months": 12}


_MAX_BUCKETS = 5000


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "America/New_York")  # the API's default: days start at 00:00 Eastern
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise EmulatorHTTPError(400, f"unknown time zone {name!r:.60}", field="query.tz") from exc


def _floor(dt: datetime, period: str) -> datetime:
    if period == "hours":
        return dt.replace(minute=0, second=0, microsecond=0)
    day = dt.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "days":
        return day
    if period == "weeks":
        return day - timedelta(days=(day.weekday() + 1) % 7)  # weeks start on Sunday
    return day.replace(day=1)


def _shift(dt: datetime, period: str, n: int) -> datetime:
    if period == "months":
        month = dt.month - 1 + n
        return dt.replace(year=dt.year + month // 12, month=month % 12 + 1)
    delta = {"hours": timedelta(hours=1), "days": timedelta(days=1), "weeks": timedelta(weeks=1)}[period]
    # Wall-clock arithmetic in the zone, so a DST change does not shift day boundaries.
    return (dt.replace(tzinfo=None) + delta * n).replace(tzinfo=dt.tzinfo)


def buckets_v1(ctx: RequestContext) -> list[float]:
    """Bucket start times for ``period``/``steps`` (oldest first, the current period last) plus the end."""
    period = _PERIOD.get(ctx.query.get("period") or "days", "days")
    steps = query_int(ctx, "steps")
    n = _DEFAULT_STEPS[period] if not steps else min(max(2, steps), _MAX_STEPS[period])
    zone = _zone(None)
    current = _floor(datetime.fromtimestamp(now(ctx.store), zone), period)
    starts = [_shift(current, period, -i) for i in range(n - 1, -1, -1)]
    return [s.timestamp() for s in starts] + [_shift(current, period, 1).timestamp()]


def buckets_v2(ctx: RequestContext) -> list[float]:
    """Bucket start times for ``res``/``start``/``end``/``tz`` (version 2 metrics) plus the end."""
    period = _PERIOD.get(ctx.query.get("res") or "days", "days")
    zone = _zone(ctx.query.get("tz"))
    end = query_int(ctx, "end") or int(now(ctx.store))
    start = query_int(ctx, "start")
    if start is None:
        start = int(_shift(_floor(datetime.fromtimestamp(end, zone), period), period, -29).timestamp())
    if start > end:
        raise EmulatorHTTPError(400, f"start ({start}) is after end ({end})", field="query.start")
    cursor = _floor(datetime.fromtimestamp(start, zone), period)
    out = []
    while cursor.timestamp() <= end:
        out.append(cursor.timestamp())
        cursor = _shift(cursor, period, 1)
        if len(out) > _MAX_BUCKETS:
            raise EmulatorHTTPError(
                400, f"asks for more than {_MAX_BUCKETS} {period}; use a coarser res or a shorter range",
                field="query.res",
            )
    return [*out, cursor.timestamp()]


