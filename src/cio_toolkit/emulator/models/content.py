"""App API documents and files: the ``app_docs`` table, id sequences, stored files and tracked links.

App-only state lives in two tables created here (:func:`ensure`), on the same SQLite store the
Pipelines and Track handlers write (people, events, devices, objects, relationships, segments):

- ``app_docs (kind, key, parent, data)``: campaigns, actions and their translations, broadcasts,
  triggers, newsletters, contents, test groups, transactional templates, sender identities,
  snippets, collections, topics, workspaces, reporting webhooks, ESP suppressions, exports,
  imports, links. ``data`` is the API's own JSON; keys starting with ``_`` are private and never
  answered.
- ``app_messages``: one row per delivery with a timestamp column per metric (sent, delivered,
  opened, ...). Message lists, activities, metrics series, link metrics and deliveries exports
  are all computed from it, so they always agree.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Mapping
from typing import Any

import orjson

from ._db import Store, dumps
from .clock import now

SCHEMA = """
CREATE TABLE IF NOT EXISTS app_docs (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    parent TEXT,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX IF NOT EXISTS app_docs_parent ON app_docs(kind, parent);
CREATE TABLE IF NOT EXISTS app_messages (
    id TEXT PRIMARY KEY,
    person_pk INTEGER,
    customer_id TEXT,
    email TEXT,
    cio_id TEXT,
    recipient TEXT,
    subject TEXT,
    type TEXT NOT NULL,
    campaign_id INTEGER,
    broadcast_id INTEGER,
    newsletter_id INTEGER,
    action_id INTEGER,
    parent_action_id INTEGER,
    content_id INTEGER,
    transactional_id INTEGER,
    trigger_id INTEGER,
    template_id INTEGER,
    link_id INTEGER,
    failure_message TEXT,
    body TEXT,
    sender TEXT,
    forgotten INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL,
    drafted REAL, attempted REAL, sent REAL, delivered REAL, opened REAL, clicked REAL,
    converted REAL, bounced REAL, spammed REAL, unsubscribed REAL, topic_unsubscribed REAL,
    failed REAL, undeliverable REAL, dropped REAL, deferred REAL, suppressed REAL
);
CREATE INDEX IF NOT EXISTS app_messages_person ON app_messages(person_pk);
CREATE INDEX IF NOT EXISTS app_messages_campaign ON app_messages(campaign_id);
CREATE INDEX IF NOT EXISTS app_messages_broadcast ON app_messages(broadcast_id);
CREATE INDEX IF NOT EXISTS app_messages_newsletter ON app_messages(newsletter_id);
CREATE INDEX IF NOT EXISTS app_messages_transactional ON app_messages(transactional_id);
CREATE INDEX IF NOT EXISTS app_messages_created ON app_messages(created);
"""


def ensure(store: Store) -> Store:
    """Create the App API tables in ``store`` once."""
    return store.ensure_schema(SCHEMA)


WORKSPACE_USER = {"user_id": 1, "user_email": "data-team@example.com"}


FILES_NAMESPACE = "emulator_files"


def public(data: Mapping[str, Any]) -> dict[str, Any]:
    """The API view of a document: private ``_`` keys removed."""
    return {k: v for k, v in data.items() if not k.startswith("_")}


def doc_get(store: Store, kind: str, key: Any) -> dict[str, Any] | None:
    """One document, or None."""
    rows = ensure(store).query("SELECT data FROM app_docs WHERE kind = ? AND key = ?", (kind, str(key)))
    return orjson.loads(rows[0]["data"]) if rows else None


def doc_list(store: Store, kind: str, parent: Any = None) -> list[dict[str, Any]]:
    """Documents of ``kind`` (under ``parent`` when given) in creation order."""
    if parent is None:
        rows = ensure(store).query("SELECT data FROM app_docs WHERE kind = ? ORDER BY seq", (kind,))
    else:
        rows = ensure(store).query(
            "SELECT data FROM app_docs WHERE kind = ? AND parent = ? ORDER BY seq", (kind, str(parent))
        )
    return [orjson.loads(r["data"]) for r in rows]


def doc_put(store: Store, kind: str, key: Any, data: Mapping[str, Any], parent: Any = None) -> dict[str, Any]:
    """Insert or replace a document (its creation order is kept on replace)."""
    ensure(store).execute(
        "INSERT INTO app_docs (kind, key, parent, seq, data) VALUES (?, ?, ?,"
        " (SELECT COALESCE(MAX(seq), 0) + 1 FROM app_docs), ?)"
        " ON CONFLICT(kind, key) DO UPDATE SET data = excluded.data, parent = excluded.parent",
        (kind, str(key), None if parent is None else str(parent), dumps(dict(data))),
    )
    return dict(data)


def doc_delete(store: Store, kind: str, key: Any) -> bool:
    """Remove a document; True if it existed."""
    return ensure(store).execute("DELETE FROM app_docs WHERE kind = ? AND key = ?", (kind, str(key))) > 0


def next_id(store: Store, sequence: str) -> int:
    """The next integer id of ``sequence`` (ids are never reused, like the real service)."""
    with store.transaction() as conn:
        rows = list(conn.execute("SELECT value FROM kv WHERE namespace = 'app_seq' AND key = ?", (sequence,)))
        value = int(orjson.loads(rows[0]["value"])) + 1 if rows else 1
        conn.execute(
            "INSERT INTO kv (namespace, key, value) VALUES ('app_seq', ?, ?)"
            " ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value",
            (sequence, str(value)),
        )
    return value


def set_sequence(store: Store, sequence: str, value: int) -> None:
    """Make :func:`next_id` continue after ``value`` (used by seeds)."""
    store.kv_set("app_seq", sequence, value)


def dedup_id(obj_id: Any, updated: float | int) -> str:
    """The spec's ``deduplicate_id``: ``id:timestamp`` of the last update."""
    return f"{obj_id}:{int(updated)}"


def put_file(store: Store, data: bytes, *, name: str, content_type: str, ttl: float | None = None) -> str:
    """Store a downloadable file; return its unguessable id (valid ``ttl`` seconds when given)."""
    file_id = uuid.uuid4().hex
    store.kv_set(
        FILES_NAMESPACE,
        file_id,
        {
            "name": name,
            "content_type": content_type,
            "data": base64.b64encode(data).decode(),
            "expires_at": None if ttl is None else now(store) + ttl,
        },
    )
    return file_id


def read_file(store: Store, file_id: str) -> bytes | None:
    """The bytes of a stored file, or None."""
    entry = store.kv_get(FILES_NAMESPACE, file_id)
    if not isinstance(entry, dict):
        return None
    return base64.b64decode(entry["data"])


def esp_suppression(store: Store, email: str | None) -> str | None:
    """``"bounces"`` or ``"spam_reports"`` when the address is on an ESP suppression list."""
    if not email:
        return None
    for kind in ("bounces", "spam_reports"):
        if doc_get(store, f"esp_{kind}", email.lower()) is not None:
            return kind
    return None


def links_of(store: Store, owner: str) -> list[dict[str, Any]]:
    """Tracked links of a template (``owner`` such as ``action:12``, ``content:5``, ``tx_content:2``)."""
    return doc_list(store, "link", owner)


def add_link(store: Store, owner: str, href: str) -> dict[str, Any]:
    """Register a tracked link for a template (same href, same link)."""
    for link in links_of(store, owner):
        if link["href"] == href:
            return link
    link_id = next_id(store, "link")
    return doc_put(store, "link", link_id, {"id": link_id, "href": href}, parent=owner)


_HREF = re.compile(r"""href=["'](https?://[^"']+)["']""")


def register_links(store: Store, owner: str, html: str | None) -> list[dict[str, Any]]:
    """Register every ``href`` of ``html`` as a tracked link of ``owner``."""
    return [add_link(store, owner, href) for href in dict.fromkeys(_HREF.findall(html or ""))]


SIGNING_KEY = "_signing_key"  # the private field of a reporting webhook document holding its own key


def list_reporting_webhooks(store: Store) -> list[dict[str, Any]]:
    """The reporting webhooks configured through the App API (the spec's objects, with ids; no keys)."""
    return [public(d) for d in doc_list(store, "webhook")]


def reporting_webhook(store: Store, webhook_id: int) -> tuple[dict[str, Any], str | None] | None:
    """One reporting webhook (the spec's object) and its own signing key (None: a webhook the emulator
    seeded, signed with the configured key), or None when there is no such webhook."""
    doc = doc_get(store, "webhook", webhook_id)
    return None if doc is None else (public(doc), doc.get(SIGNING_KEY))




def doc_keys(store: Store, kind: str) -> list[str]:
    """The keys of every document of ``kind``."""
    return [str(r["key"]) for r in ensure(store).query("SELECT key FROM app_docs WHERE kind = ?", (kind,))]
