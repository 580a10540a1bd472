"""Delivery metrics counted per time bucket, overall and per tracked link."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import Any

from ._db import Store
from .content import (
    ensure,
    links_of,
)
from .messages import (
    METRICS,
)

SERIES_METRICS = (
    "attempted", "bounced", "clicked", "human_clicked", "prefetch_clicked", "converted", "created", "deferred",
    "delivered", "drafted", "failed", "opened", "human_opened", "prefetch_opened", "sent", "spammed", "suppressed",
    "undeliverable", "topic_unsubscribed", "unsubscribed",
)


def count_series(values: Iterable[float | None], edges: Sequence[float]) -> list[int]:
    """How many timestamps fall in each bucket ``[edges[i], edges[i+1])``."""
    counts = [0] * (len(edges) - 1)
    for v in values:
        if v is None or v < edges[0] or v >= edges[-1]:
            continue
        counts[bisect.bisect_right(edges, v) - 1] += 1
    return counts


def metric_series(
    store: Store, where: str, params: Sequence[Any], edges: Sequence[float], *, webhook_codes: bool = False
) -> dict[str, list[int]]:
    """Every delivery metric of the matching messages, counted per bucket."""
    cols = ", ".join(m for m in METRICS)
    rows = ensure(store).query(
        f"SELECT type, {cols} FROM app_messages WHERE ({where}) AND created < ? AND created >= ?",
        # Deliveries created up to 30 days before the window can still open or click inside it.
        [*params, edges[-1], edges[0] - 30 * 86400],
    )
    series: dict[str, list[int]] = {}
    for m in SERIES_METRICS:
        column = {"human_clicked": "clicked", "human_opened": "opened"}.get(m, m)
        if column in METRICS:
            series[m] = count_series((r[column] for r in rows), edges)
        else:
            series[m] = [0] * (len(edges) - 1)
    if webhook_codes:
        hooks = [r for r in rows if r["type"] == "webhook"]
        series["2xx"] = count_series((r["sent"] for r in hooks), edges)
        series["5xx"] = count_series((r["failed"] for r in hooks), edges)
        series["3xx"] = [0] * (len(edges) - 1)
        series["4xx"] = [0] * (len(edges) - 1)
    return series


def link_series(
    store: Store, owners: Sequence[str], where: str, params: Sequence[Any], edges: Sequence[float], *,
    unique: bool = False,
) -> list[dict[str, Any]]:
    """Per tracked link of ``owners``: clicks per bucket among the matching messages."""
    out = []
    seen: set[int] = set()
    for owner in owners:
        for link in links_of(store, owner):
            if link["id"] in seen:
                continue
            seen.add(link["id"])
            sql = f"SELECT clicked, person_pk FROM app_messages WHERE ({where}) AND link_id = ? AND clicked IS NOT NULL"
            rows = ensure(store).query(sql, [*params, link["id"]])
            if unique:
                first: dict[Any, float] = {}
                for r in rows:
                    key = r["person_pk"]
                    first[key] = min(first.get(key, r["clicked"]), r["clicked"])
                values: Iterable[float] = first.values()
            else:
                values = (r["clicked"] for r in rows)
            out.append({"link": {"id": int(link["id"]), "href": link["href"]},
                        "metric": {"series": {"clicked": count_series(values, edges)}}})
    return out


