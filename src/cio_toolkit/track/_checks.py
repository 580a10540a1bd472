"""Pure checks of the Track API's documented limits, run before anything is sent.

Limits (``_constants.py``, from the spec's "Track API limits"): a person or object id is at most
150 bytes, an attribute name 150 bytes, an attribute value 1000 bytes, at most 300 attributes per
call, an event name 100 bytes, event data 100,000 bytes, a v2 ``/entity`` request (and each item
of a batch) 32 KB, a v2 ``/batch`` request 500 KB. Sizes are UTF-8 bytes for strings and the
serialized JSON for anything else. The Pipelines client checks its calls' ids, event names and
traits with the same functions (``pipelines._calls.check_call_limits``): each rule is written once.

Attribute values are coerced the way Customer.io reads them: a timezone-aware datetime becomes a
Unix timestamp in seconds (the form segment date conditions compare), ``None`` means "remove this
attribute".
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import _constants as C
from .._exceptions import PayloadTooLargeError, ValidationError
from .._serialize import dumps, to_jsonable, to_timestamp
from .._wire import oversize

__all__ = [
    "Issue",
    "IssueList",
    "byte_len",
    "check_attribute_count",
    "check_attribute_name",
    "check_attribute_value",
    "check_attributes",
    "check_event",
    "check_id",
    "raise_first",
    "unix_seconds",
    "v1_attribute_value",
    "value_size",
]

# Attribute keys that steer the call rather than being stored on the profile.
CONTROL_KEYS = frozenset({"_update", "_timestamp", "cio_subscription_preferences", "cio_relationships"})
# Keys of a v1 identify body that are not counted against the 300-attribute limit.
V1_UNCOUNTED = CONTROL_KEYS | {"id", "email", "anonymous_id"}


@dataclass(frozen=True)
class Issue:
    """One broken rule, reported (a batch result, a rejected row) or raised (:meth:`to_error`).

    ``field`` is where (``attributes.plan``), ``reason`` a short code (``too_long``), ``limit``
    the bound broken and ``actual`` what was found.
    """

    field: str
    reason: str
    message: str
    limit: Any = None
    actual: Any = None

    def to_error(self) -> ValidationError:
        """The exception for this issue (PayloadTooLargeError for size limits of a whole request)."""
        cls = PayloadTooLargeError if self.reason == "request_too_large" else ValidationError
        return cls(f"{self.field}: {self.message}", field=self.field, limit=self.limit, actual=self.actual)


IssueList = list[Issue]


def raise_first(issues: IssueList) -> None:
    """Raise the first issue as an exception; the message mentions how many more there are."""
    if not issues:
        return
    err = issues[0].to_error()
    if len(issues) > 1:
        err.message += f" (and {len(issues) - 1} more problem(s): " + "; ".join(
            f"{i.field}: {i.reason}" for i in issues[1:6]
        ) + ")"
        err.args = (err.message,)
    raise err


def byte_len(text: str) -> int:
    """UTF-8 length of ``text`` in bytes."""
    return len(text.encode("utf-8"))


def value_size(value: Any) -> int:
    """Bytes a value takes: UTF-8 for strings, serialized JSON otherwise."""
    if isinstance(value, str):
        return byte_len(value)
    return len(dumps(value))


def check_id(
    value: Any, field: str, issues: IssueList, *, limit: int = C.TRACK_MAX_ID_BYTES, what: str = "id"
) -> str | None:
    """Check an identifier: a non-empty string (ints are accepted and turned into strings) within ``limit`` bytes."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        issues.append(Issue(field, "invalid", f"{what} must be a non-empty string, got {type(value).__name__}"))
        return None
    text = str(value)
    if not text:
        issues.append(Issue(field, "required", f"{what} must not be empty"))
        return None
    try:
        size = byte_len(text)
    except UnicodeEncodeError:
        issues.append(Issue(field, "invalid", f"{what} is not valid Unicode text (a lone surrogate)"))
        return None
    _at_most(size, limit, field, "too_long", what, issues)
    return text


def _at_most(size: int, limit: int, where: str, reason: str, what: str, issues: IssueList) -> None:
    # The one wording of a size limit, for every field and value below.
    if size > limit:
        issues.append(Issue(where, reason, f"{what} is {size} bytes; the limit is {limit} bytes", limit, size))


def unix_seconds(value: Any, field: str) -> int:
    """A timestamp as whole Unix seconds (aware datetime, ISO 8601 string with offset, or epoch number)."""
    if isinstance(value, bool):
        raise ValidationError(f"{field}: a bool is not a timestamp", field=field, limit="timestamp")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(f"{field}: {value} is not finite", field=field, limit="finite")
        return int(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            raise ValidationError(
                f"{field}: naive datetime {value} has no time zone; attach one so the instant is unambiguous",
                field=field, limit="timezone-aware datetime",
            )
        return int(value.timestamp())
    iso = to_timestamp(value, field=field)
    assert iso is not None
    return int(dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())


def _attribute_value(value: Any, field: str) -> Any:
    if isinstance(value, dt.datetime):
        return unix_seconds(value, field)
    try:
        return to_jsonable(value)
    except ValidationError as exc:
        raise ValidationError(f"{field}: {exc.message}", field=field, limit=exc.limit) from None


def v1_attribute_value(value: Any, field: str) -> str | int | bool:
    """Coerce a value for the v1 identify body, which the spec limits to string, integer or boolean.

    ``None`` (and NaN) become ``""``, the v1 way to remove an attribute; integral floats and
    Decimals become integers; anything else raises naming the field.
    """
    if isinstance(value, decimal.Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    out = _attribute_value(value, field)
    if out is None:
        return ""
    if isinstance(out, bool | int | str):
        return out
    if isinstance(out, float) and out.is_integer():
        return int(out)
    kind = "a number with a fraction" if isinstance(out, float) else f"a {type(out).__name__}"
    raise ValidationError(
        f"{field}: {value!r:.60} is {kind}; the v1 identify call accepts string, integer and boolean values "
        "(send it as a string, or use track.v2.entity, which takes any JSON value)",
        field=field, limit="string, integer or boolean",
    )


def check_attributes(
    attributes: Any,
    field: str,
    issues: IssueList,
    *,
    v1: bool = False,
    exclude: frozenset[str] = CONTROL_KEYS,
    count: bool = True,
) -> dict[str, Any]:
    """Check names, values and count of an attribute mapping; return it coerced for the wire."""
    if attributes is None:
        return {}
    if not isinstance(attributes, Mapping):
        issues.append(Issue(field, "invalid", f"must be a mapping of attribute names to values, got {type(attributes).__name__}"))
        return {}
    out: dict[str, Any] = {}
    counted = 0
    for name, value in attributes.items():
        where = f"{field}.{name}"
        if not isinstance(name, str) or not name:
            issues.append(Issue(f"{field}[{name!r}]", "invalid", "attribute names must be non-empty strings"))
            continue
        if name in exclude:
            out[name] = value
            continue
        counted += 1
        check_attribute_name(name, where, issues)
        try:
            coerced = v1_attribute_value(value, where) if v1 else _attribute_value(value, where)
        except ValidationError as exc:
            issues.append(Issue(where, "invalid_value", exc.message.split(": ", 1)[-1], exc.limit))
            continue
        check_attribute_value(coerced, where, issues)
        out[name] = coerced
    if count:
        check_attribute_count(counted, field, issues)
    return out


def check_attribute_name(name: str, where: str, issues: IssueList) -> None:
    """An attribute name is at most 150 bytes."""
    _at_most(byte_len(name), C.TRACK_MAX_ATTRIBUTE_NAME_BYTES, where, "name_too_long", "the attribute name", issues)


def check_attribute_value(value: Any, where: str, issues: IssueList) -> None:
    """An attribute value, as sent, is at most 1000 bytes (``None`` removes the attribute: no size)."""
    size = 0 if value is None else value_size(value)
    _at_most(size, C.TRACK_MAX_ATTRIBUTE_VALUE_BYTES, where, "value_too_long", "the value", issues)


def check_attribute_count(counted: int, field: str, issues: IssueList) -> None:
    """At most 300 attributes per call."""
    if counted > C.TRACK_MAX_ATTRIBUTES:
        issues.append(Issue(
            field, "too_many_attributes",
            f"{counted} attributes; the limit is {C.TRACK_MAX_ATTRIBUTES} per call",
            C.TRACK_MAX_ATTRIBUTES, counted,
        ))


def check_event(name: Any, data: Any, issues: IssueList, *, name_field: str = "name", data_field: str = "data") -> None:
    """Check an event name (non-empty, at most 100 bytes) and its data (at most 100,000 bytes as JSON)."""
    if not isinstance(name, str) or not name:
        issues.append(Issue(name_field, "required", f"the event name must be a non-empty string, got {name!r:.40}"))
    else:
        _at_most(byte_len(name), C.TRACK_MAX_EVENT_NAME_BYTES, name_field, "name_too_long", "the event name", issues)
    if data is None:
        return
    if not isinstance(data, Mapping):
        issues.append(Issue(data_field, "invalid", f"event data must be a mapping, got {type(data).__name__}"))
        return
    try:
        size = len(dumps(data))
    except ValidationError as exc:
        issues.append(Issue(f"{data_field}.{exc.field}" if exc.field else data_field, "invalid_value", exc.message))
        return
    _at_most(size, C.TRACK_MAX_EVENT_DATA_BYTES, data_field, "data_too_large", "the event data as JSON", issues)


def check_call_size(raw: bytes, limit: int, field: str, what: str, issues: IssueList) -> None:
    """Check one serialized call (a v2 item, alone or in a batch) with the per-call rule of ``_wire``."""
    problem = oversize(len(raw), limit, what)
    if problem is not None:
        issues.append(Issue(field, "request_too_large", problem, limit, len(raw)))
