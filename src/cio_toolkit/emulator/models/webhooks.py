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
_OUTBOX_SCHEMA = f"""
CREATE TEMP TABLE IF NOT EXISTS cio_webhook_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    person_pk INTEGER,
    customer_id TEXT,
    email TEXT,
    cio_id TEXT,
    metric TEXT NOT NULL,
    content TEXT,
    at REAL NOT NULL
);
CREATE TEMP TRIGGER IF NOT EXISTS cio_webhook_subscription_insert AFTER INSERT ON main.people
WHEN {_UNSUB_STATE.format(row="NEW")} IS NOT NULL
BEGIN
    INSERT INTO cio_webhook_outbox (person_pk, customer_id, email, cio_id, metric, at)
    VALUES (NEW.pk, NEW.id, NEW.email, NEW.cio_id,
            CASE {_UNSUB_STATE.format(row="NEW")} WHEN 1 THEN 'unsubscribed' ELSE 'subscribed' END, {_NOW});
    SELECT {_NOTIFY_FN}();
END;
CREATE TEMP TRIGGER IF NOT EXISTS cio_webhook_subscription_update AFTER UPDATE OF attributes ON main.people
WHEN {_UNSUB_STATE.format(row="NEW")} IS NOT NULL
    AND {_UNSUB_STATE.format(row="NEW")} IS NOT {_UNSUB_STATE.format(row="OLD")}
BEGIN
    INSERT INTO cio_webhook_outbox (person_pk, customer_id, email, cio_id, metric, at)
    VALUES (NEW.pk, NEW.id, NEW.email, NEW.cio_id,
            CASE {_UNSUB_STATE.format(row="NEW")} WHEN 1 THEN 'unsubscribed' ELSE 'subscribed' END, {_NOW});
    SELECT {_NOTIFY_FN}();
END;
CREATE TEMP TRIGGER IF NOT EXISTS cio_webhook_preferences_insert AFTER INSERT ON main.people
WHEN json_extract(NEW.attributes, '$.cio_subscription_preferences') IS NOT NULL
BEGIN
    INSERT INTO cio_webhook_outbox (person_pk, customer_id, email, cio_id, metric, content, at)
    VALUES (NEW.pk, NEW.id, NEW.email, NEW.cio_id, 'cio_subscription_preferences_changed',
            json_extract(NEW.attributes, '$.cio_subscription_preferences'), {_NOW});
    SELECT {_NOTIFY_FN}();
END;
CREATE TEMP TRIGGER IF NOT EXISTS cio_webhook_preferences_update AFTER UPDATE OF attributes ON main.people
WHEN json_extract(NEW.attributes, '$.cio_subscription_preferences')
    IS NOT json_extract(OLD.attributes, '$.cio_subscription_preferences')
BEGIN
    INSERT INTO cio_webhook_outbox (person_pk, customer_id, email, cio_id, metric, content, at)
    VALUES (NEW.pk, NEW.id, NEW.email, NEW.cio_id, 'cio_subscription_preferences_changed',
            COALESCE(json_extract(NEW.attributes, '$.cio_subscription_preferences'), '{{}}'), {_NOW});
    SELECT {_NOTIFY_FN}();
END;
"""


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
