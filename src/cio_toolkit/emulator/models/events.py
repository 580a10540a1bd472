"""Activities: stored events, page views, screens and attribute changes merged with delivery metrics, newest first."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from cio_toolkit.specs import operations

from . import people
from ._db import Store
from .content import (
    ensure,
)


def _activity_types() -> frozenset[str]:
    for _, _, op in operations("app_api"):
        if op.get("operationId") == "listActivities":
            for p in op.get("parameters", []):
                if isinstance(p, dict) and p.get("name") == "type":
                    return frozenset((p.get("schema") or {}).get("enum") or [])
    return frozenset()


ACTIVITY_TYPES = _activity_types()


_DELIVERY_TYPE = {"email": "email", "twilio": "phone", "push": "ios"}


_ACTIVITY_METRICS = ("drafted", "attempted", "sent", "delivered", "opened", "clicked", "converted", "bounced",
                     "spammed", "unsubscribed", "failed", "undeliverable", "dropped")


def activities(
    store: Store, *, person_pk: int | None = None, type_: str | None = None, name: str | None = None,
    offset: int = 0, limit: int = 50,
) -> tuple[list[dict[str, Any]], bool]:
    """Activities newest first (events, page views, screens, attribute changes and delivery metrics); and whether more exist.

    An ``attribute_change`` activity's data is ``{name: {"from": old, "to": new}}`` (strings, ``""``
    for none), one activity per changed attribute; ``name`` selects events only.
    """
    people.ensure(ensure(store))
    parts: list[str] = []
    args: list[Any] = []
    person_sql = " AND person_pk = ?" if person_pk is not None else " AND person_pk IS NOT NULL"
    person_args = [person_pk] if person_pk is not None else []
    event_types = {"event": "track", "page": "page", "screen": "screen"}
    if type_ is None or type_ in event_types:
        kinds = [event_types[type_]] if type_ else list(event_types.values())
        marks = ", ".join("?" for _ in kinds)
        sql = (
            "SELECT 'e' || pk AS aid, person_pk, CASE type WHEN 'track' THEN 'event' ELSE type END AS atype,"
            " name, timestamp AS ts, NULL AS delivery_id, NULL AS mtype, properties"
            f" FROM events WHERE type IN ({marks}){person_sql}"
        )
        args += [*kinds, *person_args]
        if name is not None:
            sql += " AND name = ?"
            args.append(name)
        parts.append(sql)
    if name is None and type_ in (None, "attribute_change"):
        parts.append(
            "SELECT 'a' || pk AS aid, person_pk, 'attribute_change' AS atype, NULL AS name, timestamp AS ts,"
            " NULL AS delivery_id, NULL AS mtype, json_object(name, json_object('from', old, 'to', new)) AS properties"
            f" FROM attribute_changes WHERE 1 = 1{person_sql}"
        )
        args += person_args
    if name is None:
        for metric in _ACTIVITY_METRICS:
            wanted = [t for t in ("email", "push", "twilio", "webhook", "slack") if f"{metric}_{t}" in ACTIVITY_TYPES]
            if type_ is not None:
                wanted = [t for t in wanted if f"{metric}_{t}" == type_]
            if not wanted:
                continue
            marks = ", ".join("?" for _ in wanted)
            parts.append(
                f"SELECT id || ':{metric}' AS aid, person_pk, '{metric}_' || type AS atype, NULL AS name,"
                f" {metric} AS ts, id AS delivery_id, type AS mtype, NULL AS properties FROM app_messages"
                f" WHERE {metric} IS NOT NULL AND type IN ({marks}){person_sql}"
            )
            args += [*wanted, *person_args]
    if not parts:
        return [], False
    rows = store.query(
        "SELECT a.*, p.id AS pid, p.email AS pemail, p.cio_id AS pcio FROM (" + " UNION ALL ".join(parts) + ") a"
        " LEFT JOIN people p ON p.pk = a.person_pk ORDER BY a.ts DESC, a.aid LIMIT ? OFFSET ?",
        [*args, limit + 1, offset],
    )
    out = []
    for r in rows[:limit]:
        item: dict[str, Any] = {
            "id": r["aid"],
            "customer_id": r["pid"],
            "customer_identifiers": {"email": r["pemail"], "id": r["pid"], "cio_id": r["pcio"] or ""},
            "timestamp": int(r["ts"]),
            "type": r["atype"],
        }
        if r["delivery_id"]:
            item["delivery_id"] = r["delivery_id"]
            item["data"] = {"delivery_id": r["delivery_id"]}
            if r["mtype"] in _DELIVERY_TYPE:
                item["delivery_type"] = _DELIVERY_TYPE[r["mtype"]]
        elif r["atype"] == "attribute_change":
            item["data"] = r["properties"]
        else:
            data = dict(r["properties"] or {})
            for key, ok in (("delivered", lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool))),
                            ("opened", lambda v: v is None or isinstance(v, bool)),
                            ("delivery_id", lambda v: isinstance(v, str))):
                if key in data and not ok(data[key]):
                    data.pop(key)  # keep the event's data within the spec's activity shape
            item["data"] = data
            if r["name"] is not None:
                item["name"] = r["name"]
        out.append(item)
    return out, len(rows) > limit




def insert_rows(conn: sqlite3.Connection, rows: Iterable[Sequence[Any]], *, api: str) -> None:
    """Bulk-insert ``(person_pk, type, name, properties, timestamp)`` seed events of ``api`` in the caller's transaction."""
    conn.executemany("INSERT INTO events (person_pk, type, name, properties, timestamp, api)"
                     " VALUES (?, ?, ?, ?, ?, ?)", [(*r, api) for r in rows])
