"""Hand-written base classes of the reporting-webhook event model.

``_generated_events.py`` (generated from the spec) subclasses these, and ``_events.py`` imports
both to register the generated classes and parse payloads; this module imports neither, so the
three form no cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

__all__ = ["EventData", "FieldSpec", "Identifiers", "WebhookEvent"]

# (kind, nested class): kind is one of str, int, float, bool, any, obj, list.
FieldSpec = tuple[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class Identifiers:
    """The person an event is about: ``id``, ``email`` and ``cio_id`` (any may be None)."""

    id: str | None = None
    email: str | None = None
    cio_id: str | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        "id": ("str", None),
        "email": ("str", None),
        "cio_id": ("str", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EventData:
    """An event's ``data`` object; ``raw`` keeps every key, ``get`` reads any of them."""

    identifiers: Identifiers | None = None
    customer_id: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        "identifiers": ("obj", Identifiers),
        "customer_id": ("str", None),
    }

    def get(self, key: str, default: Any = None) -> Any:
        """Return the raw value of ``key`` in the event's data, or ``default``."""
        return self.raw.get(key, default)


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookEvent:
    """A reporting-webhook event; subclasses add typed ``data`` for each object type and metric."""

    event_id: str
    object_type: str | None
    metric: str | None
    timestamp: datetime | None
    data: EventData
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    OBJECT_TYPE: ClassVar[str | None] = None
    METRIC: ClassVar[str | None] = None
    SCHEMA: ClassVar[str | None] = None
    DATA_CLASS: ClassVar[type[EventData]] = EventData

    @property
    def is_typed(self) -> bool:
        """True when the event parsed into a class generated from the spec."""
        return type(self) is not WebhookEvent
