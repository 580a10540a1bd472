"""The emulator's state: :class:`Store`, the database plus the person methods tests and seeds use.

The person methods delegate to :mod:`.people` (the one person write path) with the rules of
the Pipelines and App APIs; the plumbing (connection, transactions, schemas, events, kv) is
:class:`~._sql.Database`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import people
from ._sql import Database, dumps
from .clock import Clock, clock_of

__all__ = ["Store", "dumps"]


class Store(Database):
    """SQLite-backed state of one emulator (``":memory:"`` or a file path)."""

    @property
    def clock(self) -> Clock:
        """The emulator's clock (:mod:`.clock`): every "now" of the store reads it."""
        return clock_of(self)

    def add_event(self, *, timestamp: float | None = None, **fields: Any) -> bool:
        """Store one event (:meth:`Database.add_event`); without ``timestamp`` it happened now, by the clock."""
        return super().add_event(timestamp=self.clock.now() if timestamp is None else timestamp, **fields)

    def find_person(
        self,
        *,
        id: str | None = None,
        email: str | None = None,
        cio_id: str | None = None,
        anonymous_id: str | None = None,
    ) -> dict[str, Any] | None:
        """Return the person matching cio_id, id, email or anonymous_id (tried in that order), or None."""
        return people.first_match(self, id=id, email=email, cio_id=cio_id, anonymous_id=anonymous_id)

    def upsert_person(
        self,
        *,
        id: str | None = None,
        email: str | None = None,
        cio_id: str | None = None,
        anonymous_id: str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Create or update a person; attributes are merged and a None value removes one.

        The person is found by cio_id, then id, then email, then anonymous_id. An anonymous
        profile found by ``anonymous_id`` is promoted when an ``id`` arrives (identify after
        anonymous activity), as Customer.io does. These are the Pipelines API's rules
        (:func:`.people.upsert_person` with ``person=LOOKUP``).
        """
        if not any(v is not None for v in (id, email, cio_id, anonymous_id)):
            raise ValueError("upsert_person needs one of id, email, cio_id or anonymous_id")
        return people.upsert_person(
            self, person=people.LOOKUP, id=id, email=email, cio_id=cio_id, anonymous_id=anonymous_id,
            attributes=attributes, empty_removes=False, email_is_identifier=False,
        )

    def delete_person(
        self,
        *,
        id: str | None = None,
        email: str | None = None,
        cio_id: str | None = None,
        anonymous_id: str | None = None,
    ) -> bool:
        """Delete a person (their devices, relationships and memberships go too); True if found."""
        with self._lock:  # found and deleted in one step
            person = self.find_person(id=id, email=email, cio_id=cio_id, anonymous_id=anonymous_id)
            return person is not None and people.delete(self, person["pk"])

    def people(self) -> list[dict[str, Any]]:
        """Every person, oldest first."""
        return people.every(self)
