"""Objects, their ``cio_object_id`` (assigned on first use) and people's relationships to them.

Shared by the Track, Pipelines and App handlers; the only code that touches ``objects``,
``track_object_ids`` and ``relationships`` (apart from merging two people, in :mod:`.people`).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._db import Store, dumps
from .content import (
    ensure,
)


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




def object_attributes(store: Store, type_id: str, object_id: str) -> dict[str, Any] | None:
    """The object's attributes, or None when it does not exist."""
    rows = store.query("SELECT attributes FROM objects WHERE object_type_id = ? AND object_id = ?",
                       (type_id, object_id))
    return dict(rows[0]["attributes"]) if rows else None


def put_object(store: Store, type_id: str, object_id: str, attributes: Mapping[str, Any]) -> None:
    """Create the object or replace its attributes."""
    store.execute(
        "INSERT INTO objects (object_type_id, object_id, attributes) VALUES (?, ?, ?)"
        " ON CONFLICT(object_type_id, object_id) DO UPDATE SET attributes = excluded.attributes",
        (type_id, object_id, dumps(dict(attributes))),
    )


def delete_object(store: Store, type_id: str, object_id: str) -> None:
    """Delete the object and every relationship to it."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM relationships WHERE object_type_id = ? AND object_id = ?", (type_id, object_id))
        conn.execute("DELETE FROM objects WHERE object_type_id = ? AND object_id = ?", (type_id, object_id))


def object_key(store: Store, ids: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """``(object_type_id, object_id)`` of Track API identifiers (a cio_object_id must be known; new ids get one)."""
    if ids.get("cio_object_id"):
        rows = store.query("SELECT object_type_id, object_id FROM track_object_ids WHERE cio_object_id = ?",
                           (str(ids["cio_object_id"]),))
        return (rows[0]["object_type_id"], rows[0]["object_id"]) if rows else (None, None)
    if ids.get("object_type_id") in (None, "") or ids.get("object_id") in (None, ""):
        return None, None
    type_id, obj_id = str(ids["object_type_id"]), str(ids["object_id"])
    store.execute("INSERT OR IGNORE INTO track_object_ids (cio_object_id, object_type_id, object_id) VALUES (?, ?, ?)",
                  (uuid.uuid4().hex[:16], type_id, obj_id))
    return type_id, obj_id


def relate(store: Store, person_pk: int, type_id: str, object_id: str, attributes: Mapping[str, Any]) -> None:
    """Relate the person to the object (created without attributes when new); the relationship's attributes are replaced."""
    store.execute("INSERT OR IGNORE INTO objects (object_type_id, object_id) VALUES (?, ?)", (type_id, object_id))
    store.execute(
        "INSERT INTO relationships (person_pk, object_type_id, object_id, attributes) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(person_pk, object_type_id, object_id) DO UPDATE SET attributes = excluded.attributes",
        (person_pk, type_id, object_id, dumps(dict(attributes))),
    )


def unrelate(store: Store, person_pk: int, type_id: str, object_id: str) -> None:
    """Remove the person's relationship to the object."""
    store.execute("DELETE FROM relationships WHERE person_pk = ? AND object_type_id = ? AND object_id = ?",
                  (person_pk, type_id, object_id))


def relationship_attributes(store: Store, person_pk: int, type_id: str, object_id: str) -> dict[str, Any]:
    """The attributes of the person's relationship to the object ({} when there is none)."""
    rows = store.query(
        "SELECT attributes FROM relationships WHERE person_pk = ? AND object_type_id = ? AND object_id = ?",
        (person_pk, type_id, object_id),
    )
    return dict(rows[0]["attributes"]) if rows else {}


def person_relationships(store: Store, person_pk: int) -> list[dict[str, Any]]:
    """The person's relationships with the object's attributes (``object_attributes``), by type and id."""
    return store.query(
        "SELECT r.*, o.attributes AS object_attributes FROM relationships r LEFT JOIN objects o"
        " ON o.object_type_id = r.object_type_id AND o.object_id = r.object_id"
        " WHERE r.person_pk = ? ORDER BY r.object_type_id, r.object_id",
        (person_pk,),
    )


def related_people(store: Store, type_id: str, object_id: str) -> list[dict[str, Any]]:
    """The people related to the object, oldest first."""
    return store.query(
        "SELECT p.* FROM relationships r JOIN people p ON p.pk = r.person_pk"
        " WHERE r.object_type_id = ? AND r.object_id = ? ORDER BY p.pk",
        (type_id, object_id),
    )


def type_ids(store: Store) -> list[str]:
    """Every object type id objects exist for, sorted."""
    return [str(r["object_type_id"])
            for r in store.query("SELECT DISTINCT object_type_id FROM objects ORDER BY object_type_id")]


def objects_of_type(store: Store, type_id: str) -> list[dict[str, Any]]:
    """The objects of one type, by object id."""
    return store.query("SELECT * FROM objects WHERE object_type_id = ? ORDER BY object_id", (type_id,))


def find_object(store: Store, type_id: str, value: str, *, by_cio_object_id: bool = False) -> dict[str, Any] | None:
    """The object of ``type_id`` whose object_id (or cio_object_id) is ``value``, or None."""
    if by_cio_object_id:
        rows = store.query(
            "SELECT o.* FROM track_object_ids t JOIN objects o ON o.object_type_id = t.object_type_id"
            " AND o.object_id = t.object_id WHERE t.cio_object_id = ? AND t.object_type_id = ?",
            (value, type_id),
        )
    else:
        rows = store.query("SELECT * FROM objects WHERE object_type_id = ? AND object_id = ?", (type_id, value))
    return rows[0] if rows else None


def counts(store: Store) -> tuple[int, int]:
    """How many objects and object types exist."""
    row = store.query("SELECT COUNT(*) AS n, COUNT(DISTINCT object_type_id) AS t FROM objects")[0]
    return int(row["n"]), int(row["t"])


def insert_rows(
    conn: sqlite3.Connection,
    objects: Iterable[Sequence[Any]],
    relationships: Iterable[Sequence[Any]],
    object_ids: Iterable[Sequence[Any]],
) -> None:
    """Bulk-insert seed rows in the caller's transaction: ``(type, id, attributes)``,
    ``(person_pk, type, id, attributes)`` and ``(cio_object_id, type, id)`` tuples."""
    conn.executemany("INSERT INTO objects (object_type_id, object_id, attributes) VALUES (?, ?, ?)", objects)
    conn.executemany("INSERT INTO relationships (person_pk, object_type_id, object_id, attributes)"
                     " VALUES (?, ?, ?, ?)", relationships)
    conn.executemany("INSERT INTO track_object_ids (cio_object_id, object_type_id, object_id) VALUES (?, ?, ?)",
                     object_ids)
