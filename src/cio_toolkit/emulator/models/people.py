"""Workspace-wide person operations that several APIs' handlers share.

Customer.io keeps one suppression list and one log of reported delivery metrics per workspace,
whichever API writes to them: the Track API (suppress/unsuppress, metrics, v2 items) and the
Pipelines API's semantic events (User Suppressed / Unsuppressed, Report Delivery Event) reach the
same state, and merging two profiles (Track ``merge``, Pipelines ``alias``) moves the same rows.
This module owns that state and those operations, so no handler module reaches into another.

Tables (created by :func:`ensure`; the ``track_`` prefix dates from when only the Track handlers
wrote them and is kept so existing database files stay readable):

- ``track_suppressions (kind, value, grp, created_at)``: blocked ids and lower-cased emails; the
  identifiers suppressed together share ``grp``, so unsuppressing one frees them all;
- ``track_metrics``: one row per reported delivery metric, with the API it came from (``source``).

Counters (``/_emulator/counters``): ``track_suppressed``, ``track_unsuppressed``,
``track_metrics`` and ``people_deleted`` (merges).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any

from ._db import Store, dumps

__all__ = [
    "SCHEMA",
    "claim_anonymous_events",
    "ensure",
    "find",
    "identify",
    "is_suppressed",
    "merge",
    "merge_removing_empty",
    "record_metric",
    "suppress",
    "unsuppress",
]

SCHEMA = """
CREATE TABLE IF NOT EXISTS track_suppressions (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    grp TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (kind, value)
);
-- The Track API's _timestamp of each person's last attribute update (older updates are ignored).
CREATE TABLE IF NOT EXISTS track_attribute_times (
    person_pk INTEGER PRIMARY KEY REFERENCES people(pk) ON DELETE CASCADE,
    ts INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS track_metrics (
    pk INTEGER PRIMARY KEY,
    delivery_id TEXT NOT NULL,
    metric TEXT NOT NULL,
    timestamp REAL NOT NULL,
    recipient TEXT,
    reason TEXT,
    href TEXT,
    device TEXT,
    source TEXT NOT NULL
);
"""



def ensure(store: Store) -> Store:
    """Create the shared suppression and metric tables in ``store`` once; return the store."""
    return store.ensure_schema(SCHEMA)


def find(store: Store, kind: str, value: str) -> dict[str, Any] | None:
    """The person whose ``kind`` (``id``, ``email``, ``cio_id`` or ``anonymous_id``) is ``value``, or None.

    An email is matched case-insensitively and then, failing that, as an id: the Track API lets
    an id contain ``@``.
    """
    if kind == "cio_id":
        rows = store.query("SELECT * FROM people WHERE cio_id = ?", (value,))
    elif kind == "email":
        rows = store.query("SELECT * FROM people WHERE lower(email) = lower(?) ORDER BY pk LIMIT 1", (value,))
        if not rows:
            rows = store.query("SELECT * FROM people WHERE id = ?", (value,))
    elif kind == "anonymous_id":
        rows = store.query("SELECT * FROM people WHERE anonymous_id = ?", (value,))
    else:
        rows = store.query("SELECT * FROM people WHERE id = ?", (value,))
    return rows[0] if rows else None


def is_suppressed(store: Store, *refs: tuple[str, Any]) -> bool:
    """Whether any ``(kind, value)`` is on the suppression list (only ids and emails can be; empty values never are)."""
    ensure(store)
    for kind, value in refs:
        if value in (None, "") or kind not in ("id", "email"):
            continue
        value = str(value).lower() if kind == "email" else str(value)
        if store.query("SELECT 1 FROM track_suppressions WHERE kind = ? AND value = ?", (kind, value)):
            return True
    return False


def suppress(store: Store, kind: str, value: str) -> None:
    """Delete the person at ``(kind, value)`` and block that identifier and every one the person had."""
    ensure(store)
    person = find(store, kind, value)
    refs = {(kind, value.lower() if kind == "email" else value)} if kind != "cio_id" else set()
    if person is not None:
        if person["id"]:
            refs.add(("id", person["id"]))
        if person["email"]:
            refs.add(("email", str(person["email"]).lower()))
        store.delete_person(cio_id=person["cio_id"])
    group = uuid.uuid4().hex
    for k, v in refs:
        store.execute(
            "INSERT OR IGNORE INTO track_suppressions (kind, value, grp, created_at) VALUES (?, ?, ?, ?)",
            (k, v, group, time.time()),
        )
    store.counters["track_suppressed"] += 1


def unsuppress(store: Store, kind: str, value: str) -> None:
    """Free a suppressed identifier and every identifier suppressed together with it."""
    ensure(store)
    value = value.lower() if kind == "email" else value
    rows = store.query("SELECT grp FROM track_suppressions WHERE kind = ? AND value = ?", (kind, value))
    for row in rows:
        # Suppressing someone with both an id and an email blocked both; unsuppressing either frees both.
        store.execute("DELETE FROM track_suppressions WHERE grp = ?", (row["grp"],))
    store.counters["track_unsuppressed"] += 1


def record_metric(
    store: Store,
    *,
    delivery_id: str,
    metric: str,
    timestamp: Any,
    source: str,
    recipient: Any = None,
    reason: Any = None,
    href: Any = None,
    device: Any = None,
) -> None:
    """Log one reported delivery metric; an integer ``timestamp`` is kept, anything else means now."""
    ensure(store).execute(
        "INSERT INTO track_metrics (delivery_id, metric, timestamp, recipient, reason, href, device, source)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            delivery_id,
            metric,
            float(timestamp) if isinstance(timestamp, int) else time.time(),
            None if recipient is None else str(recipient),
            reason,
            href,
            device,
            source,
        ),
    )
    store.counters["track_metrics"] += 1


def claim_anonymous_events(store: Store, person_pk: int, anonymous_id: str | None) -> None:
    """Give the person the events stored under ``anonymous_id`` that belong to nobody yet."""
    if anonymous_id:
        store.execute(
            "UPDATE events SET person_pk = ? WHERE anonymous_id = ? AND person_pk IS NULL",
            (person_pk, anonymous_id),
        )


def merge(
    store: Store,
    primary: Mapping[str, Any],
    secondary: Mapping[str, Any],
    *,
    claim_anonymous_id: str | None = None,
) -> None:
    """Fold the ``secondary`` person row into ``primary`` in one transaction, then delete it.

    Events, devices, relationships and segment memberships move to the primary; identifiers and
    attributes the primary lacks are filled from the secondary (the primary wins on conflicts).
    Anonymous events under ``claim_anonymous_id`` are claimed in the same transaction.
    """
    p, s = primary["pk"], secondary["pk"]
    with store.transaction() as conn:
        conn.execute("UPDATE events SET person_pk = ? WHERE person_pk = ?", (p, s))
        conn.execute(
            "INSERT OR IGNORE INTO devices (person_pk, device_id, platform, last_used, attributes)"
            " SELECT ?, device_id, platform, last_used, attributes FROM devices WHERE person_pk = ?",
            (p, s),
        )
        conn.execute(
            "INSERT OR IGNORE INTO relationships (person_pk, object_type_id, object_id, attributes)"
            " SELECT ?, object_type_id, object_id, attributes FROM relationships WHERE person_pk = ?",
            (p, s),
        )
        conn.execute(
            "INSERT OR IGNORE INTO segment_members (segment_id, person_pk)"
            " SELECT segment_id, ? FROM segment_members WHERE person_pk = ?",
            (p, s),
        )
        # Deleted before the update: the secondary's unique identifiers must be free to move.
        conn.execute("DELETE FROM people WHERE pk = ?", (s,))
        attributes = {**secondary["attributes"], **primary["attributes"]}
        conn.execute(
            "UPDATE people SET id = COALESCE(id, ?), email = COALESCE(email, ?),"
            " anonymous_id = COALESCE(anonymous_id, ?), attributes = ?, updated_at = ? WHERE pk = ?",
            (secondary["id"], secondary["email"], secondary["anonymous_id"], dumps(attributes), time.time(), p),
        )
        if claim_anonymous_id:
            conn.execute(
                "UPDATE events SET person_pk = ? WHERE anonymous_id = ? AND person_pk IS NULL",
                (p, claim_anonymous_id),
            )
    store.counters["people_deleted"] += 1


def merge_removing_empty(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``current`` with ``changes`` applied; a None or empty value removes the attribute."""
    merged = dict(current)
    for key, value in changes.items():
        if value is None or value == "":
            merged.pop(key, None)  # the Track API: an empty value removes the attribute too
        else:
            merged[key] = value
    return merged


def identify(
    store: Store,
    person: Mapping[str, Any] | None,
    *,
    kind: str,
    new_id: str | None,
    new_email: str | None,
    changes: Mapping[str, Any],
    anonymous_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """The Track API's identify write: create ``person`` (None) or update it; return the row.

    Ids change only through a cio_id reference or when the person has none yet; an update whose
    ``timestamp`` is older than the last one keeps the attributes; an anonymous id is attached
    when free and its anonymous events are claimed.
    """
    now = time.time()
    changes = dict(changes)
    with store.transaction() as conn:
        if person is None:
            if new_id is not None and list(conn.execute("SELECT 1 FROM people WHERE id = ?", (new_id,))):
                new_id = None
            cio_id = uuid.uuid4().hex[:20]
            conn.execute(
                "INSERT INTO people (cio_id, id, email, anonymous_id, attributes, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (cio_id, new_id, new_email, None, dumps(merge_removing_empty({}, changes)), now, now),
            )
            store.counters["people_created"] += 1
            person = next(iter(conn.execute("SELECT * FROM people WHERE cio_id = ?", (cio_id,))))
            if timestamp is not None:
                conn.execute("INSERT OR REPLACE INTO track_attribute_times (person_pk, ts) VALUES (?, ?)",
                             (person["pk"], timestamp))
        else:
            pk = person["pk"]
            if timestamp is not None:
                last = list(conn.execute("SELECT ts FROM track_attribute_times WHERE person_pk = ?", (pk,)))
                if last and last[0]["ts"] > timestamp:
                    store.counters["track_stale_updates"] += 1
                    changes = {}  # an older update arriving late must not overwrite a newer one
                else:
                    conn.execute("INSERT OR REPLACE INTO track_attribute_times (person_pk, ts) VALUES (?, ?)",
                                 (pk, timestamp))
            person_id = person["id"]
            if new_id is not None and new_id != person_id:
                # Ids change only through a cio_id reference, or when the person has none yet.
                taken = list(conn.execute("SELECT 1 FROM people WHERE id = ? AND pk != ?", (new_id, pk)))
                if taken or (person_id is not None and kind != "cio_id"):
                    store.counters["track_attribute_update_failures"] += 1
                else:
                    person_id = new_id
            email = person["email"]
            if new_email is not None and (email is None or email.lower() != new_email.lower()):
                email = new_email
            if email is not None:
                changes["email"] = email  # the same address in another case is the same address
            conn.execute(
                "UPDATE people SET id = ?, email = ?, attributes = ?, updated_at = ? WHERE pk = ?",
                (person_id, email, dumps(merge_removing_empty(person["attributes"], changes)), now, pk),
            )
            store.counters["people_updated"] += 1
        if anonymous_id:
            owner = list(conn.execute("SELECT pk FROM people WHERE anonymous_id = ?", (anonymous_id,)))
            if not owner:
                conn.execute("UPDATE people SET anonymous_id = COALESCE(anonymous_id, ?) WHERE pk = ?",
                             (anonymous_id, person["pk"]))
            # Events sent anonymously before now belong to this person.
            conn.execute("UPDATE events SET person_pk = ? WHERE anonymous_id = ? AND person_pk IS NULL",
                         (person["pk"], anonymous_id))
        return next(iter(conn.execute("SELECT * FROM people WHERE pk = ?", (person["pk"],))))


# --- App API views of a person ---------------------------------------------------------

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


