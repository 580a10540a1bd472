"""Track v2 items: typed builders for every type and action of ``/api/v2/entity`` and ``/api/v2/batch``.

Each builder returns a plain dict in the spec's shape; nothing is checked until the item is
sent, so a bad row of a data set is reported with its index instead of stopping the whole load.
:func:`normalize_item` is the one place that checks an item (documented limits, shapes) and
turns it into its wire form; builders and hand-written dicts go through it alike.

Event-like items (``event``, ``screen``, ``page``) get an ``id`` (a ULID) when built, so
Customer.io deduplicates re-sends: pass ``idempotency_key`` to derive the same id on every run.

>>> from cio_toolkit.track import v2
>>> cio.track.v2.batch([
...     v2.person_identify(id="u1", attributes={"plan": "pro"}),
...     v2.person_event(id="u1", name="upgraded", timestamp=1700000000),
... ])
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, ParamSpec

from .. import _constants as C
from .._exceptions import ValidationError
from .._serialize import dumps
from .._wire import call_limit
from ._checks import (
    Issue,
    IssueList,
    check_attributes,
    check_call_size,
    check_event,
    check_id,
    unix_seconds,
)
from ._ulid import event_id_for, is_ulid, new_event_id

__all__ = [
    "ACTIONS",
    "delivery_event",
    "normalize_item",
    "object_add_relationships",
    "object_delete",
    "object_delete_relationships",
    "object_identify",
    "object_identify_anonymous",
    "object_relationship",
    "person_add_device",
    "person_add_relationships",
    "person_delete",
    "person_delete_device",
    "person_delete_relationships",
    "person_event",
    "person_identify",
    "person_merge",
    "person_page",
    "person_relationship",
    "person_screen",
    "person_suppress",
    "person_unsuppress",
]

# Every type and action the spec defines for /entity and /batch.
ACTIONS: dict[str, tuple[str, ...]] = {
    "person": (
        "identify", "delete", "event", "screen", "page", "add_relationships", "delete_relationships",
        "add_device", "delete_device", "merge", "suppress", "unsuppress",
    ),
    "object": ("identify", "identify_anonymous", "delete", "add_relationships", "delete_relationships"),
    "delivery": ("event",),
}
PERSON_IDENTIFIERS = ("id", "email", "cio_id")
DELIVERY_EVENTS = ("opened", "converted", "delivered")
PLATFORMS = ("ios", "android")
_EVENT_ACTIONS = frozenset({"event", "screen", "page"})
_BASE_KEYS = frozenset({"type", "action", "identifiers"})
_ALLOWED_KEYS: dict[tuple[str, str], frozenset[str]] = {
    ("person", "identify"): _BASE_KEYS | {"attributes", "cio_relationships", "_timestamp"},
    ("person", "merge"): frozenset({"type", "action", "primary", "secondary"}),
    ("person", "add_device"): _BASE_KEYS | {"device"},
    ("person", "delete_device"): _BASE_KEYS | {"device"},
    ("person", "add_relationships"): _BASE_KEYS | {"cio_relationships"},
    ("person", "delete_relationships"): _BASE_KEYS | {"cio_relationships"},
    ("object", "identify"): _BASE_KEYS | {"attributes", "cio_relationships"},
    ("object", "identify_anonymous"): _BASE_KEYS | {"attributes", "cio_relationships"},
    ("object", "add_relationships"): _BASE_KEYS | {"cio_relationships"},
    ("object", "delete_relationships"): _BASE_KEYS | {"cio_relationships"},
    ("delivery", "event"): _BASE_KEYS | {"name", "attributes"},
}
for _action in _EVENT_ACTIONS:
    _ALLOWED_KEYS[("person", _action)] = _BASE_KEYS | {"name", "id", "timestamp", "attributes"}

Identifier = str | int | None


# ---------------------------------------------------------------- builders


def _person_ids(id: Identifier, email: str | None, cio_id: str | None) -> dict[str, Any]:
    # Kept as given (checked later), so a row without any identifier is reported, not raised.
    return {k: v for k, v in (("id", id), ("email", email), ("cio_id", cio_id)) if v is not None}

_P = ParamSpec("_P")


def _person(
    action: str, person_id: Identifier, email: str | None, cio_id: str | None, /, **fields: Any
) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "person", "identifiers": _person_ids(person_id, email, cio_id), "action": action}
    item.update({k: v for k, v in fields.items() if v is not None})
    return item


def _object_ids(object_type_id: str | int | None, object_id: Identifier, cio_object_id: str | None) -> dict[str, Any]:
    if cio_object_id is not None:
        return {"cio_object_id": cio_object_id}
    ids: dict[str, Any] = {}
    if object_type_id is not None:
        ids["object_type_id"] = object_type_id
    if object_id is not None:
        ids["object_id"] = object_id
    return ids


def _event_id(event_id: str | None, idempotency_key: str | None) -> str:
    if event_id is not None:
        return event_id
    return event_id_for(idempotency_key) if idempotency_key is not None else new_event_id()


def _relationship(identifiers: dict[str, Any], attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    rel: dict[str, Any] = {"identifiers": identifiers}
    if attributes is not None:
        rel["relationship_attributes"] = dict(attributes)
    return rel


def object_relationship(
    *,
    object_type_id: str | int | None = None,
    object_id: Identifier = None,
    cio_object_id: str | None = None,
    relationship_attributes: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A relationship from a person to an object (``cio_relationships`` entry of a person item or v1 identify)."""
    return _relationship(_object_ids(object_type_id, object_id, cio_object_id), relationship_attributes)


def person_relationship(
    *,
    id: Identifier = None,
    email: str | None = None,
    cio_id: str | None = None,
    anonymous_id: str | None = None,
    relationship_attributes: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A relationship from an object to a person (``anonymous_id`` only for ``object_identify_anonymous``)."""
    ids = _person_ids(id, email, cio_id)
    if anonymous_id is not None:
        ids["anonymous_id"] = anonymous_id
    return _relationship(ids, relationship_attributes)


def person_identify(
    *,
    id: Identifier = None,
    email: str | None = None,
    cio_id: str | None = None,
    attributes: Mapping[str, Any] | None = None,
    cio_relationships: Sequence[Mapping[str, Any]] | None = None,
    update: bool | None = None,
    timestamp: Any = None,
) -> dict[str, Any]:
    """Create or update a person (``identify``); ``update=True`` only updates (``_update``), ``timestamp`` orders updates (``_timestamp``)."""
    attrs = dict(attributes or {})
    if update is not None:
        attrs["_update"] = update
    return _person(
        "identify", id, email, cio_id, attributes=attrs if attrs or attributes is not None else None,
        cio_relationships=list(cio_relationships) if cio_relationships is not None else None, _timestamp=timestamp,
    )


def person_delete(*, id: Identifier = None, email: str | None = None, cio_id: str | None = None) -> dict[str, Any]:
    """Delete a person (``delete``)."""
    return _person("delete", id, email, cio_id)


def person_event(
    *,
    name: str,
    id: Identifier = None,
    email: str | None = None,
    cio_id: str | None = None,
    attributes: Mapping[str, Any] | None = None,
    timestamp: Any = None,
    event_id: str | None = None,
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    """An event a person performed (``event``); ``event_id`` is the item's ``id`` (a ULID, generated or derived from ``idempotency_key``)."""
    return _person(
        "event", id, email, cio_id, name=name, id=_event_id(event_id, idempotency_key), timestamp=timestamp,
        attributes=dict(attributes) if attributes is not None else None,
    )


def _as_action(
    template: Callable[_P, dict[str, Any]], action: str, doc: str
) -> Callable[_P, dict[str, Any]]:
    # Some items take exactly another item's fields (screen and page an event's, delete_relationships
    # add_relationships'...): one signature, another action.
    @functools.wraps(template)
    def build(*args: _P.args, **kwargs: _P.kwargs) -> dict[str, Any]:
        item = template(*args, **kwargs)
        item["action"] = action
        return item

    build.__name__ = build.__qualname__ = f"{template.__name__.split('_', 1)[0]}_{action}"
    build.__doc__ = doc
    return build


person_screen = _as_action(person_event, "screen", "A mobile screen view (``screen``); ``name`` is the screen.")
person_page = _as_action(
    person_event, "page",
    "A web page view (``page``); ``name`` is the page or path, ``attributes`` may carry url, path, referrer, title.",
)


def person_add_relationships(
    *,
    cio_relationships: Sequence[Mapping[str, Any]],
    id: Identifier = None,
    email: str | None = None,
    cio_id: str | None = None,
) -> dict[str, Any]:
    """Relate a person to objects (``add_relationships``); build entries with :func:`object_relationship`."""
    return _person("add_relationships", id, email, cio_id, cio_relationships=list(cio_relationships))


person_delete_relationships = _as_action(
    person_add_relationships, "delete_relationships",
    "Remove a person's relationships to objects (``delete_relationships``).",
)


def person_add_device(
    *,
    token: str,
    platform: Literal["ios", "android"],
    id: Identifier = None,
    email: str | None = None,
    cio_id: str | None = None,
    last_used: Any = None,
    attributes: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Add or update a person's device (``add_device``); ``last_used`` is a timestamp."""
    device: dict[str, Any] = {"token": token, "platform": platform}
    if last_used is not None:
        device["last_used"] = last_used
    if attributes is not None:
        device["attributes"] = dict(attributes)
    return _person("add_device", id, email, cio_id, device=device)


def person_delete_device(
    *, token: str, id: Identifier = None, email: str | None = None, cio_id: str | None = None
) -> dict[str, Any]:
    """Remove a device from a person (``delete_device``)."""
    return _person("delete_device", id, email, cio_id, device={"token": token})


def person_merge(*, primary: Mapping[str, Any], secondary: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``secondary`` into ``primary`` (``merge``); each is ``{"id": ...}``, ``{"email": ...}`` or ``{"cio_id": ...}``."""
    return {"type": "person", "action": "merge", "primary": dict(primary), "secondary": dict(secondary)}


def person_suppress(*, id: Identifier = None, email: str | None = None, cio_id: str | None = None) -> dict[str, Any]:
    """Delete a person and suppress their identifier (``suppress``)."""
    return _person("suppress", id, email, cio_id)


def person_unsuppress(
    *, id: Identifier = None, email: str | None = None, cio_id: str | None = None
) -> dict[str, Any]:
    """Make a suppressed identifier usable again (``unsuppress``)."""
    return _person("unsuppress", id, email, cio_id)


def _object(action: str, object_type_id: Any, object_id: Any, cio_object_id: Any, **fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": "object", "identifiers": _object_ids(object_type_id, object_id, cio_object_id), "action": action,
    }
    item.update({k: v for k, v in fields.items() if v is not None})
    return item


def object_identify(
    *,
    object_type_id: str | int | None = None,
    object_id: Identifier = None,
    cio_object_id: str | None = None,
    attributes: Mapping[str, Any] | None = None,
    cio_relationships: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Create or update an object (``identify``); relate people with :func:`person_relationship`."""
    return _object(
        "identify", object_type_id, object_id, cio_object_id,
        attributes=dict(attributes) if attributes is not None else None,
        cio_relationships=list(cio_relationships) if cio_relationships is not None else None,
    )


object_identify_anonymous = _as_action(
    object_identify, "identify_anonymous",
    "Create or update an object related to anonymous people (``identify_anonymous``).",
)


def object_delete(
    *, object_type_id: str | int | None = None, object_id: Identifier = None, cio_object_id: str | None = None
) -> dict[str, Any]:
    """Delete an object (``delete``)."""
    return _object("delete", object_type_id, object_id, cio_object_id)


def object_add_relationships(
    *,
    cio_relationships: Sequence[Mapping[str, Any]],
    object_type_id: str | int | None = None,
    object_id: Identifier = None,
    cio_object_id: str | None = None,
) -> dict[str, Any]:
    """Relate people to an object (``add_relationships``)."""
    return _object("add_relationships", object_type_id, object_id, cio_object_id,
                   cio_relationships=list(cio_relationships))


object_delete_relationships = _as_action(
    object_add_relationships, "delete_relationships",
    "Remove people's relationships to an object (``delete_relationships``).",
)


def delivery_event(
    *, delivery_id: str, name: Literal["opened", "converted", "delivered"], device_token: str
) -> dict[str, Any]:
    """A push delivery metric (type ``delivery``, action ``event``) for ``delivery_id`` on a device."""
    return {
        "type": "delivery", "action": "event", "identifiers": {"id": delivery_id}, "name": name,
        "attributes": {"device_token": device_token},
    }


# ---------------------------------------------------------------- checking


def _one_of(value: Any, field: str, keys: tuple[str, ...], issues: IssueList) -> dict[str, str] | None:
    """Exactly one identifier from ``keys`` (the spec: "You cannot pass multiple identifiers")."""
    if not isinstance(value, Mapping):
        issues.append(Issue(field, "required", f"must be an object with one of {', '.join(keys)}"))
        return None
    given = [k for k in keys if value.get(k) not in (None, "")]
    unknown = [k for k in value if k not in keys]
    if unknown:
        issues.append(Issue(f"{field}.{unknown[0]}", "invalid", f"is not an identifier; use one of {', '.join(keys)}"))
        return None
    if len(given) != 1:
        what = "no identifier" if not given else f"{len(given)} identifiers ({', '.join(given)})"
        issues.append(Issue(field, "required" if not given else "invalid",
                            f"needs exactly one of {', '.join(keys)}; got {what}"))
        return None
    key = given[0]
    limit = C.TRACK_MAX_ID_BYTES if key in ("id", "object_id") else 10_000
    text = check_id(value[key], f"{field}.{key}", issues, limit=limit, what=key)
    return None if text is None else {key: text}


def _object_identifiers(value: Any, field: str, issues: IssueList) -> dict[str, str] | None:
    if isinstance(value, Mapping) and value.get("cio_object_id") not in (None, ""):
        if len(value) > 1:
            issues.append(Issue(field, "invalid", "cio_object_id cannot be combined with object_type_id/object_id"))
            return None
        text = check_id(value["cio_object_id"], f"{field}.cio_object_id", issues, limit=10_000, what="cio_object_id")
        return None if text is None else {"cio_object_id": text}
    if not isinstance(value, Mapping) or value.get("object_type_id") in (None, "") or value.get("object_id") in (None, ""):
        issues.append(Issue(field, "required", "needs object_type_id and object_id, or cio_object_id"))
        return None
    extra = [k for k in value if k not in ("object_type_id", "object_id")]
    if extra:
        issues.append(Issue(f"{field}.{extra[0]}", "invalid", "is not an object identifier"))
        return None
    type_id = check_id(value["object_type_id"], f"{field}.object_type_id", issues, what="object_type_id")
    obj_id = check_id(value["object_id"], f"{field}.object_id", issues, what="object_id")
    if type_id is None or obj_id is None:
        return None
    return {"object_type_id": type_id, "object_id": obj_id}


def _relationships(
    value: Any, field: str, issues: IssueList, *, to: Literal["object", "person", "anonymous"], required: bool
) -> list[dict[str, Any]] | None:
    if value is None:
        if required:
            issues.append(Issue(field, "required", "at least one relationship is required"))
        return None
    if isinstance(value, Mapping) or not isinstance(value, Sequence) or isinstance(value, str):
        issues.append(Issue(field, "invalid", "must be a list of relationships"))
        return None
    if required and not value:
        issues.append(Issue(field, "required", "at least one relationship is required"))
    out = []
    for i, rel in enumerate(value):
        where = f"{field}[{i}]"
        if not isinstance(rel, Mapping):
            issues.append(Issue(where, "invalid", "must be an object with identifiers"))
            continue
        extra = [k for k in rel if k not in ("identifiers", "relationship_attributes")]
        if extra:
            issues.append(Issue(f"{where}.{extra[0]}", "invalid", "is not a relationship field"))
        if to == "object":
            ids = _object_identifiers(rel.get("identifiers"), f"{where}.identifiers", issues)
        elif to == "person":
            ids = _one_of(rel.get("identifiers"), f"{where}.identifiers", PERSON_IDENTIFIERS, issues)
        else:
            ids = _one_of(rel.get("identifiers"), f"{where}.identifiers", ("anonymous_id",), issues)
        entry: dict[str, Any] = {"identifiers": ids}
        if rel.get("relationship_attributes") is not None:
            entry["relationship_attributes"] = check_attributes(
                rel["relationship_attributes"], f"{where}.relationship_attributes", issues, exclude=frozenset()
            )
        out.append(entry)
    return out


def _timestamp(item: Mapping[str, Any], key: str, out: dict[str, Any], issues: IssueList) -> None:
    if item.get(key) is None:
        return
    try:
        out[key] = unix_seconds(item[key], key)
    except ValidationError as exc:
        issues.append(Issue(key, "invalid", exc.message.split(": ", 1)[-1], exc.limit))


def _device(value: Any, issues: IssueList, *, full: bool) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        issues.append(Issue("device", "required", "must be an object with a token"))
        return None
    token = check_id(value.get("token"), "device.token", issues, limit=10_000, what="token")
    out: dict[str, Any] = {"token": token}
    if not full:
        return out
    if value.get("platform") not in PLATFORMS:
        issues.append(Issue("device.platform", "invalid", f"must be one of {PLATFORMS}, got {value.get('platform')!r}"))
    out["platform"] = value.get("platform")
    if value.get("last_used") is not None:
        try:
            out["last_used"] = unix_seconds(value["last_used"], "device.last_used")
        except ValidationError as exc:
            issues.append(Issue("device.last_used", "invalid", exc.message.split(": ", 1)[-1]))
    if value.get("attributes") is not None:
        out["attributes"] = device_attributes(value["attributes"], "device.attributes", issues)
    return out


def device_attributes(value: Any, field: str, issues: IssueList) -> dict[str, str]:
    """Device attributes as the spec wants them: string values (booleans become ``"true"``/``"false"``)."""
    if not isinstance(value, Mapping):
        issues.append(Issue(field, "invalid", "must be a mapping of names to string values"))
        return {}
    out: dict[str, str] = {}
    for k, v in value.items():
        if isinstance(v, bool):
            out[str(k)] = "true" if v else "false"
        elif isinstance(v, str | int | float):
            out[str(k)] = str(v)
        else:
            issues.append(Issue(f"{field}.{k}", "invalid_value", f"device attributes are strings, got {type(v).__name__}"))
    return out


def normalize_item(item: Any, *, limit: int = call_limit("track")) -> tuple[dict[str, Any] | None, bytes | None, IssueList]:
    """Check one v2 item and return ``(wire item, serialized bytes, issues)``; the first two are None when it has issues.

    Items without an ``id`` that take one (event, screen, page) get a fresh ULID here.
    """
    issues: IssueList = []
    if not isinstance(item, Mapping):
        return None, None, [Issue("item", "invalid", f"must be an object, got {type(item).__name__}")]
    type_, action = item.get("type"), item.get("action")
    if type_ not in ACTIONS:
        return None, None, [Issue("type", "invalid", f"must be one of {tuple(ACTIONS)}, got {type_!r:.40}")]
    if action not in ACTIONS[type_]:
        return None, None, [Issue("action", "invalid", f"a {type_} item's action is one of {ACTIONS[type_]}, got {action!r:.40}")]
    allowed = _ALLOWED_KEYS.get((type_, action), _BASE_KEYS)
    for key in item:
        if key not in allowed:
            issues.append(Issue(str(key), "invalid", f"is not a field of a {type_} {action} item"))
    out: dict[str, Any] = {"type": type_, "action": action}
    if type_ == "person" and action == "merge":
        out["primary"] = _one_of(item.get("primary"), "primary", PERSON_IDENTIFIERS, issues)
        out["secondary"] = _one_of(item.get("secondary"), "secondary", PERSON_IDENTIFIERS, issues)
    elif type_ == "person":
        out["identifiers"] = _one_of(item.get("identifiers"), "identifiers", PERSON_IDENTIFIERS, issues)
    elif type_ == "object":
        out["identifiers"] = _object_identifiers(item.get("identifiers"), "identifiers", issues)
    else:
        out["identifiers"] = _one_of(item.get("identifiers"), "identifiers", ("id",), issues)

    if type_ == "person" and action == "identify":
        if item.get("attributes") is not None:
            out["attributes"] = check_attributes(item["attributes"], "attributes", issues)
        rels = _relationships(item.get("cio_relationships"), "cio_relationships", issues, to="object", required=False)
        if rels is not None:
            out["cio_relationships"] = rels
        _timestamp(item, "_timestamp", out, issues)
    elif type_ == "person" and action in _EVENT_ACTIONS:
        check_event(item.get("name"), item.get("attributes"), issues, data_field="attributes")
        out["name"] = item.get("name")
        event_id = item.get("id") or new_event_id()
        if not is_ulid(event_id):
            issues.append(Issue("id", "invalid", f"must be a ULID (26 characters, Crockford base32), got {event_id!r:.40}"))
        out["id"] = event_id
        _timestamp(item, "timestamp", out, issues)
        if item.get("attributes") is not None:
            out["attributes"] = dict(item["attributes"])
    elif action in ("add_relationships", "delete_relationships"):
        to: Literal["object", "person"] = "object" if type_ == "person" else "person"
        out["cio_relationships"] = _relationships(item.get("cio_relationships"), "cio_relationships", issues,
                                                  to=to, required=True)
    elif action in ("add_device", "delete_device"):
        out["device"] = _device(item.get("device"), issues, full=action == "add_device")
    elif type_ == "object" and action in ("identify", "identify_anonymous"):
        if item.get("attributes") is not None:
            out["attributes"] = check_attributes(item["attributes"], "attributes", issues)
        to_whom: Literal["person", "anonymous"] = "person" if action == "identify" else "anonymous"
        rels = _relationships(item.get("cio_relationships"), "cio_relationships", issues, to=to_whom, required=False)
        if rels is not None:
            out["cio_relationships"] = rels
    elif type_ == "delivery":
        if item.get("name") not in DELIVERY_EVENTS:
            issues.append(Issue("name", "invalid", f"a delivery event is one of {DELIVERY_EVENTS}, got {item.get('name')!r:.40}"))
        out["name"] = item.get("name")
        attrs = item.get("attributes")
        token = attrs.get("device_token") if isinstance(attrs, Mapping) else None
        check_id(token, "attributes.device_token", issues, limit=10_000, what="device_token")
        out["attributes"] = {"device_token": token}
    if issues:
        return None, None, issues
    try:
        raw = dumps(out)
    except ValidationError as exc:
        return None, None, [Issue(exc.field or "item", "invalid_value", exc.message)]
    check_call_size(raw, limit, "item", f"the {type_} {action} item", issues)
    if issues:
        return None, None, issues
    return out, raw, []


def is_idempotent(item: Mapping[str, Any]) -> bool:
    """Whether re-sending ``item`` cannot double an effect (delivery metrics carry no dedupe id)."""
    return item.get("type") != "delivery"
