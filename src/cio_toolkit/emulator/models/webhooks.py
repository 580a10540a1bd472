"""The reporting-webhook outbox: subscription changes of people, queued by triggers for delivery.

TEMP triggers on the ``people`` table write every change of a person's ``unsubscribed``
attribute (explicitly set to true or false) and of ``cio_subscription_preferences`` to a
connection-local outbox and call a notify function, so every writer (Track, Pipelines, App) is
covered and a rolled-back change leaves nothing. :mod:`cio_toolkit.emulator.services.webhooks`
drains the outbox and delivers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._db import Store

__all__ = ["install_outbox", "take_outbox"]

_NOTIFY_FN = "cio_webhook_outbox_notify"

# Connection-local (TEMP) objects: they vanish with the connection, so a database file never
# carries triggers that call a Python function another process would not have.
_UNSUB_STATE = (
    "CASE lower(CAST(json_extract({row}.attributes, '$.unsubscribed') AS TEXT))"
    " WHEN '1' THEN 1 WHEN 'true' THEN 1 WHEN '0' THEN 0 WHEN 'false' THEN 0 END"
)
_NOW_FN = "cio_emulator_now"
_NOW = f"{_NOW_FN}()"  # the emulator's clock, not SQLite's
_SUBSCRIPTION = f"CASE {_UNSUB_STATE.format(row='NEW')} WHEN 1 THEN 'unsubscribed' ELSE 'subscribed' END"
_PREFERENCES = "json_extract({row}.attributes, '$.cio_subscription_preferences')"


def _trigger(name: str, on: str, when: str, metric: str, content: str) -> str:
    """A TEMP trigger on ``people`` that queues one change (``metric`` and ``content`` are SQL) and notifies."""
    return f"""
CREATE TEMP TRIGGER IF NOT EXISTS cio_webhook_{name} AFTER {on} ON main.people
WHEN {when}
BEGIN
    INSERT INTO cio_webhook_outbox (person_pk, customer_id, email, cio_id, metric, content, at)
    VALUES (NEW.pk, NEW.id, NEW.email, NEW.cio_id, {metric}, {content}, {_NOW});
    SELECT {_NOTIFY_FN}();
END;"""


_OUTBOX_SCHEMA = "\n".join([
    """
CREATE TEMP TABLE IF NOT EXISTS cio_webhook_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    person_pk INTEGER,
    customer_id TEXT,
    email TEXT,
    cio_id TEXT,
    metric TEXT NOT NULL,
    content TEXT,
    at REAL NOT NULL
);""",
    _trigger("subscription_insert", "INSERT", f"{_UNSUB_STATE.format(row='NEW')} IS NOT NULL", _SUBSCRIPTION, "NULL"),
    _trigger(
        "subscription_update", "UPDATE OF attributes",
        f"{_UNSUB_STATE.format(row='NEW')} IS NOT NULL"
        f" AND {_UNSUB_STATE.format(row='NEW')} IS NOT {_UNSUB_STATE.format(row='OLD')}",
        _SUBSCRIPTION, "NULL",
    ),
    _trigger("preferences_insert", "INSERT", f"{_PREFERENCES.format(row='NEW')} IS NOT NULL",
             "'cio_subscription_preferences_changed'", _PREFERENCES.format(row="NEW")),
    _trigger("preferences_update", "UPDATE OF attributes",
             f"{_PREFERENCES.format(row='NEW')} IS NOT {_PREFERENCES.format(row='OLD')}",
             "'cio_subscription_preferences_changed'", f"COALESCE({_PREFERENCES.format(row='NEW')}, '{{}}')"),
])


def install_outbox(store: Store, notify: Callable[[], None]) -> None:
    """Create the outbox and its triggers on ``store``'s connection; ``notify()`` runs inside each writing statement.

    A change is stamped with the emulator's clock (:mod:`.clock`).
    """
    store.create_function(_NOTIFY_FN, 0, notify)
    store.create_function(_NOW_FN, 0, store.clock.now)
    store.ensure_schema(_OUTBOX_SCHEMA)


def take_outbox(store: Store) -> list[dict[str, Any]]:
    """Remove and return the queued changes, oldest first."""
    rows = store.query("SELECT * FROM temp.cio_webhook_outbox ORDER BY seq")
    if rows:
        store.execute("DELETE FROM temp.cio_webhook_outbox WHERE seq <= ?", (rows[-1]["seq"],))
    return rows
