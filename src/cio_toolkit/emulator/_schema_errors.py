"""How a failed JSON Schema rule is worded: the field it names and a short message.

:func:`describe` turns one jsonschema-rs error into ``(relative field, message)``, naming the
limit that failed and never echoing a large instance; :mod:`._validate` picks which errors to
describe.
"""

from __future__ import annotations

from typing import Any

__all__ = ["describe"]

_MAX_MESSAGE = 200


def _segment_field(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


_LIMIT_MESSAGES = {
    "maxLength": "must be at most {} characters long",
    "minLength": "must be at least {} characters long",
    "maximum": "must be <= {}",
    "minimum": "must be >= {}",
    "exclusiveMaximum": "must be < {}",
    "exclusiveMinimum": "must be > {}",
    "maxItems": "must have at most {} items",
    "minItems": "must have at least {} items",
    "maxProperties": "must have at most {} properties",
    "minProperties": "must have at least {} properties",
    "multipleOf": "must be a multiple of {}",
}


def describe(err: Any) -> tuple[str, str]:
    """Return (relative field, message) naming the limit, without echoing large instances."""
    where = _segment_field(err.instance_path)
    kind = err.kind
    name = kind.name
    detail = kind.as_dict()
    if name == "required":
        return f"{where}.{detail['property']}", "is required"
    if name == "type":
        wanted = detail.get("types") or detail.get("type")
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        return where, f"expected type {wanted}, got {_json_type(err.instance)}"
    if name == "enum":
        options = list(detail.get("options") or [])
        shown = ", ".join(repr(x) for x in options[:10]) + (", ..." if len(options) > 10 else "")
        return where, f"must be one of [{shown}]"
    if name == "additionalProperties":
        extra = list(detail.get("unexpected") or ["?"])
        return f"{where}.{extra[0]}", "is not an allowed property"
    if name == "pattern":
        return where, f"must match the pattern {detail.get('pattern')!r}"
    if name == "uniqueItems":
        return where, "items must be unique"
    if name in _LIMIT_MESSAGES:
        return where, _LIMIT_MESSAGES[name].format(detail.get("limit"))
    msg = str(err.message)
    return where, msg if len(msg) <= _MAX_MESSAGE else msg[:_MAX_MESSAGE] + "..."
