"""People's devices (``devices``): written by the Track and Pipelines APIs, read by sends and webhooks."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._db import Store, dumps

__all__ = [
    "delete_device", "device_attributes", "insert_rows", "latest_device", "person_devices", "platform_of", "put_device",
]


def put_device(
    store: Store,
    person_pk: int,
    device_id: str,
    *,
    platform: str | None,
    last_used: float,
    attributes: Mapping[str, Any],
    keep_platform: bool = False,
) -> None:
    """Add or replace a person's device; with ``keep_platform`` a None platform keeps the stored one.

    The Track API sends the platform with every device; a Pipelines "Device Created or Updated"
    event may omit ``context.device.type`` and then keeps what is known (``keep_platform``).
    """
    platform_sql = "COALESCE(excluded.platform, platform)" if keep_platform else "excluded.platform"
    store.execute(
        "INSERT INTO devices (person_pk, device_id, platform, last_used, attributes) VALUES (?, ?, ?, ?, ?)"
        f" ON CONFLICT(person_pk, device_id) DO UPDATE SET platform = {platform_sql},"
        " last_used = excluded.last_used, attributes = excluded.attributes",
        (person_pk, device_id, platform, last_used, dumps(dict(attributes))),
    )


def delete_device(store: Store, person_pk: int, device_id: str) -> None:
    """Remove a person's device."""
    store.execute("DELETE FROM devices WHERE person_pk = ? AND device_id = ?", (person_pk, device_id))


def device_attributes(store: Store, person_pk: int, device_id: str) -> dict[str, Any]:
    """The attributes of a person's device ({} when it is not known)."""
    rows = store.query("SELECT attributes FROM devices WHERE person_pk = ? AND device_id = ?",
                       (person_pk, device_id))
    return dict(rows[0]["attributes"]) if rows else {}


def latest_device(store: Store, person_pk: int) -> str | None:
    """The id of the person's most recently used device, or None."""
    rows = store.query("SELECT device_id FROM devices WHERE person_pk = ? ORDER BY last_used DESC LIMIT 1",
                       (person_pk,))
    return str(rows[0]["device_id"]) if rows else None


def person_devices(store: Store, person_pk: int) -> list[dict[str, Any]]:
    """The person's devices, most recently used first."""
    return store.query("SELECT * FROM devices WHERE person_pk = ? ORDER BY last_used DESC", (person_pk,))


def platform_of(store: Store, device_id: str) -> str | None:
    """The platform of a device id (whoever's it is), or None."""
    rows = store.query("SELECT platform FROM devices WHERE device_id = ? LIMIT 1", (device_id,))
    return rows[0]["platform"] if rows else None


def insert_rows(conn: sqlite3.Connection, rows: Iterable[Sequence[Any]]) -> None:
    """Bulk-insert ``(person_pk, device_id, platform, last_used, attributes)`` seed rows in the caller's transaction."""
    conn.executemany("INSERT INTO devices (person_pk, device_id, platform, last_used, attributes)"
                     " VALUES (?, ?, ?, ?, ?)", rows)
