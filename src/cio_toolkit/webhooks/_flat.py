"""The stable flat schema of webhook events, shared by DataFrames, Arrow and the DuckDB store.

Columns are read from the raw payload rather than the typed classes, so a generic event (an
unknown metric) fills the same columns as a typed one. pyarrow and pandas are optional (the
``data`` extra) and imported only when a conversion is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from cio_toolkit.webhooks._deepjson import dumps_sorted
from cio_toolkit.webhooks._events import WebhookEvent, decimal_int

if TYPE_CHECKING:
    import pandas
    import pyarrow

__all__ = ["FLAT_COLUMNS", "events_to_arrow", "events_to_pandas", "flat_schema", "flatten_event"]

# (column, logical type); logical types map to Arrow and DuckDB types below.
FLAT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "string"),
    ("object_type", "string"),
    ("metric", "string"),
    ("timestamp", "timestamp"),
    ("customer_id", "string"),
    ("email", "string"),
    ("cio_id", "string"),
    ("identifiers", "json"),
    ("delivery_id", "string"),
    ("delivery_type", "string"),
    ("campaign_id", "int"),
    ("action_id", "int"),
    ("parent_action_id", "int"),
    ("broadcast_id", "int"),
    ("trigger_id", "int"),
    ("newsletter_id", "int"),
    ("content_id", "int"),
    ("transactional_message_id", "string"),
    ("journey_id", "string"),
    ("trigger_event_id", "string"),
    ("recipient", "string"),
    ("subject", "string"),
    ("href", "string"),
    ("link_id", "int"),
    ("failure_message", "string"),
    ("data", "json"),
)
COLUMN_NAMES: tuple[str, ...] = tuple(name for name, _ in FLAT_COLUMNS)
DUCKDB_TYPES = {"string": "VARCHAR", "json": "VARCHAR", "int": "BIGINT", "timestamp": "TIMESTAMPTZ"}
_DATA_STRINGS = (
    "delivery_id",
    "transactional_message_id",
    "journey_id",
    "trigger_event_id",
    "recipient",
    "subject",
    "href",
    "failure_message",
)
_DATA_INTS = (
    "campaign_id",
    "action_id",
    "parent_action_id",
    "broadcast_id",
    "trigger_id",
    "newsletter_id",
    "content_id",
    "link_id",
)
_INT64_MAX = 2**63 - 1


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if -_INT64_MAX <= value <= _INT64_MAX else None
    if isinstance(value, str):
        return decimal_int(value, 18)  # 18 characters always fit in 64 bits
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return None


def _json(value: Any) -> str | None:
    return None if value is None else dumps_sorted(value)


def flatten_event(event: WebhookEvent) -> dict[str, Any]:
    """Return one row of the flat schema (``FLAT_COLUMNS``) for ``event``; never raises for decoded JSON."""
    raw = event.raw
    data = raw.get("data")
    data = data if isinstance(data, Mapping) else {}
    identifiers = data.get("identifiers")
    ids = identifiers if isinstance(identifiers, Mapping) else {}
    row: dict[str, Any] = {
        "event_id": event.event_id,
        "object_type": event.object_type,
        "metric": event.metric,
        "timestamp": event.timestamp,
        "customer_id": _str(data.get("customer_id")) or _str(ids.get("id")),
        "email": _str(ids.get("email")) or _str(data.get("email_address")),
        "cio_id": _str(ids.get("cio_id")),
        "identifiers": _json(identifiers),
        "delivery_type": _str(raw.get("delivery_type")),
        "data": _json(data),
    }
    for name in _DATA_STRINGS:
        row[name] = _str(data.get(name))
    for name in _DATA_INTS:
        row[name] = _int(data.get(name))
    return {name: row[name] for name in COLUMN_NAMES}


def flat_schema() -> pyarrow.Schema:
    """The Arrow schema of the flat table (timestamps are UTC microseconds)."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "json": pa.string(),
        "int": pa.int64(),
        "timestamp": pa.timestamp("us", tz="UTC"),
    }
    return pa.schema([pa.field(name, types[kind]) for name, kind in FLAT_COLUMNS])


def events_to_arrow(events: Iterable[WebhookEvent]) -> pyarrow.Table:
    """Build an Arrow table with the flat schema, one row per event."""
    import pyarrow as pa

    rows = [flatten_event(e) for e in events]
    columns: dict[str, list[Any]] = {name: [row[name] for row in rows] for name in COLUMN_NAMES}
    return pa.Table.from_pydict(columns, schema=flat_schema())


def events_to_pandas(events: Iterable[WebhookEvent]) -> pandas.DataFrame:
    """Build a pandas DataFrame with the flat schema (nullable Int64 ids, UTC timestamps)."""
    return arrow_to_pandas(events_to_arrow(events))


def arrow_to_pandas(table: pyarrow.Table) -> pandas.DataFrame:
    """Convert a flat-schema table to pandas, keeping integer ids as nullable Int64."""
    import pandas as pd
    import pyarrow as pa

    mapping = {pa.int64(): pd.Int64Dtype(), pa.string(): pd.StringDtype()}
    return table.to_pandas(types_mapper=mapping.get)
