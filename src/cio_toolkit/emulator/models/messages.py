"""Deliveries (``app_messages``): the metric columns, bulk insert, list filters and the API's message shapes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from . import people
from ._db import Store
from .content import (
    dedup_id,
    ensure,
)

# Metric columns of app_messages, in the order a delivery goes through them.
METRICS = (
    "created", "drafted", "attempted", "sent", "delivered", "opened", "clicked", "converted",
    "bounced", "spammed", "unsubscribed", "topic_unsubscribed", "failed", "undeliverable",
    "dropped", "deferred", "suppressed",
)


MESSAGE_COLUMNS = (
    "id", "person_pk", "customer_id", "email", "cio_id", "recipient", "subject", "type",
    "campaign_id", "broadcast_id", "newsletter_id", "action_id", "parent_action_id", "content_id",
    "transactional_id", "trigger_id", "template_id", "link_id", "failure_message", "body", "sender",
    "forgotten", *METRICS,
)


# Message type -> reporting-webhook channel and activity suffix.
CHANNEL = {"email": "email", "push": "push", "twilio": "sms", "webhook": "webhook", "slack": "slack", "in_app": "in_app"}


# Deliveries stored with a future send_at, until the clock passes it (services.deliveries.deliver_due).
SCHEDULE_SCHEMA = """
CREATE TABLE IF NOT EXISTS app_scheduled_sends (
    delivery_id TEXT PRIMARY KEY,
    send_at REAL NOT NULL,
    link_owner TEXT,
    failure TEXT
);
CREATE INDEX IF NOT EXISTS app_scheduled_sends_at ON app_scheduled_sends(send_at);
"""
_INSERT = (f"INSERT INTO app_messages ({', '.join(MESSAGE_COLUMNS)})"
           f" VALUES ({', '.join('?' for _ in MESSAGE_COLUMNS)})")


def _values(rows: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    return [tuple(r.get(c) for c in MESSAGE_COLUMNS) for r in rows]


def insert_messages(store: Store, rows: Iterable[Mapping[str, Any]]) -> None:
    """Bulk-insert delivery rows (missing columns are NULL)."""
    ensure(store)
    with store.transaction() as conn:
        conn.executemany(_INSERT, _values(rows))


def schedule_message(
    store: Store, row: Mapping[str, Any], *, send_at: float, link_owner: str | None, failure: str | None
) -> None:
    """Store an unsent delivery and schedule it for ``send_at`` (with what its send will need), in one transaction."""
    ensure(store).ensure_schema(SCHEDULE_SCHEMA)
    with store.transaction() as conn:
        conn.executemany(_INSERT, _values([row]))
        conn.execute(
            "INSERT INTO app_scheduled_sends (delivery_id, send_at, link_owner, failure) VALUES (?, ?, ?, ?)",
            (row["id"], send_at, link_owner, failure),
        )


def take_due_messages(store: Store, until: float) -> list[dict[str, Any]]:
    """Unschedule the deliveries due by ``until`` and return them (with ``send_at``, ``link_owner`` and ``failure``), earliest first.

    Taken in one transaction, so two callers never send the same delivery.
    """
    ensure(store).ensure_schema(SCHEDULE_SCHEMA)
    with store.transaction() as conn:
        rows = list(conn.execute(
            "SELECT m.*, s.send_at AS send_at, s.link_owner AS link_owner, s.failure AS failure"
            " FROM app_scheduled_sends s JOIN app_messages m ON m.id = s.delivery_id"
            " WHERE s.send_at <= ? ORDER BY s.send_at, m.id",
            (until,),
        ))
        conn.execute("DELETE FROM app_scheduled_sends WHERE send_at <= ?", (until,))
    return rows


def next_send_at(store: Store) -> float | None:
    """When the earliest scheduled delivery is due, or None."""
    rows = ensure(store).ensure_schema(SCHEDULE_SCHEMA).query("SELECT MIN(send_at) AS t FROM app_scheduled_sends")
    return None if rows[0]["t"] is None else float(rows[0]["t"])


def update_message(store: Store, delivery_id: str, fields: Mapping[str, Any]) -> None:
    """Set columns (of :data:`MESSAGE_COLUMNS`) of a stored delivery."""
    unknown = set(fields) - set(MESSAGE_COLUMNS)
    if unknown:
        raise ValueError(f"not app_messages columns: {sorted(unknown)}")
    assignments = ", ".join(f"{c} = ?" for c in fields)
    ensure(store).execute(f"UPDATE app_messages SET {assignments} WHERE id = ?", [*fields.values(), delivery_id])


def _ts(value: Any) -> int | None:
    return None if value is None else int(value)


def message_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """A delivery as listMessages/getMessage answer it."""
    metrics: dict[str, int] = {}
    for m in ("bounced", "clicked", "converted", "created", "delivered", "drafted", "dropped", "failed", "opened",
              "sent", "spammed", "undeliverable", "unsubscribed"):
        if row.get(m) is not None:
            metrics[m] = int(row[m])
    if "opened" in metrics:
        metrics["human_opened"] = metrics["opened"]
    if "clicked" in metrics:
        metrics["human_clicked"] = metrics["clicked"]
    out = _message_fields(row, metrics)
    out.update(
        customer_id=row.get("customer_id"),
        customer_identifiers={"email": row.get("email"), "id": row.get("customer_id"), "cio_id": row.get("cio_id") or ""},
        campaign_id=row.get("campaign_id"),
        trigger_event_id=None,
    )
    template = _template_id(row)
    if template is not None:
        out["message_template_id"] = int(template)
    for key in ("action_id", "parent_action_id", "content_id"):
        if row.get(key) is not None:
            out[key] = int(row[key])
    return out


def person_message_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """A delivery as getPersonMessages answers it (the spec's narrower shape)."""
    out = _message_fields(row, {m: int(row[m]) for m in ("delivered", "sent") if row.get(m) is not None})
    out.update(customer_id=row.get("customer_id") or row.get("cio_id") or "", content_id=row.get("content_id"))
    template = _template_id(row)
    if template is not None:
        out["msg_template_id"] = str(template)
    for key in ("campaign_id", "action_id"):
        if row.get(key) is not None:
            out[key] = int(row[key])
    return out


def _message_fields(row: Mapping[str, Any], metrics: dict[str, int]) -> dict[str, Any]:
    """The fields both message shapes share."""
    return {
        "id": row["id"],
        "deduplicate_id": dedup_id(row["id"], row["created"]),
        "recipient": row.get("recipient") or "",
        "subject": row.get("subject") or "",
        "metrics": metrics,
        "created": int(row["created"]),
        "failure_message": row.get("failure_message"),
        "newsletter_id": row.get("newsletter_id"),
        "broadcast_id": row.get("broadcast_id"),
        "type": row["type"] if row["type"] in ("email", "webhook", "twilio", "slack", "push") else "email",
        "forgotten": bool(row.get("forgotten")),
    }


def _template_id(row: Mapping[str, Any]) -> Any:
    return row.get("template_id") or row.get("action_id") or row.get("content_id") or row.get("transactional_id")


def message_filter(
    where: str = "1 = 1", params: Sequence[Any] = (), *, type: str | None = None, metric: str | None = None,
    state: str | None = None, drafts: bool | None = None, start_ts: int | None = None, end_ts: int | None = None,
) -> tuple[str, list[Any]]:
    """SQL condition for the common message list filters (type, metric, state, drafts, start_ts/end_ts)."""
    sql, args = where, list(params)
    if type:
        sql += " AND type = ?"
        args.append(type)
    if metric in METRICS:
        sql += f" AND {metric} IS NOT NULL"
    if state in ("failed", "sent", "drafted", "attempted"):
        sql += f" AND {state} IS NOT NULL"
    if drafts is not None:
        sql += " AND drafted IS NOT NULL" if drafts else " AND drafted IS NULL"
    if start_ts is not None:
        sql += " AND created >= ?"
        args.append(start_ts)
    if end_ts is not None:
        sql += " AND created <= ?"
        args.append(end_ts)
    return sql, args


def message_rows(store: Store, where: str, params: Sequence[Any], *, offset: int, limit: int) -> list[dict[str, Any]]:
    """Matching deliveries newest first, ``limit`` of them from ``offset``."""
    return ensure(store).query(
        f"SELECT * FROM app_messages WHERE {where} ORDER BY created DESC, id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )


def record_unsubscribe(store: Store, delivery_id: str, at: float) -> tuple[dict[str, Any] | None, bool]:
    """Unsubscribe the person of a stored delivery and stamp its ``unsubscribed`` metric, in one transaction.

    Returns the delivery row (None for an unknown id) and whether this was its first unsubscribe.
    A person deleted since the send is left alone.
    """
    people.ensure(ensure(store))
    with store.transaction() as conn:
        rows = list(conn.execute("SELECT * FROM app_messages WHERE id = ?", (delivery_id,)))
        if not rows:
            return None, False
        row = rows[0]
        if row["person_pk"] is not None and row["cio_id"] is not None:
            people.mark_unsubscribed(conn, row["person_pk"], row["cio_id"], at)
        first = row["unsubscribed"] is None
        if first:
            conn.execute("UPDATE app_messages SET unsubscribed = ? WHERE id = ?", (at, delivery_id))
    return row, first


def message(store: Store, message_id: str) -> dict[str, Any] | None:
    """The delivery ``message_id``, or None."""
    rows = ensure(store).query("SELECT * FROM app_messages WHERE id = ?", (message_id,))
    return rows[0] if rows else None


def journeys(store: Store, campaign_id: Any, start: float, end: float) -> list[dict[str, Any]]:
    """Per person of a campaign in ``[start, end)``: first delivery (``started``) and whether
    any was ``messaged``, ``converted`` or unsubscribed (``exited``)."""
    return ensure(store).query(
        "SELECT person_pk, MIN(created) AS started, MAX(sent IS NOT NULL) AS messaged,"
        " MAX(converted IS NOT NULL) AS converted, MAX(unsubscribed IS NOT NULL) AS exited"
        " FROM app_messages WHERE campaign_id = ? AND created >= ? AND created < ? GROUP BY person_pk",
        (campaign_id, start, end),
    )


def messages_with_attributes(store: Store, where: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    """Deliveries matching ``where`` (a :func:`message_filter` clause) oldest first, each with its
    person's ``attributes``."""
    return ensure(store).query(
        f"SELECT m.*, p.attributes AS attributes FROM app_messages m LEFT JOIN people p ON p.pk = m.person_pk"
        f" WHERE {where.replace('created', 'm.created')} ORDER BY m.created, m.id",
        params,
    )


def last_sent_at(store: Store, person_pk: int, type: str) -> float | None:
    """When the person was last sent a message of ``type`` (``email``, ``push``...), or None."""
    rows = ensure(store).query(
        "SELECT MAX(sent) AS t FROM app_messages WHERE person_pk = ? AND type = ?", (person_pk, type)
    )
    return None if rows[0]["t"] is None else float(rows[0]["t"])


def sent_count(store: Store) -> int:
    """How many deliveries were sent."""
    return int(ensure(store).query("SELECT COUNT(*) AS n FROM app_messages WHERE sent IS NOT NULL")[0]["n"])
