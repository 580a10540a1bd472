"""State of the App API emulator: tables, lookups, filters, pagination, deliveries and metrics.

Every ``app_*`` handler module and the ``demo`` seed work through these functions, on the same
SQLite store the Pipelines and Track handlers write (people, events, devices, objects and their
``track_object_ids``, relationships, segments). App-only state lives in two tables created here:

- ``app_docs (kind, key, parent, data)``: campaigns, actions and their translations, broadcasts,
  triggers, newsletters, contents, test groups, transactional templates, sender identities,
  snippets, collections, topics, workspaces, reporting webhooks, ESP suppressions, exports,
  imports, links. ``data`` is the API's own JSON; keys starting with ``_`` are private and never
  answered.
- ``app_messages``: one row per delivery with a timestamp column per metric (sent, delivered,
  opened, ...). Message lists, activities, metrics series, link metrics and deliveries exports
  are all computed from it, so they always agree.

Delivery events hook (for the reporting-webhook sender)
-------------------------------------------------------
:func:`on_delivery_event` registers ``callback(store, event)``; it is called once for every
delivery metric a send or a broadcast trigger produces (``attempted``, ``sent``, ``delivered``, ``opened``,
``clicked``, ``converted``, ``bounced``, ``spammed``, ``unsubscribed``, ``dropped``, ``failed``,
``drafted`` ...), in time order per delivery, right after the delivery is stored, and once more
with ``unsubscribed`` when an unsubscribe is later attributed to a delivery
(:func:`unsubscribe_delivery`, the Track API's ``/unsubscribe/{delivery_id}``). ``event`` is a
dict::

    {"metric": "opened", "timestamp": 1700000000, "delivery_id": "...", "channel": "email",
     "message_type": "email" | "push" | "twilio" | "webhook" | "slack",
     "recipient": "a@example.com", "customer_id": "u1" | None,
     "identifiers": {"id": ..., "email": ..., "cio_id": ...},
     "campaign_id": None, "broadcast_id": 3, "newsletter_id": None, "action_id": 12,
     "content_id": None, "transactional_message_id": None, "trigger_id": 7,
     "subject": "...", "href": "https://..." (clicked only), "link_id": 4 (clicked only),
     "failure_message": "..." (bounced/dropped/failed only)}

``channel`` is the reporting-webhook object name (``email``, ``push``, ``sms``, ``webhook``,
``slack``). Callbacks run synchronously in the emulator's event loop: they must return quickly
(hand the event to a queue or ``asyncio.get_running_loop().create_task``). An exception in a
callback is logged and never fails the request. Seeded history does not fire events.
:func:`list_reporting_webhooks` returns the stored webhook configurations (with ids).
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import logging
import re
import threading
import time
import uuid
import weakref
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson

from cio_toolkit.specs import operations

from .._body import inflate
from ..models import Store
from ..registry import EmulatorHTTPError, RequestContext

__all__ = [
    "DeliveryListener",
    "list_reporting_webhooks",
    "off_delivery_event",
    "on_delivery_event",
    "unsubscribe_delivery",
]

logger = logging.getLogger("cio_toolkit.emulator")

SCHEMA = """
CREATE TABLE IF NOT EXISTS app_docs (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    parent TEXT,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX IF NOT EXISTS app_docs_parent ON app_docs(kind, parent);
CREATE TABLE IF NOT EXISTS app_messages (
    id TEXT PRIMARY KEY,
    person_pk INTEGER,
    customer_id TEXT,
    email TEXT,
    cio_id TEXT,
    recipient TEXT,
    subject TEXT,
    type TEXT NOT NULL,
    campaign_id INTEGER,
    broadcast_id INTEGER,
    newsletter_id INTEGER,
    action_id INTEGER,
    parent_action_id INTEGER,
    content_id INTEGER,
    transactional_id INTEGER,
    trigger_id INTEGER,
    template_id INTEGER,
    link_id INTEGER,
    failure_message TEXT,
    body TEXT,
    sender TEXT,
    forgotten INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL,
    drafted REAL, attempted REAL, sent REAL, delivered REAL, opened REAL, clicked REAL,
    converted REAL, bounced REAL, spammed REAL, unsubscribed REAL, topic_unsubscribed REAL,
    failed REAL, undeliverable REAL, dropped REAL, deferred REAL, suppressed REAL
);
CREATE INDEX IF NOT EXISTS app_messages_person ON app_messages(person_pk);
CREATE INDEX IF NOT EXISTS app_messages_campaign ON app_messages(campaign_id);
CREATE INDEX IF NOT EXISTS app_messages_broadcast ON app_messages(broadcast_id);
CREATE INDEX IF NOT EXISTS app_messages_newsletter ON app_messages(newsletter_id);
CREATE INDEX IF NOT EXISTS app_messages_transactional ON app_messages(transactional_id);
CREATE INDEX IF NOT EXISTS app_messages_created ON app_messages(created);
"""

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
WORKSPACE_USER = {"user_id": 1, "user_email": "data-team@example.com"}
FILES_NAMESPACE = "emulator_files"

_ready: weakref.WeakSet[Store] = weakref.WeakSet()
_ready_lock = threading.Lock()


def ensure(store: Store) -> Store:
    """Create the App API tables in ``store`` once."""
    if store not in _ready:
        with _ready_lock:
            if store not in _ready:
                store.ensure_schema(SCHEMA)
                _ready.add(store)
    return store


def st(ctx: RequestContext) -> Store:
    """The store of a request, with the App API tables in place."""
    return ensure(ctx.store)


def dumps(value: Any) -> str:
    """Compact JSON text."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def now() -> float:
    """The current time (one place, so tests could shift it)."""
    return time.time()


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


# --- documents ---------------------------------------------------------------------------


def public(data: Mapping[str, Any]) -> dict[str, Any]:
    """The API view of a document: private ``_`` keys removed."""
    return {k: v for k, v in data.items() if not k.startswith("_")}


def doc_get(store: Store, kind: str, key: Any) -> dict[str, Any] | None:
    """One document, or None."""
    rows = ensure(store).query("SELECT data FROM app_docs WHERE kind = ? AND key = ?", (kind, str(key)))
    return orjson.loads(rows[0]["data"]) if rows else None


def doc_list(store: Store, kind: str, parent: Any = None) -> list[dict[str, Any]]:
    """Documents of ``kind`` (under ``parent`` when given) in creation order."""
    if parent is None:
        rows = ensure(store).query("SELECT data FROM app_docs WHERE kind = ? ORDER BY seq", (kind,))
    else:
        rows = ensure(store).query(
            "SELECT data FROM app_docs WHERE kind = ? AND parent = ? ORDER BY seq", (kind, str(parent))
        )
    return [orjson.loads(r["data"]) for r in rows]


def doc_put(store: Store, kind: str, key: Any, data: Mapping[str, Any], parent: Any = None) -> dict[str, Any]:
    """Insert or replace a document (its creation order is kept on replace)."""
    ensure(store).execute(
        "INSERT INTO app_docs (kind, key, parent, seq, data) VALUES (?, ?, ?,"
        " (SELECT COALESCE(MAX(seq), 0) + 1 FROM app_docs), ?)"
        " ON CONFLICT(kind, key) DO UPDATE SET data = excluded.data, parent = excluded.parent",
        (kind, str(key), None if parent is None else str(parent), dumps(dict(data))),
    )
    return dict(data)


def doc_delete(store: Store, kind: str, key: Any) -> bool:
    """Remove a document; True if it existed."""
    return ensure(store).execute("DELETE FROM app_docs WHERE kind = ? AND key = ?", (kind, str(key))) > 0


def next_id(store: Store, sequence: str) -> int:
    """The next integer id of ``sequence`` (ids are never reused, like the real service)."""
    with store.transaction() as conn:
        rows = list(conn.execute("SELECT value FROM kv WHERE namespace = 'app_seq' AND key = ?", (sequence,)))
        value = int(orjson.loads(rows[0]["value"])) + 1 if rows else 1
        conn.execute(
            "INSERT INTO kv (namespace, key, value) VALUES ('app_seq', ?, ?)"
            " ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value",
            (sequence, str(value)),
        )
    return value


def set_sequence(store: Store, sequence: str, value: int) -> None:
    """Make :func:`next_id` continue after ``value`` (used by seeds)."""
    store.kv_set("app_seq", sequence, value)


def require_doc(store: Store, kind: str, key: Any, what: str, field: str) -> dict[str, Any]:
    """The document, or a 404 naming it."""
    found = doc_get(store, kind, key)
    if found is None:
        raise not_found(f"{what} {key}", field)
    return found


def dedup_id(obj_id: Any, updated: float | int) -> str:
    """The spec's ``deduplicate_id``: ``id:timestamp`` of the last update."""
    return f"{obj_id}:{int(updated)}"


# --- files (served by the core at /_emulator/files/{file_id}) -----------------------------


def put_file(store: Store, data: bytes, *, name: str, content_type: str, ttl: float | None = None) -> str:
    """Store a downloadable file; return its unguessable id (valid ``ttl`` seconds when given)."""
    file_id = uuid.uuid4().hex
    store.kv_set(
        FILES_NAMESPACE,
        file_id,
        {
            "name": name,
            "content_type": content_type,
            "data": base64.b64encode(data).decode(),
            "expires_at": None if ttl is None else now() + ttl,
        },
    )
    return file_id


def read_file(store: Store, file_id: str) -> bytes | None:
    """The bytes of a stored file, or None."""
    entry = store.kv_get(FILES_NAMESPACE, file_id)
    if not isinstance(entry, dict):
        return None
    return base64.b64decode(entry["data"])


# --- people ------------------------------------------------------------------------------


def identifiers(person: Mapping[str, Any]) -> dict[str, Any]:
    """``{"email", "id", "cio_id"}`` of a person row (the spec requires all three keys)."""
    return {"email": person.get("email"), "id": person.get("id"), "cio_id": person["cio_id"]}


def find_person(store: Store, value: str, id_type: str | None = "id") -> dict[str, Any] | None:
    """A person by ``id`` (default), ``email`` (case-insensitive) or ``cio_id`` (``cio_`` prefix optional)."""
    if id_type == "email":
        rows = store.query("SELECT * FROM people WHERE lower(email) = lower(?) ORDER BY pk LIMIT 1", (value,))
    elif id_type == "cio_id":
        rows = store.query("SELECT * FROM people WHERE cio_id = ?", (value,))
        if not rows and value.startswith("cio_"):
            rows = store.query("SELECT * FROM people WHERE cio_id = ?", (value[4:],))
    else:
        rows = store.query("SELECT * FROM people WHERE id = ?", (value,))
    return rows[0] if rows else None


def person_of_path(ctx: RequestContext) -> dict[str, Any]:
    """The person named by ``{customer_id}`` and ``id_type``, or a 404."""
    value = ctx.path_params["customer_id"]
    id_type = ctx.query.get("id_type") or "id"
    person = find_person(st(ctx), value, id_type)
    if person is None:
        raise not_found(f"customer {value!r} (id_type {id_type})", "path.customer_id")
    return person


def as_string(value: Any) -> str:
    """An attribute value as the App API shows it (every attribute value is a string)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if value is None:
        return ""
    return dumps(value)


def attribute_view(person: Mapping[str, Any]) -> dict[str, Any]:
    """A person's attributes with the identifier columns on top (what filters compare)."""
    view = dict(person.get("attributes") or {})
    for key in ("id", "email", "cio_id"):
        if person.get(key) is not None:
            view[key] = person[key]
        else:
            view.pop(key, None)
    return view


def is_unsubscribed(person: Mapping[str, Any]) -> bool:
    """Whether the person's ``unsubscribed`` attribute is set."""
    return as_string((person.get("attributes") or {}).get("unsubscribed")).lower() == "true"


def customer_json(store: Store, person: Mapping[str, Any]) -> dict[str, Any]:
    """The getPersonAttributes ``customer`` object of a person."""
    attrs: dict[str, Any] = {k: as_string(v) for k, v in (person.get("attributes") or {}).items() if v is not None}
    attrs["id"] = person.get("id")
    attrs["email"] = person.get("email")
    attrs["cio_id"] = person["cio_id"]
    created, updated = int(person["created_at"]), int(person["updated_at"])
    timestamps: dict[str, int] = {k: updated for k in attrs if k not in ("id", "email", "cio_id")}
    timestamps["cio_id"] = created
    if person.get("id") is not None:
        timestamps["id"] = created
    if person.get("email") is not None:
        timestamps["email"] = updated
    last = store.query(
        "SELECT MAX(sent) AS t FROM app_messages WHERE person_pk = ? AND type = 'email'", (person["pk"],)
    )
    if last and last[0]["t"] is not None:
        timestamps["_last_emailed"] = int(last[0]["t"])
    devices = []
    for d in store.query(
        "SELECT * FROM devices WHERE person_pk = ? ORDER BY last_used DESC", (person["pk"],)
    ):
        if d.get("platform") not in ("ios", "android"):
            continue  # the App API only knows iOS and Android devices
        device: dict[str, Any] = {"id": d["device_id"], "platform": d["platform"]}
        if d.get("last_used") is not None:
            device["last_used"] = int(d["last_used"])
        device["attributes"] = {k: as_string(v) for k, v in (d.get("attributes") or {}).items() if v is not None}
        devices.append(device)
    return {
        "id": person.get("id") or person["cio_id"],
        "identifiers": identifiers(person),
        "attributes": attrs,
        "timestamps": timestamps,
        "unsubscribed": is_unsubscribed(person),
        "devices": devices,
    }


# --- filters -----------------------------------------------------------------------------


class Audience:
    """Evaluates the spec's audience filters (and/or/not, segment, attribute) over people.

    One instance per request caches segment memberships, so a filter naming a segment many
    times (or a data-driven segment built on another) is computed once.
    """

    def __init__(self, store: Store) -> None:
        self.store = ensure(store)
        self._people: list[dict[str, Any]] | None = None
        self._segments: dict[int, set[int]] = {}
        self._computing: set[int] = set()

    @property
    def people(self) -> list[dict[str, Any]]:
        """Every person (loaded once)."""
        if self._people is None:
            self._people = self.store.people()
        return self._people

    def segment_members(self, segment_id: int) -> set[int]:
        """Person pks in a segment: stored members of a manual one, the filter's matches for a data-driven one."""
        if segment_id in self._segments:
            return self._segments[segment_id]
        rows = self.store.query("SELECT type, attributes FROM segments WHERE id = ?", (segment_id,))
        members: set[int] = set()
        if rows and rows[0]["type"] != "manual" and isinstance(rows[0]["attributes"].get("_filter"), dict):
            if segment_id in self._computing:
                return set()  # a segment defined through itself matches nobody rather than looping
            self._computing.add(segment_id)
            try:
                condition = rows[0]["attributes"]["_filter"]
                members = {p["pk"] for p in self.people if self.matches(p, condition)}
            finally:
                self._computing.discard(segment_id)
        elif rows:
            members = {
                r["person_pk"]
                for r in self.store.query("SELECT person_pk FROM segment_members WHERE segment_id = ?", (segment_id,))
            }
        self._segments[segment_id] = members
        return members

    def matches(self, person: Mapping[str, Any], condition: Any) -> bool:
        """Whether ``person`` satisfies ``condition`` (several keys in one object all apply)."""
        if not isinstance(condition, Mapping) or not condition:
            return False
        for key, value in condition.items():
            if key == "and":
                ok = isinstance(value, list) and all(self.matches(person, c) for c in value)
            elif key == "or":
                ok = isinstance(value, list) and any(self.matches(person, c) for c in value)
            elif key == "not":
                ok = not self.matches(person, value)
            elif key == "segment":
                seg = value.get("id") if isinstance(value, Mapping) else None
                ok = isinstance(seg, int) and person["pk"] in self.segment_members(seg)
            elif key == "attribute":
                ok = attribute_matches(attribute_view(person), value)
            else:
                continue  # unknown keys were already refused by request validation
            if not ok:
                return False
        return True

    def select(self, condition: Any) -> list[dict[str, Any]]:
        """People matching ``condition``, oldest first."""
        return [p for p in self.people if self.matches(p, condition)]


def attribute_matches(view: Mapping[str, Any], condition: Any) -> bool:
    """One ``{"field", "operator", "value"}`` condition; values compare as strings, like the API."""
    if not isinstance(condition, Mapping):
        return False
    field = str(condition.get("field"))
    present = field in view and view[field] not in (None, "")
    if condition.get("operator") == "exists":
        return present
    if condition.get("operator") == "eq":
        return present and as_string(view[field]) == as_string(condition.get("value"))
    return False


# --- pagination --------------------------------------------------------------------------


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


# --- objects -----------------------------------------------------------------------------


def cio_object_id(store: Store, object_type_id: str, object_id: str) -> str:
    """The object's cio_object_id, assigned on first use (shared with the Track handlers)."""
    ensure(store)
    rows = store.query(
        "SELECT cio_object_id FROM track_object_ids WHERE object_type_id = ? AND object_id = ?",
        (object_type_id, object_id),
    )
    if rows:
        return str(rows[0]["cio_object_id"])
    store.execute(
        "INSERT OR IGNORE INTO track_object_ids (cio_object_id, object_type_id, object_id) VALUES (?, ?, ?)",
        (uuid.uuid4().hex[:16], object_type_id, object_id),
    )
    return cio_object_id(store, object_type_id, object_id)


# --- messages and deliveries -------------------------------------------------------------

DeliveryListener = Callable[[Store, dict[str, Any]], Any]
_LISTENERS: list[DeliveryListener] = []


def on_delivery_event(callback: DeliveryListener) -> DeliveryListener:
    """Call ``callback(store, event)`` for every delivery metric of sends and broadcast triggers."""
    if callback not in _LISTENERS:
        _LISTENERS.append(callback)
    return callback


def off_delivery_event(callback: DeliveryListener) -> None:
    """Stop calling a callback registered with :func:`on_delivery_event`."""
    if callback in _LISTENERS:
        _LISTENERS.remove(callback)


def list_reporting_webhooks(store: Store) -> list[dict[str, Any]]:
    """The reporting webhooks configured through the App API (the spec's objects, with ids)."""
    return [public(d) for d in doc_list(store, "webhook")]


def _event_base(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "delivery_id": row["id"],
        "channel": CHANNEL.get(row["type"], row["type"]),
        "message_type": row["type"],
        "recipient": row.get("recipient"),
        "customer_id": row.get("customer_id"),
        "identifiers": {"id": row.get("customer_id"), "email": row.get("email"), "cio_id": row.get("cio_id")},
        "campaign_id": row.get("campaign_id"),
        "broadcast_id": row.get("broadcast_id"),
        "newsletter_id": row.get("newsletter_id"),
        "action_id": row.get("action_id"),
        "content_id": row.get("content_id"),
        "transactional_message_id": row.get("transactional_id"),
        "trigger_id": row.get("trigger_id"),
        "subject": row.get("subject"),
    }


def _notify_listeners(store: Store, event: dict[str, Any]) -> None:
    for callback in list(_LISTENERS):
        try:
            callback(store, event)
        except Exception:  # a broken listener must never fail the send
            logger.exception("delivery event listener %r failed", callback)


def _emit(store: Store, row: Mapping[str, Any], links: Mapping[int, str]) -> None:
    if not _LISTENERS:
        return
    base = _event_base(row)
    steps = sorted((row[m], i, m) for i, m in enumerate(METRICS) if m != "created" and row.get(m) is not None)
    for ts, _, metric in steps:
        event = dict(base, metric=metric, timestamp=int(ts))
        if metric == "clicked" and row.get("link_id") is not None:
            event["link_id"] = row["link_id"]
            event["href"] = links.get(int(row["link_id"]))
        if metric in ("bounced", "dropped", "failed", "undeliverable") and row.get("failure_message"):
            event["failure_message"] = row["failure_message"]
        _notify_listeners(store, event)


def unsubscribe_delivery(store: Store, delivery_id: str) -> bool:
    """Attribute an unsubscribe to a stored delivery and unsubscribe its person; False for an unknown id.

    The person's ``unsubscribed`` attribute becomes ``true`` (as the Track API's unsubscribe
    endpoint does in Customer.io), and the delivery gets its ``unsubscribed`` metric, which the
    delivery listeners hear about the first time. A person deleted since the send is left alone.
    """
    ensure(store)
    at = now()
    with store.transaction() as conn:
        rows = list(conn.execute("SELECT * FROM app_messages WHERE id = ?", (delivery_id,)))
        if not rows:
            return False
        row = rows[0]
        if row["person_pk"] is not None and row["cio_id"] is not None:
            # By pk and cio_id together: a pk freed by a deletion can be reused by someone else.
            conn.execute(
                "UPDATE people SET attributes = json_set(attributes, '$.unsubscribed', json('true')),"
                " updated_at = ? WHERE pk = ? AND cio_id = ?",
                (at, row["person_pk"], row["cio_id"]),
            )
        first = row["unsubscribed"] is None
        if first:
            conn.execute("UPDATE app_messages SET unsubscribed = ? WHERE id = ?", (at, delivery_id))
    if first and _LISTENERS:
        _notify_listeners(store, dict(_event_base(row), metric="unsubscribed", timestamp=int(at)))
    return True


def unit(*parts: Any) -> float:
    """A deterministic number in [0, 1) from ``parts`` (same inputs, same simulated outcome)."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def delivery_id_for(n: int) -> str:
    """The delivery id of sequence number ``n``: opaque and URL-safe, like Customer.io's."""
    return base64.urlsafe_b64encode(b"\x01cioemu" + n.to_bytes(8, "big")).decode().rstrip("=")


def new_delivery_id(store: Store) -> str:
    """The next delivery id of the store's sequence."""
    return delivery_id_for(next_id(store, "delivery"))


def simulate(
    delivery_id: str, kind: str, created: float, *, recipient: str | None, suppressed: str | None,
    draft: bool = False, scheduled: bool = False, has_links: bool = True, spread: float = 0.0,
) -> dict[str, Any]:
    """The metric timestamps (and failure message) of one delivery, decided by its id.

    Email: ~3% bounce, ~52% of delivered open, ~35% of openers click, ~25% of clickers convert,
    ~1% unsubscribe, ~0.3% spam reports; a recipient on an ESP suppression list is dropped and
    addresses starting ``bounce`` always bounce. Push and SMS deliver and (push) open; webhooks
    succeed. ``spread`` > 0 spaces the steps over up to that many seconds (seeded history).
    """
    out: dict[str, Any] = {}
    if draft:
        out["drafted"] = created
        return out
    if scheduled:
        return out
    step = (lambda i: created + i * max(1.0, spread * unit(delivery_id, "t", i) / 4)) if spread else (
        lambda i: created + i
    )
    if suppressed:
        out["attempted"] = created
        out["dropped"] = step(1)
        out["failure_message"] = f"The recipient is on the ESP's {suppressed} suppression list"
        return out
    out["attempted"] = created
    out["sent"] = step(1)
    u = unit(delivery_id, "fate")
    local = (recipient or "").split("@")[0].lower()
    if kind == "email":
        if local.startswith("bounce") or u < 0.03:
            out["bounced"] = step(2)
            out["failure_message"] = "550 5.1.1 The email account that you tried to reach does not exist"
            return out
        out["delivered"] = step(2)
        if local.startswith("complain") or unit(delivery_id, "spam") < 0.003:
            out["spammed"] = step(3)
            return out
        if unit(delivery_id, "open") < 0.52:
            out["opened"] = step(3)
            if has_links and unit(delivery_id, "click") < 0.35:
                out["clicked"] = step(4)
                if unit(delivery_id, "convert") < 0.25:
                    out["converted"] = step(5)
        if unit(delivery_id, "unsub") < 0.01:
            out["unsubscribed"] = step(6)
    elif kind == "push":
        if u < 0.02:
            out.pop("sent")
            out["failed"] = step(1)
            out["failure_message"] = "the device token is no longer registered"
            return out
        out["delivered"] = step(2)
        if unit(delivery_id, "open") < 0.3:
            out["opened"] = step(3)
            if unit(delivery_id, "convert") < 0.2:
                out["converted"] = step(4)
    elif kind == "twilio":
        if u < 0.02:
            out["undeliverable"] = step(2)
            out["failure_message"] = "30003 Unreachable destination handset"
            return out
        out["delivered"] = step(2)
        if has_links and unit(delivery_id, "click") < 0.12:
            out["clicked"] = step(3)
    elif kind in ("webhook", "slack") and u < 0.01:
        out.pop("sent")
        out["failed"] = step(1)
        out["failure_message"] = "500 Internal Server Error"
    return out


def esp_suppression(store: Store, email: str | None) -> str | None:
    """``"bounces"`` or ``"spam_reports"`` when the address is on an ESP suppression list."""
    if not email:
        return None
    for kind in ("bounces", "spam_reports"):
        if doc_get(store, f"esp_{kind}", email.lower()) is not None:
            return kind
    return None


def links_of(store: Store, owner: str) -> list[dict[str, Any]]:
    """Tracked links of a template (``owner`` such as ``action:12``, ``content:5``, ``tx_content:2``)."""
    return doc_list(store, "link", owner)


def add_link(store: Store, owner: str, href: str) -> dict[str, Any]:
    """Register a tracked link for a template (same href, same link)."""
    for link in links_of(store, owner):
        if link["href"] == href:
            return link
    link_id = next_id(store, "link")
    return doc_put(store, "link", link_id, {"id": link_id, "href": href}, parent=owner)


_HREF = re.compile(r"""href=["'](https?://[^"']+)["']""")


def register_links(store: Store, owner: str, html: str | None) -> list[dict[str, Any]]:
    """Register every ``href`` of ``html`` as a tracked link of ``owner``."""
    return [add_link(store, owner, href) for href in dict.fromkeys(_HREF.findall(html or ""))]


def record_delivery(
    store: Store,
    *,
    person: Mapping[str, Any] | None,
    type: str,
    recipient: str | None,
    subject: str | None = None,
    body: str | None = None,
    sender: str | None = None,
    created: float | None = None,
    link_owner: str | None = None,
    draft: bool = False,
    scheduled: bool = False,
    fire: bool = True,
    failure: str | None = None,
    **refs: Any,
) -> dict[str, Any]:
    """Store one delivery with simulated metrics and notify the delivery listeners; return the row.

    ``refs`` are the app_messages reference columns (campaign_id, broadcast_id, newsletter_id,
    action_id, parent_action_id, content_id, transactional_id, trigger_id, template_id).
    """
    ensure(store)
    created = now() if created is None else created
    delivery_id = new_delivery_id(store)
    links = links_of(store, link_owner) if link_owner else []
    suppressed = esp_suppression(store, recipient) if type == "email" else None
    fate = simulate(delivery_id, type, created, recipient=recipient, suppressed=suppressed, draft=draft,
                    scheduled=scheduled, has_links=bool(links))
    if failure is not None:
        fate = {"attempted": created, "failed": created + 1, "failure_message": failure}
    row: dict[str, Any] = {c: None for c in MESSAGE_COLUMNS}
    row.update(refs)
    row.update(
        id=delivery_id,
        person_pk=person["pk"] if person else None,
        customer_id=person.get("id") if person else None,
        email=person.get("email") if person else None,
        cio_id=person["cio_id"] if person else None,
        recipient=recipient,
        subject=subject,
        type=type,
        body=body,
        sender=sender,
        forgotten=0,
        created=created,
    )
    row["failure_message"] = fate.pop("failure_message", None)
    row.update(fate)
    if row.get("clicked") is not None and links:
        row["link_id"] = links[int(unit(delivery_id, "link") * len(links))]["id"]
    insert_messages(store, [row])
    address = (recipient or "").lower()
    if row.get("bounced") is not None and type == "email" and address and not doc_get(store, "esp_bounces", address):
        # A hard bounce puts the address on the ESP's bounce list, as the ESP would.
        doc_put(store, "esp_bounces", address, {
            "created": int(row["bounced"]), "email": address,
            "reason": row["failure_message"] or "bounced", "status": "5.1.1",
        })
    if fire:
        _emit(store, row, {int(lk["id"]): lk["href"] for lk in links})
    return row


def insert_messages(store: Store, rows: Iterable[Mapping[str, Any]]) -> None:
    """Bulk-insert delivery rows (missing columns are NULL)."""
    ensure(store)
    columns = ", ".join(MESSAGE_COLUMNS)
    marks = ", ".join("?" for _ in MESSAGE_COLUMNS)
    values = [tuple(r.get(c) for c in MESSAGE_COLUMNS) for r in rows]
    with store.transaction() as conn:
        conn.executemany(f"INSERT INTO app_messages ({columns}) VALUES ({marks})", values)


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
    out: dict[str, Any] = {
        "id": row["id"],
        "deduplicate_id": dedup_id(row["id"], row["created"]),
        "customer_id": row.get("customer_id"),
        "customer_identifiers": {"email": row.get("email"), "id": row.get("customer_id"),
                                 "cio_id": row.get("cio_id") or ""},
        "recipient": row.get("recipient") or "",
        "subject": row.get("subject") or "",
        "metrics": metrics,
        "created": int(row["created"]),
        "failure_message": row.get("failure_message"),
        "campaign_id": row.get("campaign_id"),
        "newsletter_id": row.get("newsletter_id"),
        "broadcast_id": row.get("broadcast_id"),
        "trigger_event_id": None,
        "type": row["type"] if row["type"] in ("email", "webhook", "twilio", "slack", "push") else "email",
        "forgotten": bool(row.get("forgotten")),
    }
    template = row.get("template_id") or row.get("action_id") or row.get("content_id") or row.get("transactional_id")
    if template is not None:
        out["message_template_id"] = int(template)
    for key in ("action_id", "parent_action_id", "content_id"):
        if row.get(key) is not None:
            out[key] = int(row[key])
    return out


def person_message_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """A delivery as getPersonMessages answers it (the spec's narrower shape)."""
    metrics = {m: int(row[m]) for m in ("delivered", "sent") if row.get(m) is not None}
    out: dict[str, Any] = {
        "id": row["id"],
        "deduplicate_id": dedup_id(row["id"], row["created"]),
        "customer_id": row.get("customer_id") or row.get("cio_id") or "",
        "recipient": row.get("recipient") or "",
        "subject": row.get("subject") or "",
        "metrics": metrics,
        "created": int(row["created"]),
        "failure_message": row.get("failure_message"),
        "newsletter_id": row.get("newsletter_id"),
        "content_id": row.get("content_id"),
        "broadcast_id": row.get("broadcast_id"),
        "type": row["type"] if row["type"] in ("email", "webhook", "twilio", "slack", "push") else "email",
        "forgotten": bool(row.get("forgotten")),
    }
    template = row.get("template_id") or row.get("action_id") or row.get("content_id") or row.get("transactional_id")
    if template is not None:
        out["msg_template_id"] = str(template)
    for key in ("campaign_id", "action_id"):
        if row.get(key) is not None:
            out[key] = int(row[key])
    return out


def message_query(ctx: RequestContext, where: str = "1 = 1", params: Sequence[Any] = ()) -> tuple[str, list[Any]]:
    """SQL condition for the common message list filters (type, metric, state, drafts, start_ts/end_ts)."""
    sql, args = where, list(params)
    msg_type = ctx.query.get("type")
    if msg_type:
        sql += " AND type = ?"
        args.append(msg_type)
    metric = ctx.query.get("metric")
    if metric in METRICS:
        sql += f" AND {metric} IS NOT NULL"
    state = ctx.query.get("state")
    if state in ("failed", "sent", "drafted", "attempted"):
        sql += f" AND {state} IS NOT NULL"
    if query_bool(ctx, "drafts"):
        sql += " AND drafted IS NOT NULL"
    elif "drafts" in ctx.query:
        sql += " AND drafted IS NULL"
    start_ts, end_ts = query_int(ctx, "start_ts"), query_int(ctx, "end_ts")
    if start_ts is not None:
        sql += " AND created >= ?"
        args.append(start_ts)
    if end_ts is not None:
        sql += " AND created <= ?"
        args.append(end_ts)
    return sql, args


def message_page(
    ctx: RequestContext, where: str, params: Sequence[Any] = (), *, default_limit: int = 50, max_limit: int = 1000,
    render: Callable[[Mapping[str, Any]], dict[str, Any]] = message_json,
) -> dict[str, Any]:
    """``{"messages": [...], "next": ...}`` newest first, for a filtered message list."""
    sql, args = message_query(ctx, where, params)
    offset, limit = page_window(ctx, default_limit=default_limit, max_limit=max_limit)
    rows = st(ctx).query(
        f"SELECT * FROM app_messages WHERE {sql} ORDER BY created DESC, id LIMIT ? OFFSET ?",
        [*args, limit + 1, offset],
    )
    more = len(rows) > limit
    return {"messages": [render(r) for r in rows[:limit]], "next": encode_cursor(offset + limit) if more else ""}


# --- metrics over time -------------------------------------------------------------------

_PERIOD = {"hours": "hours", "hourly": "hours", "days": "days", "daily": "days", "weeks": "weeks",
           "weekly": "weeks", "months": "months", "monthly": "months"}
_MAX_STEPS = {"hours": 24, "days": 45, "weeks": 12, "months": 121}
_DEFAULT_STEPS = {"hours": 24, "days": 45, "weeks": 12, "months": 12}
_MAX_BUCKETS = 5000
SERIES_METRICS = (
    "attempted", "bounced", "clicked", "human_clicked", "prefetch_clicked", "converted", "created", "deferred",
    "delivered", "drafted", "failed", "opened", "human_opened", "prefetch_opened", "sent", "spammed", "suppressed",
    "undeliverable", "topic_unsubscribed", "unsubscribed",
)


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
    current = _floor(datetime.fromtimestamp(now(), zone), period)
    starts = [_shift(current, period, -i) for i in range(n - 1, -1, -1)]
    return [s.timestamp() for s in starts] + [_shift(current, period, 1).timestamp()]


def buckets_v2(ctx: RequestContext) -> list[float]:
    """Bucket start times for ``res``/``start``/``end``/``tz`` (version 2 metrics) plus the end."""
    period = _PERIOD.get(ctx.query.get("res") or "days", "days")
    zone = _zone(ctx.query.get("tz"))
    end = query_int(ctx, "end") or int(now())
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


# --- activities --------------------------------------------------------------------------


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
    """Activities newest first (events, page views, screens and delivery metrics); and whether more exist."""
    ensure(store)
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


# --- rendering and sending templates -----------------------------------------------------

_LIQUID = re.compile(r"{{\s*([a-zA-Z_]+)((?:\.[A-Za-z0-9_-]+)+)\s*(?:\|\s*default:\s*['\"]([^'\"]*)['\"]\s*)?}}")


def render(template: str | None, person: Mapping[str, Any] | None, data: Mapping[str, Any] | None) -> str:
    """Fill ``{{customer.x}}``, ``{{trigger.x}}``/``{{event.x}}``/``{{message_data.x}}`` placeholders.

    A small subset of Liquid (dotted paths and ``| default: "..."``): enough for previews and
    archived messages to show what a recipient saw; unknown placeholders render empty.
    """
    if not template:
        return template or ""
    customer = attribute_view(person) if person else {}

    def lookup(match: re.Match[str]) -> str:
        root, path, default = match.group(1), match.group(2).strip(".").split("."), match.group(3)
        node: Any = customer if root == "customer" else data if root in ("trigger", "event", "message_data") else None
        for part in path:
            node = node.get(part) if isinstance(node, Mapping) else None
        if node in (None, ""):
            return default or ""
        return as_string(node)

    return _LIQUID.sub(lookup, template)


def recipient_for(store: Store, person: Mapping[str, Any] | None, type: str, template: Mapping[str, Any]
                  ) -> tuple[str | None, str | None]:
    """``(recipient, failure)`` of a message of ``type`` to ``person``."""
    if type == "email":
        email = person.get("email") if person else None
        return (email, None) if email else (None, "The person has no email address")
    if type == "twilio":
        phone = (person.get("attributes") or {}).get("phone") if person else None
        return (str(phone), None) if phone else (None, "The person has no phone attribute")
    if type == "push":
        if person is None:
            return None, "No device to send to"
        rows = store.query(
            "SELECT device_id FROM devices WHERE person_pk = ? ORDER BY last_used DESC LIMIT 1", (person["pk"],)
        )
        return (rows[0]["device_id"], None) if rows else (None, "The person has no device")
    if type == "webhook":
        return str(template.get("url") or ""), None
    return (person.get("id") if person else None), None


def send_template(
    store: Store,
    *,
    person: Mapping[str, Any] | None,
    template: Mapping[str, Any],
    link_owner: str,
    data: Mapping[str, Any] | None = None,
    created: float | None = None,
    fire: bool = True,
    **refs: Any,
) -> dict[str, Any]:
    """Deliver one action/content ``template`` to ``person``: render it, pick the recipient, record it."""
    msg_type = template.get("type") or "email"
    if msg_type == "in_app":
        msg_type = "push"
    recipient, failure = recipient_for(store, person, msg_type, template)
    rendered_recipient = render(template.get("recipient"), person, data) if template.get("recipient") else None
    if msg_type == "email" and rendered_recipient and "@" in rendered_recipient:
        recipient = rendered_recipient
    return record_delivery(
        store,
        person=person,
        type=msg_type,
        recipient=recipient,
        subject=render(template.get("subject"), person, data) or template.get("name"),
        body=render(template.get("body"), person, data),
        sender=template.get("from"),
        created=created,
        link_owner=link_owner,
        draft=template.get("sending_state") == "draft",
        failure=failure,
        fire=fire,
        **refs,
    )


IMPORT_FILE_BYTES = 64 * 1024 * 1024  # the most an import's data_file_url may hold, after gunzip


class FileTooLarge(ValueError):
    """A fetched file (or its gunzipped content) is over the byte cap."""


async def fetch_url(store: Store, url: str, *, own_base: str, cap: int = IMPORT_FILE_BYTES) -> bytes:
    """The bytes behind ``url`` (gunzipped when gzip), at most ``cap`` of them.

    A file this emulator serves is read from the store, others over HTTP; a body over ``cap``
    stops the read and raises :class:`FileTooLarge`, as does gzip content expanding past it.
    """
    prefix = own_base.rstrip("/") + "/_emulator/files/"
    if url.startswith(prefix):
        found = read_file(store, url[len(prefix):].split("?", 1)[0])
        if found is None:
            raise OSError(f"no such file on this emulator: {url[len(own_base):]}")
        return _capped_gunzip(found, cap)
    if not url.startswith(("http://", "https://")):
        raise OSError("the URL must be http:// or https://")
    import httpx2

    chunks: list[bytes] = []
    size = 0
    try:
        async with httpx2.AsyncClient(timeout=5.0, follow_redirects=True) as client:
            async with client.stream("GET", url) as response:
                if response.status_code != 200:
                    raise OSError(f"GET answered {response.status_code}")
                async for chunk in response.aiter_raw():
                    size += len(chunk)
                    if size > cap:
                        raise FileTooLarge(f"is larger than the emulator's limit of {cap} bytes")
                    chunks.append(chunk)
    except httpx2.HTTPError as exc:
        raise OSError(f"GET failed: {type(exc).__name__}: {exc}") from exc
    return _capped_gunzip(b"".join(chunks), cap)


def _capped_gunzip(raw: bytes, cap: int) -> bytes:
    if len(raw) > cap:
        raise FileTooLarge(f"is larger than the emulator's limit of {cap} bytes")
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return inflate(raw, "gzip", cap=cap)
    except ValueError as exc:  # inflate's only ValueError: the content expands past the cap
        raise FileTooLarge(f"gunzips to more than the emulator's limit of {cap} bytes") from exc
    except (zlib.error, EOFError) as exc:
        raise OSError(f"not valid gzip: {exc}") from exc
