"""Objects' ``cio_object_id``: assigned on first use, shared by the Track and App handlers."""

from __future__ import annotations

import uuid

from ._db import Store
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


