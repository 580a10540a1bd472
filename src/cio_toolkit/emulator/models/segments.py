"""Segments: their rows, manual memberships, and audience filters (and/or/not, segment, attribute)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from ._db import Store, dumps
from .content import (
    ensure,
)
from .people import as_string, attribute_view


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




# --- segment rows and manual memberships ------------------------------------------------


def segment(store: Store, segment_id: int) -> dict[str, Any] | None:
    """The segment row ``segment_id``, or None."""
    rows = store.query("SELECT * FROM segments WHERE id = ?", (segment_id,))
    return rows[0] if rows else None


def every_segment(store: Store) -> list[dict[str, Any]]:
    """Every segment, by id."""
    return store.query("SELECT * FROM segments ORDER BY id")


def create_manual(store: Store, name: str, description: str, attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Create an empty manual segment and return its row."""
    with store.transaction() as conn:
        cur = conn.execute("INSERT INTO segments (name, description, type, attributes) VALUES (?, ?, 'manual', ?)",
                           (name, description, dumps(dict(attributes))))
        segment_id = cur.lastrowid
    row = segment(store, int(segment_id or 0))
    assert row is not None
    return row


def delete_segment(store: Store, segment_id: int) -> None:
    """Delete a segment and its memberships."""
    store.execute("DELETE FROM segments WHERE id = ?", (segment_id,))


def add_member(store: Store, segment_id: int, person_pk: int) -> None:
    """Put the person in a manual segment (a member already is one)."""
    store.execute("INSERT OR IGNORE INTO segment_members (segment_id, person_pk) VALUES (?, ?)",
                  (segment_id, person_pk))


def remove_member(store: Store, segment_id: int, person_pk: int) -> None:
    """Take the person out of a manual segment."""
    store.execute("DELETE FROM segment_members WHERE segment_id = ? AND person_pk = ?", (segment_id, person_pk))


def insert_segment(
    conn: sqlite3.Connection, segment_id: int, name: str, description: str, type_: str,
    attributes: Mapping[str, Any], members: Iterable[int] = (),
) -> None:
    """Insert a seed segment with its members in the caller's transaction."""
    conn.execute("INSERT INTO segments (id, name, description, type, attributes) VALUES (?, ?, ?, ?, ?)",
                 (segment_id, name, description, type_, dumps(dict(attributes))))
    conn.executemany("INSERT INTO segment_members (segment_id, person_pk) VALUES (?, ?)",
                     [(segment_id, pk) for pk in members])
