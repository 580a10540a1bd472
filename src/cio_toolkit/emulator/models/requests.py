"""What the Track and Pipelines APIs record about the requests themselves.

- ``pipelines_messages``: every Pipelines messageId applied, so a re-sent call is applied once;
- ``track_unsubscribes``: the Track API's ``/unsubscribe/{delivery_id}`` requests;
- ``track_form_submissions``: the Track API's form submissions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._db import Store, dumps
from .clock import now

__all__ = ["SCHEMA", "ensure", "message_seen", "record_form", "record_unsubscribe_request", "remember_message"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS pipelines_messages (
    message_id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    user_id TEXT,
    anonymous_id TEXT,
    received_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS track_unsubscribes (
    delivery_id TEXT PRIMARY KEY,
    unsubscribe INTEGER NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS track_form_submissions (
    pk INTEGER PRIMARY KEY,
    form_id TEXT NOT NULL,
    data TEXT NOT NULL,
    person_pk INTEGER,
    created_at REAL NOT NULL
);
"""


def ensure(store: Store) -> Store:
    """Create these tables in ``store`` once; return the store."""
    return store.ensure_schema(SCHEMA)


def message_seen(store: Store, message_id: str) -> bool:
    """Whether a Pipelines call with this messageId was already applied."""
    return bool(ensure(store).query("SELECT 1 FROM pipelines_messages WHERE message_id = ?", (message_id,)))


def remember_message(store: Store, message_id: str, type_: str, user_id: str | None, anonymous_id: str | None) -> None:
    """Record that the Pipelines call ``message_id`` was applied."""
    ensure(store).execute(
        "INSERT OR IGNORE INTO pipelines_messages (message_id, type, user_id, anonymous_id, received_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (message_id, type_, user_id, anonymous_id, now(store)),
    )


def record_unsubscribe_request(store: Store, delivery_id: str, unsubscribe: bool) -> None:
    """Record the latest Track API unsubscribe request for a delivery."""
    ensure(store).execute(
        "INSERT INTO track_unsubscribes (delivery_id, unsubscribe, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT(delivery_id) DO UPDATE SET unsubscribe = excluded.unsubscribe, updated_at = excluded.updated_at",
        (delivery_id, int(unsubscribe), now(store)),
    )


def record_form(store: Store, form_id: str, data: Mapping[str, Any], person_pk: int | None) -> None:
    """Record a Track API form submission."""
    ensure(store).execute(
        "INSERT INTO track_form_submissions (form_id, data, person_pk, created_at) VALUES (?, ?, ?, ?)",
        (form_id, dumps(dict(data)), person_pk, now(store)),
    )
