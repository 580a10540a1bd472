"""Composable audience filters for customer search, object search and broadcast recipients.

Build conditions with :func:`attr`, :func:`segment` and :func:`object_attr`, and combine them with
``&`` (and), ``|`` (or) and ``~`` (not)::

    from cio_toolkit.app.filters import attr, segment

    f = (attr("plan") == "pro") & attr("email").exists() & ~segment(12)
    cio.app.customers.search(filter=f)

``to_dict()`` gives exactly the JSON of the spec's filter schema: ``{"and": [...]}``,
``{"or": [...]}``, ``{"not": {...}}``, ``{"segment": {"id": 12}}`` and
``{"attribute": {"field": "plan", "operator": "eq", "value": "pro"}}``. The API compares
attribute values as strings, so values are sent as strings (``True`` as ``"true"``).
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from .._exceptions import ValidationError

__all__ = [
    "Filter", "And", "Or", "Not", "SegmentFilter", "AttributeFilter", "ObjectAttributeFilter",
    "attr", "object_attr", "segment", "all_of", "any_of", "Attr", "ObjectAttr",
]

Operator = Literal["eq", "exists"]


def _as_value(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise ValidationError(
        f"{where}: filter values must be strings, numbers or booleans, got {type(value).__name__}",
        field=where, limit="string",
    )


class Filter(abc.ABC):
    """A search condition; combine with ``&``, ``|`` and ``~``; ``to_dict()`` is the spec's JSON."""

    @abc.abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """The filter as the API's JSON object."""

    def __and__(self, other: Filter) -> Filter:
        if not isinstance(other, Filter):
            return NotImplemented
        return And(tuple(_flatten(And, (self, other))))

    def __or__(self, other: Filter) -> Filter:
        if not isinstance(other, Filter):
            return NotImplemented
        return Or(tuple(_flatten(Or, (self, other))))

    def __invert__(self) -> Filter:
        return Not(self)


def _flatten(kind: type[And] | type[Or], parts: Iterable[Filter]) -> Iterable[Filter]:
    # (a & b) & c is sent as one {"and": [a, b, c]}, which also keeps nesting within the spec's depth.
    for p in parts:
        if isinstance(p, kind):
            yield from p.parts
        else:
            yield p


@dataclass(frozen=True, eq=False)
class And(Filter):
    """Every condition must hold."""

    parts: tuple[Filter, ...]

    def to_dict(self) -> dict[str, Any]:
        """The filter as the API's JSON object."""
        return {"and": [p.to_dict() for p in self.parts]}


@dataclass(frozen=True, eq=False)
class Or(Filter):
    """At least one condition must hold."""

    parts: tuple[Filter, ...]

    def to_dict(self) -> dict[str, Any]:
        """The filter as the API's JSON object."""
        return {"or": [p.to_dict() for p in self.parts]}


@dataclass(frozen=True, eq=False)
class Not(Filter):
    """The condition must not hold."""

    part: Filter

    def to_dict(self) -> dict[str, Any]:
        """The filter as the API's JSON object."""
        return {"not": self.part.to_dict()}

    def __invert__(self) -> Filter:
        return self.part


@dataclass(frozen=True, eq=False)
class SegmentFilter(Filter):
    """Membership of a segment."""

    id: int

    def to_dict(self) -> dict[str, Any]:
        """The filter as the API's JSON object."""
        return {"segment": {"id": self.id}}


@dataclass(frozen=True, eq=False)
class AttributeFilter(Filter):
    """A person attribute exists, or equals a value."""

    field: str
    operator: Operator
    value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The filter as the API's JSON object."""
        cond: dict[str, Any] = {"field": self.field, "operator": self.operator}
        if self.value is not None:
            cond["value"] = self.value
        return {"attribute": cond}


@dataclass(frozen=True, eq=False)
class ObjectAttributeFilter(Filter):
    """An object attribute (of object type ``type_id``) exists, or equals a value."""

    field: str
    operator: Operator
    type_id: str
    value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The filter as the API's JSON object."""
        cond: dict[str, Any] = {"field": self.field, "operator": self.operator, "type_id": self.type_id}
        if self.value is not None:
            cond["value"] = self.value
        return {"object_attribute": cond}


class Attr:
    """A person attribute to build conditions on: ``attr("plan") == "pro"``, ``attr("email").exists()``."""

    __hash__ = None  # type: ignore[assignment]  # == builds a filter, so instances are not hashable

    def __init__(self, field: str) -> None:
        if not isinstance(field, str) or not field:
            raise ValidationError("field: an attribute name must be a non-empty string", field="field",
                                  limit="non-empty")
        self.field = field

    def eq(self, value: Any) -> Filter:
        """The attribute equals ``value`` (compared as a string)."""
        return AttributeFilter(self.field, "eq", _as_value(value, self.field))

    def ne(self, value: Any) -> Filter:
        """The attribute does not equal ``value``."""
        return Not(self.eq(value))

    def exists(self) -> Filter:
        """The person has the attribute."""
        return AttributeFilter(self.field, "exists")

    def missing(self) -> Filter:
        """The person does not have the attribute."""
        return Not(self.exists())

    def is_in(self, values: Iterable[Any]) -> Filter:
        """The attribute equals one of ``values``."""
        parts = tuple(self.eq(v) for v in values)
        if not parts:
            raise ValidationError(f"{self.field}: is_in() needs at least one value", field=self.field, limit=1,
                                  actual=0)
        return parts[0] if len(parts) == 1 else Or(parts)

    def __eq__(self, value: object) -> Filter:  # type: ignore[override]
        return self.eq(value)

    def __ne__(self, value: object) -> Filter:  # type: ignore[override]
        return self.ne(value)

    def __repr__(self) -> str:
        return f"attr({self.field!r})"


class ObjectAttr(Attr):
    """An object attribute of one object type: ``object_attr("plan", type_id=1) == "pro"``."""

    def __init__(self, field: str, *, type_id: str | int) -> None:
        super().__init__(field)
        self.type_id = str(type_id)

    def eq(self, value: Any) -> Filter:
        """The attribute equals ``value`` (compared as a string)."""
        return ObjectAttributeFilter(self.field, "eq", self.type_id, _as_value(value, self.field))

    def exists(self) -> Filter:
        """The object has the attribute."""
        return ObjectAttributeFilter(self.field, "exists", self.type_id)

    def __repr__(self) -> str:
        return f"object_attr({self.field!r}, type_id={self.type_id!r})"


def attr(field: str) -> Attr:
    """A person attribute to compare: ``attr("plan") == "pro"``."""
    return Attr(field)


def object_attr(field: str, *, type_id: str | int) -> ObjectAttr:
    """An object attribute to compare (for ``objects.search``)."""
    return ObjectAttr(field, type_id=type_id)


def segment(id: int) -> Filter:
    """People in segment ``id``."""
    if isinstance(id, bool) or not isinstance(id, int):
        raise ValidationError(f"segment: id must be an integer, got {id!r}", field="segment.id", limit="integer")
    return SegmentFilter(id)


def all_of(*filters: Filter) -> Filter:
    """Every one of ``filters`` holds (``a & b & ...``)."""
    if not filters:
        raise ValidationError("and: needs at least one condition", field="and", limit=1, actual=0)
    return filters[0] if len(filters) == 1 else And(tuple(_flatten(And, filters)))


def any_of(*filters: Filter) -> Filter:
    """At least one of ``filters`` holds (``a | b | ...``)."""
    if not filters:
        raise ValidationError("or: needs at least one condition", field="or", limit=1, actual=0)
    return filters[0] if len(filters) == 1 else Or(tuple(_flatten(Or, filters)))
