"""Public call builders: one function per call type, returning the JSON body to send or batch.

Every builder gives the call a messageId: random by default, derived from ``idempotency_key``
when given (so a re-run sends the same id and Customer.io deduplicates it), or ``message_id``
verbatim. The clients' methods, :meth:`PipelinesClient.batch` and :class:`Sender` all take
these bodies::

    from cio_toolkit.pipelines import calls
    cio.pipelines.batch([calls.identify(user_id="u1", traits={"plan": "pro"}),
                         calls.track(user_id="u1", event="Upgraded")])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict, Unpack

from .._exceptions import ValidationError
from .._options import with_options
from .._types import UNSET, Unset
from ._calls import build_call, preset

__all__ = [
    "CallOptions", "ContextOptions", "StampOptions", "alias", "group", "identify", "object_type_id_of", "page",
    "screen", "track",
]


class StampOptions(TypedDict, total=False):
    """What every call takes: when it happened, and its messageId (given, or derived from ``idempotency_key``)."""

    timestamp: Any
    message_id: str | None
    idempotency_key: str | None


class ContextOptions(StampOptions, total=False):
    """:class:`StampOptions` and the call's ``context`` and ``integrations`` objects."""

    context: Mapping[str, Any] | None
    integrations: Mapping[str, Any] | None


class CallOptions(ContextOptions, total=False):
    """:class:`ContextOptions` and the spec's other two timestamps: what every builder here takes."""

    original_timestamp: Any
    sent_at: Any


def _optional_mapping(name: str, value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    if type(value) is not dict and not isinstance(value, Mapping):  # the exact type first: an ABC check is slow
        raise ValidationError(f"{name}: must be a mapping, got {type(value).__name__}", field=name)
    return dict(value)


def _name(field: str, value: Any, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{field}: must be a non-empty string, got {value!r}", field=field)
    return value


def object_type_id_of(value: Any, *, field: str = "object_type_id") -> str:
    """An object type id as the API wants it: a stringified positive integer ("1", "2", ...)."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not text.isdigit() or int(text) < 1:
        raise ValidationError(
            f"{field}: object type ids are positive integers (or their strings), got {value!r}",
            field=field, limit="positive integer",
        )
    return str(int(text))


@with_options(CallOptions)
def identify(
    *,
    user_id: str | Unset | None = UNSET,
    anonymous_id: str | Unset | None = UNSET,
    traits: Mapping[str, Any] | None = None,
    **options: Unpack[CallOptions],
) -> dict[str, Any]:
    """An identify call: create or update a person; a None trait removes that trait."""
    return build_call("identify", user_id=user_id, anonymous_id=anonymous_id,
                      traits=_optional_mapping("traits", traits), **options)


@with_options(CallOptions)
def track(
    *,
    event: str,
    user_id: str | Unset | None = UNSET,
    anonymous_id: str | Unset | None = UNSET,
    properties: Mapping[str, Any] | None = None,
    group_id: str | None = None,
    **options: Unpack[CallOptions],
) -> dict[str, Any]:
    """A track call: an event a person (or an anonymous visitor) performed."""
    return build_call(
        "track", user_id=user_id, anonymous_id=anonymous_id, event=_name("event", event, required=True),
        properties=_optional_mapping("properties", properties),
        groupId=None if group_id is None else str(group_id), **options,
    )


def _view(
    type_: str,
    /,
    *,
    name: str | None = None,
    user_id: str | Unset | None = UNSET,
    anonymous_id: str | Unset | None = UNSET,
    properties: Mapping[str, Any] | None = None,
    **options: Unpack[CallOptions],
) -> dict[str, Any]:
    return build_call(
        type_, user_id=user_id, anonymous_id=anonymous_id, name=_name("name", name, required=False),
        properties=_optional_mapping("properties", properties), **options,
    )


page = preset(_view, "page", "page", "A page call: a web page view (properties such as url, title, referrer, path, search).",
              options=CallOptions)
screen = preset(_view, "screen", "screen", "A screen call: a mobile app screen view.", options=CallOptions)


@with_options(CallOptions)
def group(
    *,
    group_id: str,
    user_id: str | Unset | None = UNSET,
    anonymous_id: str | Unset | None = UNSET,
    traits: Mapping[str, Any] | None = None,
    object_type_id: str | int | None = None,
    relationship_attributes: Mapping[str, Any] | None = None,
    **options: Unpack[CallOptions],
) -> dict[str, Any]:
    """A group call: create or update object ``group_id`` (type ``object_type_id``, default 1) and relate the person."""
    group_traits = _optional_mapping("traits", traits) or {}
    if object_type_id is not None:
        # The spec documents traits.object_type_id; its code samples (and the libraries) send objectTypeId.
        group_traits["objectTypeId"] = object_type_id_of(object_type_id)
    if relationship_attributes is not None:
        group_traits["relationshipAttributes"] = _optional_mapping("relationship_attributes", relationship_attributes)
    gid = group_id if isinstance(group_id, str) else None
    if gid is None and isinstance(group_id, int) and not isinstance(group_id, bool):
        gid = str(group_id)
    return build_call("group", user_id=user_id, anonymous_id=anonymous_id,
                      groupId=_name("group_id", gid, required=True), traits=group_traits or None, **options)


@with_options(CallOptions)
def alias(*, previous_id: str, user_id: str, **options: Unpack[CallOptions]) -> dict[str, Any]:
    """An alias call: merge the profile known as ``previous_id`` into ``user_id``."""
    if isinstance(previous_id, bool) or not isinstance(previous_id, str | int) or str(previous_id) == "":
        raise ValidationError(f"previous_id: must be a non-empty string, got {previous_id!r}", field="previous_id")
    if str(previous_id) == str(user_id):
        raise ValidationError("previous_id: must differ from user_id", field="previous_id")
    return build_call("alias", user_id=user_id, previousId=str(previous_id), **options)
