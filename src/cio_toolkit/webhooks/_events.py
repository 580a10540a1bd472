"""Reporting-webhook parsing: ``parse_event`` and the registry of typed event classes.

The base classes are in ``_event_base.py`` (hand-written), the per-metric classes in
``_generated_events.py`` (generated from the spec, data only); this module imports both and
registers the generated classes. Parsing is lenient on purpose: a receiver that rejects a signed
delivery makes Customer.io hold every later one behind it, so anything the typed classes cannot
represent becomes a generic :class:`WebhookEvent` that keeps the raw payload instead of raising.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from cio_toolkit._exceptions import ValidationError
from cio_toolkit.webhooks._event_base import EventData, Identifiers, WebhookEvent
from cio_toolkit.webhooks._generated_events import EVENT_CLASSES

__all__ = ["EventData", "Identifiers", "WebhookEvent", "parse_event", "registered_events"]

logger = logging.getLogger("cio_toolkit.webhooks")


class _Mismatch(Exception):
    """A value does not have the type the spec gives it."""

    def __init__(self, path: str, expected: str, value: Any) -> None:
        super().__init__(f"{path}: expected {expected}, got {type(value).__name__}")
        self.path = path


_REGISTRY: dict[tuple[str, str], type[WebhookEvent]] = {}
_BY_METRIC: dict[str, list[type[WebhookEvent]]] = {}


def register(cls: type[WebhookEvent]) -> type[WebhookEvent]:
    """Make ``cls`` (with ``OBJECT_TYPE`` and ``METRIC`` set) reachable by :func:`parse_event`."""
    assert cls.OBJECT_TYPE is not None and cls.METRIC is not None
    _REGISTRY[(cls.OBJECT_TYPE, cls.METRIC)] = cls
    _BY_METRIC.setdefault(cls.METRIC, []).append(cls)
    return cls


for _cls in EVENT_CLASSES.values():
    register(_cls)


def registered_events() -> dict[tuple[str, str], type[WebhookEvent]]:
    """Return ``{(object_type, metric): class}`` for every typed event class."""
    return dict(_REGISTRY)


_DECIMAL = re.compile(r"-?[0-9]+")


def decimal_int(text: str, max_chars: int) -> int | None:
    """``text`` as an int if it is ASCII decimal digits (optional leading ``-``), at most ``max_chars`` long.

    ``str.isdigit`` is not enough: it accepts digits ``int()`` refuses (``"²"``), and ``int()``
    refuses more than 4,300 digits; either would turn a delivery into a server error.
    """
    if len(text) <= max_chars and _DECIMAL.fullmatch(text):
        return int(text)
    return None


def _coerce(value: Any, kind: str, nested: Any, path: str) -> Any:
    if value is None:
        return None
    if kind == "str":
        if isinstance(value, str):
            return value
        # Ids sometimes arrive as numbers; their text form is lossless.
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise _Mismatch(path, "string", value)
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and (number := decimal_int(value, 19)) is not None:
            return number
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise _Mismatch(path, "integer", value)
    if kind == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise _Mismatch(path, "number", value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise _Mismatch(path, "boolean", value)
    if kind == "obj":
        if not isinstance(value, Mapping):
            raise _Mismatch(path, "object", value)
        return _build(nested, value, path)
    if kind == "list":
        if not isinstance(value, list):
            raise _Mismatch(path, "array", value)
        item_kind, item_nested = nested
        return tuple(_coerce(v, item_kind, item_nested, f"{path}[{i}]") for i, v in enumerate(value))
    return value


def _build(cls: Any, data: Mapping[str, Any], path: str) -> Any:
    kwargs: dict[str, Any] = {}
    for name, (kind, nested) in cls._FIELDS.items():
        if name in data:
            kwargs[name] = _coerce(data[name], kind, nested, f"{path}.{name}")
    if issubclass(cls, EventData):
        kwargs["raw"] = data
    return cls(**kwargs)


def _timestamp(value: Any) -> datetime | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = decimal_int(value, 20)
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def _generic(payload: Mapping[str, Any], event_id: str) -> WebhookEvent:
    raw_data = payload.get("data")
    data_map: Mapping[str, Any] = raw_data if isinstance(raw_data, Mapping) else {}
    try:
        data = _build(EventData, data_map, "data")
    except _Mismatch:
        data = EventData(raw=data_map)
    object_type = payload.get("object_type")
    metric = payload.get("metric")
    return WebhookEvent(
        event_id=event_id,
        object_type=object_type if isinstance(object_type, str) else None,
        metric=metric if isinstance(metric, str) else None,
        timestamp=_timestamp(payload.get("timestamp")),
        data=data,
        raw=payload,
    )


def _lookup(object_type: Any, metric: Any) -> type[WebhookEvent] | None:
    if not isinstance(metric, str):
        return None
    if isinstance(object_type, str):
        return _REGISTRY.get((object_type, metric))
    # The spec's cio_subscription_preferences_changed schema carries no object_type: a metric that
    # belongs to exactly one class is enough to type it.
    candidates = _BY_METRIC.get(metric, [])
    return candidates[0] if len(candidates) == 1 else None


def parse_event(payload: Mapping[str, Any]) -> WebhookEvent:
    """Turn a decoded webhook payload into its typed event (generic ``WebhookEvent`` if unknown).

    Does not verify anything; use :func:`unwrap` for requests from the network.
    """
    if not isinstance(payload, Mapping):
        raise ValidationError(
            f"a webhook payload must be a JSON object, got {type(payload).__name__}", field="body"
        )
    event_id = payload.get("event_id")
    if not isinstance(event_id, str) or not event_id:
        raise ValidationError(
            "a webhook payload needs a non-empty string event_id", field="event_id", limit="non-empty string"
        )
    cls = _lookup(payload.get("object_type"), payload.get("metric"))
    if cls is None:
        return _generic(payload, event_id)
    timestamp = _timestamp(payload.get("timestamp"))
    raw_data = payload.get("data")
    if timestamp is None or not isinstance(raw_data, Mapping):
        logger.debug("event %s: no usable timestamp or data; kept as a generic event", event_id)
        return _generic(payload, event_id)
    try:
        data = _build(cls.DATA_CLASS, raw_data, "data")
    except _Mismatch as exc:
        logger.debug("event %s: %s; kept as a generic event", event_id, exc)
        return _generic(payload, event_id)
    return cls(
        event_id=event_id,
        object_type=cls.OBJECT_TYPE,
        metric=cls.METRIC,
        timestamp=timestamp,
        data=data,
        raw=payload,
    )
