"""Semantic events: track calls whose event name Customer.io acts on, from one table of definitions.

:data:`SEMANTIC_EVENTS` holds every semantic event of pipelines_api.json (generated into
``_semantic_table.py``): its spec name, category, the identity it needs, required and documented
properties, allowed values. :func:`semantic_call` builds and checks any of them; the typed builders
below (``delete_person``, ``add_device``, ...) cover the events with side effects in the workspace.

>>> semantic_call(event="Order Completed", user_id="u1", properties={"order_id": "o-1", "total": 30})["event"]
'Order Completed'
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Unpack

from .._exceptions import ValidationError
from .._options import with_options
from .._types import UNSET, Unset
from . import calls
from ._calls import preset
from ._semantic_table import EVENTS
from .calls import ContextOptions, StampOptions

__all__ = [
    "SEMANTIC_EVENTS",
    "SemanticEvent",
    "add_device",
    "check_semantic_call",
    "delete_device",
    "delete_object",
    "delete_person",
    "delete_relationship",
    "events_frame",
    "report_delivery_event",
    "semantic_call",
    "semantic_event",
    "suppress_person",
    "unsuppress_person",
]

Identity = Literal["user", "anonymous", "any"]
# Object Deleted must name a performer, which Customer.io ignores ("it can be anything").
OBJECT_DELETED_PERFORMER = "cio_toolkit"


@dataclass(frozen=True)
class SemanticEvent:
    """One semantic event as the spec defines it."""

    name: str
    schema: str
    category: str
    description: str
    identity: Identity
    required_properties: tuple[str, ...]
    properties: tuple[str, ...]
    enums: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    required_context: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    curated: bool = False


def _load() -> dict[str, SemanticEvent]:
    out: dict[str, SemanticEvent] = {}
    for row in EVENTS:
        event = SemanticEvent(
            name=row["name"], schema=row["schema"], category=row["category"], description=row["description"],
            identity=row["identity"], required_properties=tuple(row["required_properties"]),
            properties=tuple(row["properties"]), enums={k: tuple(v) for k, v in row["enums"].items()},
            required_context=tuple(row["required_context"]), aliases=tuple(row["aliases"]), curated=row["curated"],
        )
        out[event.name] = event
    return out


SEMANTIC_EVENTS: dict[str, SemanticEvent] = _load()
_BY_NAME = {n: e for e in SEMANTIC_EVENTS.values() for n in (e.name, *e.aliases)}


def semantic_event(name: str) -> SemanticEvent:
    """The definition of semantic event ``name`` (or one of its aliases); a clear error for unknown names."""
    found = _BY_NAME.get(name)
    if found is None:
        close = difflib.get_close_matches(name, list(_BY_NAME), n=3, cutoff=0.6) if isinstance(name, str) else []
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ValidationError(
            f"event: {name!r} is not a semantic event of the Data Pipelines spec{hint} "
            "(send custom events with track())",
            field="event", limit="semantic event names", actual=name,
        )
    return found


def _dig(mapping: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(mapping, Mapping):
            return None
        mapping = mapping.get(part)
    return mapping


def check_semantic_call(call: Mapping[str, Any]) -> SemanticEvent:
    """Check a track call against its semantic event's definition; return the definition."""
    event = semantic_event(str(call.get("event")))
    name = call.get("event")
    if event.identity == "user" and not call.get("userId"):
        raise ValidationError(f"{name}: user_id is required", field="user_id")
    if event.identity == "anonymous" and not call.get("anonymousId"):
        raise ValidationError(f"{name}: anonymous_id is required", field="anonymous_id")
    props = call.get("properties") or {}
    missing = [p for p in event.required_properties if props.get(p) in (None, "")]
    if missing:
        raise ValidationError(
            f"{name}: properties {', '.join(missing)} required (the spec's {event.schema} schema)",
            field=f"properties.{missing[0]}", limit="required",
        )
    for dotted in event.required_context:
        if _dig(call.get("context"), dotted) in (None, ""):
            raise ValidationError(f"{name}: context.{dotted} is required", field=f"context.{dotted}", limit="required")
    for key, allowed in event.enums.items():
        value = _dig(call, key) if key.startswith("context.") else props.get(key)
        if value is not None and value not in allowed:
            where = key if key.startswith("context.") else f"properties.{key}"
            raise ValidationError(
                f"{name}: {where} is {value!r}; allowed: {', '.join(map(str, allowed))}",
                field=where, limit=allowed, actual=value,
            )
    return event


@with_options(ContextOptions)
def semantic_call(
    *,
    event: str,
    user_id: str | Unset | None = UNSET,
    anonymous_id: str | Unset | None = UNSET,
    properties: Mapping[str, Any] | None = None,
    **options: Unpack[ContextOptions],
) -> dict[str, Any]:
    """A track call for semantic event ``event``, checked against the spec's definition."""
    semantic_event(event)  # unknown names fail before anything else
    call = calls.track(event=event, user_id=user_id, anonymous_id=anonymous_id, properties=properties, **options)
    check_semantic_call(call)
    return call


def _person_event(event: str, /, *, user_id: str, **options: Unpack[StampOptions]) -> dict[str, Any]:
    return semantic_call(event=event, user_id=user_id, **options)


delete_person, suppress_person, unsuppress_person = (
    preset(_person_event, event, name, doc, options=StampOptions) for event, name, doc in (
        ("User Deleted", "delete_person", "``User Deleted``: delete the person (``user_id`` may be an email address)."),
        ("User Suppressed", "suppress_person",
         "``User Suppressed``: delete the person and block the identifier from coming back."),
        ("User Unsuppressed", "unsuppress_person",
         "``User Unsuppressed``: allow a suppressed identifier to be added again."),
    )
)


def _device_context(token: str, type_: str | None, context: Mapping[str, Any] | None) -> dict[str, Any]:
    if not isinstance(token, str) or not token:
        raise ValidationError(f"token: must be a non-empty string, got {token!r}", field="token")
    ctx = dict(context or {})
    device = dict(ctx.get("device") or {})
    device["token"] = token
    if type_ is not None:
        device["type"] = type_
    ctx["device"] = device
    return ctx


@with_options(StampOptions)
def add_device(
    *,
    user_id: str,
    token: str,
    type: Literal["ios", "android"] | None = None,  # the spec's field name
    properties: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
    **options: Unpack[StampOptions],
) -> dict[str, Any]:
    """``Device Created or Updated``: add or update the person's device ``token`` (properties become device attributes)."""
    return semantic_call(event="Device Created or Updated", user_id=user_id, properties=properties,
                         context=_device_context(token, type, context), **options)


@with_options(StampOptions)
def delete_device(
    *, user_id: str, token: str, type: Literal["ios", "android"] | None = None, **options: Unpack[StampOptions]
) -> dict[str, Any]:
    """``Device Deleted``: remove the person's device ``token``."""
    return semantic_call(event="Device Deleted", user_id=user_id, context=_device_context(token, type, None),
                         **options)


def _object_properties(object_id: str, object_type_id: str | int) -> dict[str, Any]:
    if isinstance(object_id, bool) or not isinstance(object_id, str | int) or str(object_id) == "":
        raise ValidationError(f"object_id: must be a non-empty string, got {object_id!r}", field="object_id")
    # These two events' schemas type objectTypeId as an integer (group traits use its string form).
    return {"objectId": str(object_id), "objectTypeId": int(calls.object_type_id_of(object_type_id))}


@with_options(StampOptions)
def delete_object(
    *,
    object_id: str,
    object_type_id: str | int = 1,
    anonymous_id: str = OBJECT_DELETED_PERFORMER,
    **options: Unpack[StampOptions],
) -> dict[str, Any]:
    """``Object Deleted``: delete object ``object_id`` of type ``object_type_id`` and its relationships."""
    return semantic_call(event="Object Deleted", anonymous_id=anonymous_id,
                         properties=_object_properties(object_id, object_type_id), **options)


@with_options(StampOptions)
def delete_relationship(
    *, user_id: str, object_id: str, object_type_id: str | int = 1, **options: Unpack[StampOptions]
) -> dict[str, Any]:
    """``Relationship Deleted``: remove the person's relationship to object ``object_id``."""
    return semantic_call(event="Relationship Deleted", user_id=user_id,
                         properties=_object_properties(object_id, object_type_id), **options)


@with_options(StampOptions)
def report_delivery_event(
    *,
    delivery_id: str,
    metric: Literal["delivered", "clicked", "converted", "opened"],
    user_id: str | Unset | None = UNSET,
    anonymous_id: str | Unset | None = UNSET,
    recipient: str | None = None,
    reason: str | None = None,
    action_value: str | None = None,
    href: str | None = None,
    **options: Unpack[StampOptions],
) -> dict[str, Any]:
    """``Report Delivery Event``: report a metric for a message delivery (in-app, push, SMS)."""
    props = {"deliveryId": delivery_id, "metric": metric, "recipient": recipient, "reason": reason,
             "actionValue": action_value, "href": href}
    return semantic_call(event="Report Delivery Event", user_id=user_id, anonymous_id=anonymous_id,
                         properties={k: v for k, v in props.items() if v is not None}, **options)


def events_frame() -> Any:
    """The table of semantic events as a pandas DataFrame (one row per event)."""
    import pandas as pd

    return pd.DataFrame([
        {"name": e.name, "category": e.category, "identity": e.identity,
         "required_properties": ", ".join(e.required_properties), "properties": len(e.properties),
         "description": e.description}
        for e in SEMANTIC_EVENTS.values()
    ])
