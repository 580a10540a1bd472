"""Reporting webhooks: verify signatures, parse typed events, receive and store them durably.

>>> event = unwrap(body, request.headers, signing_key)      # verify, then parse
>>> with Receiver(signing_key, "events.duckdb") as r:       # r.url takes deliveries
...     ...
>>> r.store.to_pandas()                                      # the flat schema
>>> Receiver(signing_key, "postgresql://host/db")            # a store several processes share
>>> register_receiver(cio, public_url)                       # point a reporting webhook at it

The typed event classes (one per spec schema, e.g. ``EmailClicked``) are generated from the
vendored spec into ``_generated_events.py``; unknown metrics parse into a plain ``WebhookEvent``.
"""

from __future__ import annotations

from collections.abc import Mapping

from cio_toolkit._constants import WEBHOOK_TIMESTAMP_TOLERANCE
from cio_toolkit._http_server import ServerLimits
from cio_toolkit.webhooks import events
from cio_toolkit.webhooks._analysis import bounces_by_domain, metric_counts
from cio_toolkit.webhooks._deepjson import loads
from cio_toolkit.webhooks._events import EventData, Identifiers, WebhookEvent, parse_event, registered_events
from cio_toolkit.webhooks._flat import (
    FLAT_COLUMNS,
    events_to_arrow,
    events_to_pandas,
    flat_schema,
    flatten_event,
)
from cio_toolkit.webhooks._receiver import Receiver, create_receiver
from cio_toolkit.webhooks._register import (
    EVENT_TYPES,
    async_register_receiver,
    register_receiver,
    wait_for_events,
)
from cio_toolkit.webhooks._store import WebhookStore, open_store
from cio_toolkit.webhooks._store_base import EventStore
from cio_toolkit.webhooks._store_postgres import PostgresWebhookStore
from cio_toolkit.webhooks._verify import SIGNATURE_HEADER, TIMESTAMP_HEADER, compute_signature, sign, verify

__all__ = [
    "EVENT_TYPES",
    "FLAT_COLUMNS",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "EventData",
    "EventStore",
    "Identifiers",
    "PostgresWebhookStore",
    "Receiver",
    "ServerLimits",
    "WebhookEvent",
    "WebhookStore",
    "async_register_receiver",
    "bounces_by_domain",
    "compute_signature",
    "create_receiver",
    "events",
    "events_to_arrow",
    "events_to_pandas",
    "flat_schema",
    "flatten_event",
    "metric_counts",
    "open_store",
    "parse_event",
    "register_receiver",
    "registered_events",
    "sign",
    "unwrap",
    "verify",
    "wait_for_events",
]


def unwrap(
    body: bytes,
    headers: Mapping[str, str],
    signing_key: str,
    *,
    tolerance: int = WEBHOOK_TIMESTAMP_TOLERANCE,
) -> WebhookEvent:
    """Verify a delivery's signature, then parse its body (JSON of any depth) into a typed event."""
    verify(body, headers, signing_key, tolerance=tolerance)
    return parse_event(loads(body))
