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
- ``track_metrics``: one row per reported delivery metric, with the API it came from (``source``);
- ``attribute_changes``: one row per attribute a write added, changed or removed, with the old and
  new value as the App API shows them (strings, ``""`` for none), whichever API wrote it: the
  ``attribute_change`` activities. A write that leaves a value as it was records nothing.

Counters (``/_emulator/counters``): ``track_suppressed``, ``track_unsuppressed``,
``track_metrics`` and ``people_deleted`` (merges).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, TypeVar

from ._sql import Database, dumps
from .clock import now as clock_now

_D = TypeVar("_D", bound=Database)

__all__ = [
    "LOOKUP",
    "SCHEMA",
    "claim_anonymous_events",
    "count",
    "delete",
    "ensure",
    "every",
    "find",
    "first_match",
    "insert_rows",
    "is_suppressed",
    "mark_unsubscribed",
    "merge",
    "merge_attributes",
    "record_changes",
    "record_metric",
    "suppress",
    "take_id",
    "unsuppress",
    "upsert_person",
    "with_email",
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
-- One row per changed attribute of a person: the App API's attribute_change activities.
CREATE TABLE IF NOT EXISTS attribute_changes (
    pk INTEGER PRIMARY KEY,
    person_pk INTEGER NOT NULL REFERENCES people(pk) ON DELETE CASCADE,
    name TEXT NOT NULL,
    old TEXT NOT NULL,
    new TEXT NOT NULL,
    timestamp REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS attribute_changes_person ON attribute_changes(person_pk);
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



def ensure(store: _D) -> _D:
    """Create the shared suppression and metric tables in ``store`` once; return the store."""
    return store.ensure_schema(SCHEMA)


def find(store: Database, kind: str, value: str) -> dict[str, Any] | None:
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


def is_suppressed(store: Database, *refs: tuple[str, Any]) -> bool:
    """Whether any ``(kind, value)`` is on the suppression list (only ids and emails can be; empty values never are)."""
    ensure(store)
    for kind, value in refs:
        if value in (None, "") or kind not in ("id", "email"):
            continue
        value = str(value).lower() if kind == "email" else str(value)
        if store.query("SELECT 1 FROM track_suppressions WHERE kind = ? AND value = ?", (kind, value)):
            return True
    return False


def suppress(store: Database, kind: str, value: str) -> None:
    """Delete the person at ``(kind, value)`` and block that identifier and every one the person had."""
    ensure(store)
    person = find(store, kind, value)
    refs = {(kind, value.lower() if kind == "email" else value)} if kind != "cio_id" else set()
    if person is not None:
        if person["id"]:
            refs.add(("id", person["id"]))
        if person["email"]:
            refs.add(("email", str(person["email"]).lower()))
        delete(store, person["pk"])
    group = uuid.uuid4().hex
    for k, v in refs:
        store.execute(
            "INSERT OR IGNORE INTO track_suppressions (kind, value, grp, created_at) VALUES (?, ?, ?, ?)",
            (k, v, group, clock_now(store)),
        )
    store.counters["track_suppressed"] += 1


def unsuppress(store: Database, kind: str, value: str) -> None:
    """Free a suppressed identifier and every identifier suppressed together with it."""
    ensure(store)
    value = value.lower() if kind == "email" else value
    rows = store.query("SELECT grp FROM track_suppressions WHERE kind = ? AND value = ?", (kind, value))
    for row in rows:
        # Suppressing someone with both an id and an email blocked both; unsuppressing either frees both.
        store.execute("DELETE FROM track_suppressions WHERE grp = ?", (row["grp"],))
    store.counters["track_unsuppressed"] += 1


def record_metric(
    store: Database,
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
            float(timestamp) if isinstance(timestamp, int) else clock_now(store),
            None if recipient is None else str(recipient),
            reason,
            href,
            device,
            source,
        ),
    )
    store.counters["track_metrics"] += 1


def claim_anonymous_events(store: Database, person_pk: int, anonymous_id: str | None) -> None:
    """Give the person the events stored under ``anonymous_id`` that belong to nobody yet."""
    if anonymous_id:
        store.execute(
            "UPDATE events SET person_pk = ? WHERE anonymous_id = ? AND person_pk IS NULL",
            (person_pk, anonymous_id),
        )


def merge(
    store: Database,
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
    ensure(store)
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
        at = clock_now(store)
        conn.execute(
            "UPDATE people SET id = COALESCE(id, ?), email = COALESCE(email, ?),"
            " anonymous_id = COALESCE(anonymous_id, ?), attributes = ?, updated_at = ? WHERE pk = ?",
            (secondary["id"], secondary["email"], secondary["anonymous_id"], dumps(attributes), at, p),
        )
        record_changes(conn, p, primary["attributes"], attributes, at)
        if claim_anonymous_id:
            conn.execute(
                "UPDATE events SET person_pk = ? WHERE anonymous_id = ? AND person_pk IS NULL",
                (p, claim_anonymous_id),
            )
    store.counters["people_deleted"] += 1


def merge_attributes(
    current: Mapping[str, Any], changes: Mapping[str, Any], *, empty_removes: bool
) -> dict[str, Any]:
    """``current`` with ``changes`` applied; None removes an attribute, and so does ``""`` if ``empty_removes``."""
    merged = dict(current)
    for key, value in changes.items():
        if value is None or (empty_removes and value == ""):
            merged.pop(key, None)  # Customer.io: an empty value removes the attribute
        else:
            merged[key] = value
    return merged


class _Lookup:
    def __repr__(self) -> str:
        return "LOOKUP"


LOOKUP: Final = _Lookup()
"""``person=`` of :func:`upsert_person`: find the person by the given identifiers (the Pipelines rule)."""


def _first(conn: sqlite3.Connection, column: str, value: Any) -> dict[str, Any] | None:
    rows = list(conn.execute(f"SELECT * FROM people WHERE {column} = ? ORDER BY pk LIMIT 1", (value,)))
    return rows[0] if rows else None


def _lookup(
    conn: sqlite3.Connection, id: str | None, email: str | None, cio_id: str | None, anonymous_id: str | None
) -> dict[str, Any] | None:
    for column, value in (("cio_id", cio_id), ("id", id), ("email", email), ("anonymous_id", anonymous_id)):
        if value is None:
            continue
        found = _first(conn, column, value)
        # An email or anonymous id only selects a profile that has no other id yet;
        # otherwise a new id means a new person.
        if found is not None and (column in ("cio_id", "id") or id is None or found["id"] in (None, id)):
            return found
    return None


def _fresh_timestamp(conn: sqlite3.Connection, db: Database, pk: int, timestamp: int | None) -> bool:
    """Record ``timestamp`` as the person's last attribute update unless an newer one was applied."""
    if timestamp is None:
        return True
    last = list(conn.execute("SELECT ts FROM track_attribute_times WHERE person_pk = ?", (pk,)))
    if last and last[0]["ts"] > timestamp:
        db.counters["track_stale_updates"] += 1
        return False
    conn.execute("INSERT OR REPLACE INTO track_attribute_times (person_pk, ts) VALUES (?, ?)", (pk, timestamp))
    return True


def upsert_person(
    db: Database,
    *,
    person: Mapping[str, Any] | _Lookup | None,
    id: str | None = None,
    email: str | None = None,
    cio_id: str | None = None,
    anonymous_id: str | None = None,
    attributes: Mapping[str, Any] | None = None,
    empty_removes: bool,
    email_is_identifier: bool,
    replace_id: bool = False,
    claim_events: bool = False,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """Create or update one person in one transaction and return the row: the only person write.

    The APIs document different rules, so each handler passes its own:

    - ``person``: the row to update (None: create one), when the API's handler resolves its own
      reference (the Track API reads a path identifier, then the body's id and email); or
      :data:`LOOKUP`: found here by cio_id, id, email, anonymous_id, an email or anonymous id
      only selecting a profile with no other id (the Pipelines and App APIs, seeds, tests).
    - ``empty_removes``: the Track API documents that ``""`` removes an attribute; for the
      Pipelines API ``""`` is a trait value and only null removes one.
    - ``email_is_identifier``: in the Track API the email is an identifier: only a different
      address changes it (another case is the same address), an attribute update never clears
      it, and the attributes mirror it. In the Pipelines API it is a trait: the latest value
      (``email=`` or an ``email`` trait) wins and a null ``email`` trait clears it.
    - ``replace_id``: a new ``id`` replaces the person's current one (the Track API, when the
      person was addressed by cio_id); otherwise an id is only given to a person without one.
      An id another person holds is never taken (counted as ``track_attribute_update_failures``).
    - ``claim_events``: events stored earlier under ``anonymous_id`` that belong to nobody
      become this person's (identify after anonymous activity).
    - ``timestamp`` (the Track API's ``_timestamp``): an update older than the last applied one
      keeps the attributes (``track_stale_updates``).

    An anonymous id is attached when no other person holds it.
    """
    now = clock_now(db)
    changes = dict(attributes or {})
    if not email_is_identifier and email is None and isinstance(changes.get("email"), str):
        email = changes["email"]  # a trait named email is the profile's email
    claim = anonymous_id
    ensure(db)
    with db.transaction() as conn:
        if isinstance(person, _Lookup):
            person = _lookup(conn, id, email, cio_id, anonymous_id)
        if anonymous_id is not None:
            owner = _first(conn, "anonymous_id", anonymous_id)
            if owner is not None and (person is None or owner["pk"] != person["pk"]):
                anonymous_id = None  # already another profile's anonymous id
        if person is None:
            if id is not None and _first(conn, "id", id) is not None:
                id = None
            new_cio_id = cio_id or uuid.uuid4().hex[:20]
            created = merge_attributes({}, changes, empty_removes=empty_removes)
            conn.execute(
                "INSERT INTO people (cio_id, id, email, anonymous_id, attributes, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (new_cio_id, id, email, anonymous_id, dumps(created), now, now),
            )
            db.counters["people_created"] += 1
            row = _first(conn, "cio_id", new_cio_id)
            assert row is not None
            _fresh_timestamp(conn, db, row["pk"], timestamp)
            record_changes(conn, row["pk"], {}, created, now)
        else:
            pk = person["pk"]
            if not _fresh_timestamp(conn, db, pk, timestamp):
                changes = {}  # an older update arriving late must not overwrite a newer one
            person_id = person["id"]
            if id is not None and id != person_id:
                taken = list(conn.execute("SELECT 1 FROM people WHERE id = ? AND pk != ?", (id, pk)))
                if taken or (person_id is not None and not replace_id):
                    db.counters["track_attribute_update_failures"] += 1
                else:
                    person_id = id
            stored_email = person["email"]
            if email_is_identifier:
                if email is not None and (stored_email is None or stored_email.lower() != email.lower()):
                    stored_email = email
                if stored_email is not None:
                    changes["email"] = stored_email
            elif "email" in changes and changes["email"] is None:
                stored_email = None
            elif email is not None:
                stored_email = email
            merged = merge_attributes(person["attributes"], changes, empty_removes=empty_removes)
            conn.execute(
                "UPDATE people SET id = ?, email = ?, anonymous_id = COALESCE(anonymous_id, ?), attributes = ?,"
                " updated_at = ? WHERE pk = ?",
                (person_id, stored_email, anonymous_id, dumps(merged), now, pk),
            )
            db.counters["people_updated"] += 1
            record_changes(conn, pk, person["attributes"], merged, now)
            row = {"pk": pk}
        if claim_events and claim:
            conn.execute("UPDATE events SET person_pk = ? WHERE anonymous_id = ? AND person_pk IS NULL",
                         (row["pk"], claim))
        updated = _first(conn, "pk", row["pk"])
        assert updated is not None
        return updated


def first_match(
    db: Database,
    *,
    id: str | None = None,
    email: str | None = None,
    cio_id: str | None = None,
    anonymous_id: str | None = None,
) -> dict[str, Any] | None:
    """The person matching cio_id, id, email or anonymous_id (tried in that order, exact), or None."""
    given = (("cio_id", cio_id), ("id", id), ("email", email), ("anonymous_id", anonymous_id))
    if all(v is None for _, v in given):
        raise ValueError("find_person needs one of id, email, cio_id or anonymous_id")
    for column, value in given:
        if value is not None:
            rows = db.query(f"SELECT * FROM people WHERE {column} = ? ORDER BY pk LIMIT 1", (value,))
            if rows:
                return rows[0]
    return None


def delete(db: Database, pk: int) -> bool:
    """Delete the person ``pk`` (devices, relationships and memberships cascade); True if it existed."""
    if db.execute("DELETE FROM people WHERE pk = ?", (pk,)) == 0:
        return False
    db.counters["people_deleted"] += 1
    return True


def every(db: Database) -> list[dict[str, Any]]:
    """Every person, oldest first."""
    return db.query("SELECT * FROM people ORDER BY pk")


def take_id(db: Database, pk: int, id: str) -> None:
    """Give the person ``pk`` the id ``id`` (a Pipelines alias promoting a profile nobody else holds it for)."""
    db.execute("UPDATE people SET id = ?, updated_at = ? WHERE pk = ?", (id, clock_now(db), pk))


def mark_unsubscribed(conn: sqlite3.Connection, pk: int, cio_id: str, at: float) -> None:
    """Set the ``unsubscribed`` attribute of the person ``pk`` and ``cio_id`` to true, in the caller's transaction.

    By pk and cio_id together: a pk freed by a deletion can be reused by someone else. The caller
    has run :func:`ensure` (the change is recorded as an attribute change).
    """
    rows = list(conn.execute("SELECT attributes FROM people WHERE pk = ? AND cio_id = ?", (pk, cio_id)))
    if not rows:
        return
    before = rows[0]["attributes"]
    conn.execute(
        "UPDATE people SET attributes = json_set(attributes, '$.unsubscribed', json('true')),"
        " updated_at = ? WHERE pk = ? AND cio_id = ?",
        (at, pk, cio_id),
    )
    record_changes(conn, pk, before, {**before, "unsubscribed": True}, at)


def record_changes(
    conn: sqlite3.Connection, pk: int, before: Mapping[str, Any], after: Mapping[str, Any], at: float
) -> None:
    """Record each attribute whose shown value differs between ``before`` and ``after`` (the caller's transaction)."""
    rows = [
        (pk, name, old, new, at)
        for name in dict.fromkeys([*before, *after])
        if (old := as_string(before.get(name))) != (new := as_string(after.get(name)))
    ]
    if rows:
        conn.executemany(
            "INSERT INTO attribute_changes (person_pk, name, old, new, timestamp) VALUES (?, ?, ?, ?, ?)", rows
        )


# --- App API views of a person ---------------------------------------------------------

def identifiers(person: Mapping[str, Any]) -> dict[str, Any]:
    """``{"email", "id", "cio_id"}`` of a person row (the spec requires all three keys)."""
    return {"email": person.get("email"), "id": person.get("id"), "cio_id": person["cio_id"]}


def find_person(store: Database, value: str, id_type: str | None = "id") -> dict[str, Any] | None:
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


def with_email(store: Database, email: str) -> list[dict[str, Any]]:
    """Every person whose email is ``email`` (case-insensitive), oldest first."""
    return store.query("SELECT * FROM people WHERE lower(email) = lower(?) ORDER BY pk", (email,))


def count(store: Database) -> int:
    """How many people exist."""
    return int(store.query("SELECT COUNT(*) AS n FROM people")[0]["n"])


def insert_rows(conn: sqlite3.Connection, rows: Iterable[Sequence[Any]]) -> None:
    """Bulk-insert ``(pk, cio_id, id, email, attributes, created_at, updated_at)`` seed rows in the caller's transaction."""
    conn.executemany("INSERT INTO people (pk, cio_id, id, email, attributes, created_at, updated_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
