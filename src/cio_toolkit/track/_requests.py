"""Pure request building and response parsing for every Track API operation (no I/O).

The sync and async clients call these and only do the sending, so the two cannot drift apart.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .. import _constants as C
from .._exceptions import APIError, ValidationError
from .._paths import path_segment
from .._transport import RequestSpec, Response
from .._types import UNSET, Unset
from .._wire import Frame, Packer, call_limit, partial_errors
from ._checks import (
    V1_UNCOUNTED,
    Issue,
    IssueList,
    check_attribute_count,
    check_attributes,
    check_event,
    check_id,
    raise_first,
    unix_seconds,
)
from ._ulid import event_id_for, is_ulid, new_event_id
from .v2 import PERSON_IDENTIFIERS, _one_of, _relationships, device_attributes, is_idempotent, normalize_item

__all__ = [
    "BatchResult",
    "ItemError",
    "Region",
    "person_path",
]

EVENT_TYPES = ("event", "page", "screen")
EMAIL_METRICS = ("bounced", "clicked", "converted", "deferred", "delivered", "dropped", "opened", "spammed")
PUSH_EVENTS = ("opened", "converted", "delivered")
SEGMENT_ID_TYPES = ("id", "email", "cio_id")
SEGMENT_MAX_IDS = 1000  # the spec's maxItems for add_customers / remove_customers
CIO_ID_PREFIX = "cio_"


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Region:
    """Answer of ``getRegion``: the Track URL and region of the credentials, and the workspace id."""

    url: str
    region: str
    environment_id: int | None


@dataclass(frozen=True)
class ItemError:
    """One batch item that was not accepted: its index in your input, the field, why, and who said so."""

    index: int
    field: str | None
    reason: str
    message: str
    source: Literal["client", "api"]


@dataclass
class BatchResult:
    """What a v2 batch delivered: counts, requests used, and every item error (client checks and API answers)."""

    total: int = 0
    sent: int = 0
    requests: int = 0
    bytes_sent: int = 0
    errors: list[ItemError] = field(default_factory=list)

    @property
    def delivered(self) -> int:
        """Items the API accepted: sent minus those it reported as failed."""
        return self.sent - sum(1 for e in self.errors if e.source == "api")

    @property
    def ok(self) -> bool:
        """True when every item was delivered."""
        return not self.errors

    @property
    def failed_indexes(self) -> list[int]:
        """Input positions of the items that were not delivered, sorted."""
        return sorted({e.index for e in self.errors})

    def raise_for_errors(self) -> None:
        """Raise ValidationError describing the first failed items, if any."""
        if self.errors:
            first = self.errors[0]
            more = f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
            raise ValidationError(
                f"batch item {first.index}: {first.field or 'item'}: {first.message}{more}",
                field=f"batch[{first.index}].{first.field}" if first.field else f"batch[{first.index}]",
            )

    def errors_frame(self) -> Any:
        """The item errors as a pandas DataFrame (index, field, reason, message, source)."""
        import pandas as pd

        cols = ["index", "field", "reason", "message", "source"]
        return pd.DataFrame([[getattr(e, c) for c in cols] for e in self.errors], columns=cols)

    def __repr__(self) -> str:
        return (
            f"BatchResult(total={self.total}, delivered={self.delivered}, failed={len(self.failed_indexes)}, "
            f"requests={self.requests}, bytes_sent={self.bytes_sent})"
        )


# ---------------------------------------------------------------- identifiers


def person_path(
    *, id: str | int | None = None, email: str | None = None, cio_id: str | None = None, field: str = "identifier"
) -> str:
    """The ``{identifier}`` segment for exactly one of id, email or cio_id (``cio_`` prefixed), percent-encoded."""
    given = [(k, v) for k, v in (("id", id), ("email", email), ("cio_id", cio_id)) if v is not None]
    if len(given) != 1:
        names = ", ".join(k for k, _ in given) or "none"
        raise ValidationError(
            f"{field}: pass exactly one of id, email or cio_id (got {names})", field=field, limit="one identifier"
        )
    kind, value = given[0]
    issues: IssueList = []
    text = check_id(value, kind, issues, limit=C.TRACK_MAX_ID_BYTES if kind == "id" else 10_000, what=kind)
    raise_first(issues)
    assert text is not None
    if kind == "cio_id" and not text.startswith(CIO_ID_PREFIX):
        text = CIO_ID_PREFIX + text
    return path_segment(text, kind)


def _ref(value: Any, field: str) -> dict[str, str]:
    issues: IssueList = []
    out = _one_of(value, field, PERSON_IDENTIFIERS, issues)
    raise_first(issues)
    assert out is not None
    return out


# ---------------------------------------------------------------- v1 customers


def identify_spec(
    *,
    id: str | int | None,
    email: str | None,
    cio_id: str | None,
    attributes: Mapping[str, Any] | None,
    anonymous_id: str | Unset | None,
    created_at: Any,
    update: bool | Unset,
    timestamp: Any,
    unsubscribed: bool | Unset,
    cio_relationships: Mapping[str, Any] | None,
    cio_subscription_preferences: Mapping[str, Any] | None,
) -> RequestSpec:
    """PUT /api/v1/customers/{identifier}: the path uses cio_id, else id, else email; other identifiers go in the body."""
    if cio_id is not None:
        path = person_path(cio_id=cio_id)
    elif id is not None:
        path = person_path(id=id)
    else:
        path = person_path(email=email)
    issues: IssueList = []
    body: dict[str, Any] = check_attributes(attributes, "attributes", issues, v1=True, count=False)
    for key in ("id", "email", "cio_id", "cio_relationships", "cio_subscription_preferences", "_update", "_timestamp"):
        if key in body:
            issues.append(Issue(f"attributes.{key}", "invalid", f"pass {key.lstrip('_')} as its own argument"))
    if cio_id is not None and id is not None:
        body["id"] = check_id(id, "id", issues, what="id")
    if email is not None and (cio_id is not None or id is not None):
        body["email"] = str(email)
    if anonymous_id is not UNSET:
        body["anonymous_id"] = "" if anonymous_id is None else str(anonymous_id)
    if created_at is not None:
        body["created_at"] = unix_seconds(created_at, "created_at")
    if timestamp is not None:
        body["_timestamp"] = unix_seconds(timestamp, "timestamp")
    if update is not UNSET:
        body["_update"] = bool(update)
    if unsubscribed is not UNSET:
        body["unsubscribed"] = bool(unsubscribed)
    if cio_relationships is not None:
        if not isinstance(cio_relationships, Mapping):
            raise ValidationError("cio_relationships: must be {'action': ..., 'relationships': [...]}",
                                  field="cio_relationships")
        action = cio_relationships.get("action", "add_relationships")
        if action not in ("add_relationships", "delete_relationships"):
            issues.append(Issue("cio_relationships.action", "invalid",
                                "must be 'add_relationships' or 'delete_relationships'"))
        rels = _relationships(cio_relationships.get("relationships"), "cio_relationships.relationships", issues,
                              to="object", required=True)
        body["cio_relationships"] = {"action": action, "relationships": rels}
    if cio_subscription_preferences is not None:
        body["cio_subscription_preferences"] = dict(cio_subscription_preferences)
    # Counted on the final body, as the API counts it (created_at and unsubscribed are attributes too).
    check_attribute_count(sum(1 for k in body if k not in V1_UNCOUNTED), "attributes", issues)
    raise_first(issues)
    return RequestSpec("PUT", f"/api/v1/customers/{path}", operation_id="identify", json=body, idempotent=True)


def delete_spec(*, id: str | int | None, email: str | None, cio_id: str | None) -> RequestSpec:
    """DELETE /api/v1/customers/{identifier}."""
    return RequestSpec("DELETE", f"/api/v1/customers/{person_path(id=id, email=email, cio_id=cio_id)}",
                       operation_id="delete")


def suppress_spec(*, id: str | int | None, email: str | None, cio_id: str | None, unsuppress: bool) -> RequestSpec:
    """POST /api/v1/customers/{identifier}/suppress (or /unsuppress); both are safe to repeat."""
    op = "unsuppress" if unsuppress else "suppress"
    return RequestSpec("POST", f"/api/v1/customers/{person_path(id=id, email=email, cio_id=cio_id)}/{op}",
                       operation_id=op, idempotent=True)


def add_device_spec(
    *, id: str | int | None, email: str | None, cio_id: str | None, device_id: str, platform: str,
    last_used: Any, attributes: Mapping[str, Any] | None,
) -> RequestSpec:
    """PUT /api/v1/customers/{identifier}/devices."""
    path = person_path(id=id, email=email, cio_id=cio_id)
    issues: IssueList = []
    token = check_id(device_id, "device_id", issues, limit=10_000, what="device_id")
    if platform not in ("ios", "android"):
        issues.append(Issue("platform", "invalid", f"must be 'ios' or 'android', got {platform!r:.40}"))
    device: dict[str, Any] = {"id": token, "platform": platform}
    if last_used is not None:
        device["last_used"] = unix_seconds(last_used, "last_used")
    if attributes is not None:
        device["attributes"] = device_attributes(attributes, "attributes", issues)
    raise_first(issues)
    return RequestSpec("PUT", f"/api/v1/customers/{path}/devices", operation_id="add_device",
                       json={"device": device}, idempotent=True)


def delete_device_spec(*, id: str | int | None, email: str | None, cio_id: str | None, device_id: str) -> RequestSpec:
    """DELETE /api/v1/customers/{identifier}/devices/{device_id}."""
    path = person_path(id=id, email=email, cio_id=cio_id)
    issues: IssueList = []
    token = check_id(device_id, "device_id", issues, limit=10_000, what="device_id")
    raise_first(issues)
    assert token is not None
    return RequestSpec("DELETE", f"/api/v1/customers/{path}/devices/{path_segment(token, 'device_id')}",
                       operation_id="delete_device")


def merge_spec(*, primary: Mapping[str, Any], secondary: Mapping[str, Any]) -> RequestSpec:
    """POST /api/v1/merge_customers; repeating it is harmless (the secondary no longer exists)."""
    body = {"primary": _ref(primary, "primary"), "secondary": _ref(secondary, "secondary")}
    if body["primary"] == body["secondary"]:
        raise ValidationError("secondary: cannot merge a person into themselves", field="secondary")
    return RequestSpec("POST", "/api/v1/merge_customers", operation_id="merge", json=body, idempotent=True)


def unsubscribe_spec(*, delivery_id: str, unsubscribe: bool) -> RequestSpec:
    """POST /unsubscribe/{delivery_id}: the unsubscribe link of one message."""
    issues: IssueList = []
    text = check_id(delivery_id, "delivery_id", issues, limit=10_000, what="delivery_id")
    raise_first(issues)
    assert text is not None
    return RequestSpec("POST", f"/unsubscribe/{path_segment(text, 'delivery_id')}",
                       operation_id="unsubscribe", json={"unsubscribe": bool(unsubscribe)}, idempotent=True)


# ---------------------------------------------------------------- v1 events


def _event_body(
    *, name: str, data: Mapping[str, Any] | None, timestamp: Any, type: str, event_id: str | None,
    idempotency_key: str | None,
) -> dict[str, Any]:
    issues: IssueList = []
    check_event(name, data, issues)
    if type not in EVENT_TYPES:
        issues.append(Issue("type", "invalid", f"must be one of {EVENT_TYPES}, got {type!r:.40}"))
    if event_id is None:
        event_id = event_id_for(idempotency_key) if idempotency_key is not None else new_event_id()
    elif not is_ulid(event_id):
        issues.append(Issue("event_id", "invalid", f"must be a ULID (26 characters, Crockford base32), got {event_id!r:.40}"))
    raise_first(issues)
    body: dict[str, Any] = {"name": name, "id": event_id}
    if type != "event":
        body["type"] = type
    if data is not None:
        body["data"] = dict(data)
    if timestamp is not None:
        body["timestamp"] = unix_seconds(timestamp, "timestamp")
    return body


def track_spec(
    *, id: str | int | None, email: str | None, cio_id: str | None, name: str, data: Mapping[str, Any] | None,
    timestamp: Any, type: str, anonymous_id: str | None, event_id: str | None, idempotency_key: str | None,
) -> RequestSpec:
    """POST /api/v1/customers/{identifier}/events; the event ``id`` (ULID) makes re-sends deduplicate."""
    path = person_path(id=id, email=email, cio_id=cio_id)
    body = _event_body(name=name, data=data, timestamp=timestamp, type=type, event_id=event_id,
                       idempotency_key=idempotency_key)
    if anonymous_id is not None:
        body["anonymous_id"] = str(anonymous_id)
    elif type == "screen":
        raise ValidationError("anonymous_id: the spec requires it for a person's screen event", field="anonymous_id",
                              limit="required for type='screen'")
    return RequestSpec("POST", f"/api/v1/customers/{path}/events", operation_id="track", json=body, idempotent=True)


def track_anonymous_spec(
    *, anonymous_id: str | None, name: str, data: Mapping[str, Any] | None, timestamp: Any, type: str,
    event_id: str | None, idempotency_key: str | None,
) -> RequestSpec:
    """POST /api/v1/events: an event not (yet) tied to a person."""
    body = _event_body(name=name, data=data, timestamp=timestamp, type=type, event_id=event_id,
                       idempotency_key=idempotency_key)
    if anonymous_id is not None:
        issues: IssueList = []
        body["anonymous_id"] = check_id(anonymous_id, "anonymous_id", issues, limit=10_000, what="anonymous_id")
        raise_first(issues)
    return RequestSpec("POST", "/api/v1/events", operation_id="trackAnonymous", json=body, idempotent=True)


def metrics_spec(
    *, delivery_id: str, metric: str, timestamp: Any, recipient: str | None, reason: str | None, href: str | None
) -> RequestSpec:
    """POST /api/v1/metrics: a delivery metric for a message sent outside Customer.io's own channels."""
    issues: IssueList = []
    text = check_id(delivery_id, "delivery_id", issues, limit=10_000, what="delivery_id")
    if metric not in EMAIL_METRICS:
        issues.append(Issue("metric", "invalid", f"must be one of {EMAIL_METRICS}, got {metric!r:.40}"))
    raise_first(issues)
    body: dict[str, Any] = {"delivery_id": text, "metric": metric}
    if timestamp is not None:
        body["timestamp"] = unix_seconds(timestamp, "timestamp")
    for key, value in (("recipient", recipient), ("reason", reason), ("href", href)):
        if value is not None:
            body[key] = str(value)
    return RequestSpec("POST", "/api/v1/metrics", operation_id="metrics", json=body)


def push_metrics_spec(*, delivery_id: str, event: str, device_id: str, timestamp: Any) -> RequestSpec:
    """POST /api/v1/push/events (deprecated by Customer.io in favour of metrics or a v2 delivery event)."""
    warnings.warn(
        "push_metric uses a deprecated endpoint; prefer events.metric or a v2 delivery_event",
        DeprecationWarning, stacklevel=6,  # the caller of events.push_metric, through the flow and its driver
    )
    issues: IssueList = []
    check_id(delivery_id, "delivery_id", issues, limit=10_000, what="delivery_id")
    check_id(device_id, "device_id", issues, limit=10_000, what="device_id")
    if event not in PUSH_EVENTS:
        issues.append(Issue("event", "invalid", f"must be one of {PUSH_EVENTS}, got {event!r:.40}"))
    raise_first(issues)
    body: dict[str, Any] = {"delivery_id": str(delivery_id), "event": event, "device_id": str(device_id)}
    if timestamp is not None:
        body["timestamp"] = unix_seconds(timestamp, "timestamp")
    return RequestSpec("POST", "/api/v1/push/events", operation_id="pushMetrics", json=body)


# ---------------------------------------------------------------- segments, forms, region


def segment_specs(*, segment_id: int, ids: Iterable[str | int], id_type: str, remove: bool) -> list[RequestSpec]:
    """POST /api/v1/segments/{segment_id}/add_customers (or remove_customers), 1000 ids per request."""
    if isinstance(segment_id, bool) or not isinstance(segment_id, int) or segment_id < 0:
        raise ValidationError(f"segment_id: must be a non-negative integer, got {segment_id!r:.40}", field="segment_id")
    if id_type not in SEGMENT_ID_TYPES:
        raise ValidationError(f"id_type: must be one of {SEGMENT_ID_TYPES}, got {id_type!r:.40}", field="id_type")
    if isinstance(ids, str):
        raise ValidationError("ids: pass a list of identifiers, not one string", field="ids")
    issues: IssueList = []
    clean: list[str] = []
    for i, value in enumerate(ids):
        text = check_id(value, f"ids[{i}]", issues, limit=C.TRACK_MAX_ID_BYTES if id_type == "id" else 10_000,
                        what=id_type)
        if text is not None:
            clean.append(text)
    raise_first(issues)
    if not clean:
        raise ValidationError("ids: at least one identifier is required", field="ids", limit="minItems 1")
    op = "remove_from_segment" if remove else "add_to_segment"
    verb = "remove_customers" if remove else "add_customers"
    return [
        RequestSpec("POST", f"/api/v1/segments/{path_segment(segment_id, 'segment_id')}/{verb}",
                    operation_id=op, params={"id_type": id_type}, json={"ids": clean[i : i + SEGMENT_MAX_IDS]},
                    idempotent=True)
        for i in range(0, len(clean), SEGMENT_MAX_IDS)
    ]


def submit_form_spec(*, form_id: str, data: Mapping[str, Any]) -> RequestSpec:
    """POST /api/v1/forms/{form_id}/submit; ``data`` must hold ``email`` or ``id``, other fields are strings."""
    issues: IssueList = []
    fid = check_id(form_id, "form_id", issues, limit=10_000, what="form_id")
    if not isinstance(data, Mapping):
        raise ValidationError("data: must be a mapping of form fields", field="data")
    if "email" not in data and "id" not in data:
        issues.append(Issue("data.email", "required", "a form submission needs an email or id field"))
    fields: dict[str, Any] = {}
    for key, value in data.items():
        if value is None and key in ("email", "id"):
            fields[key] = None
        elif isinstance(value, bool):
            fields[key] = "true" if value else "false"
        elif isinstance(value, str | int | float):
            fields[key] = str(value)
        else:
            issues.append(Issue(f"data.{key}", "invalid_value", f"form fields are strings, got {type(value).__name__}"))
    raise_first(issues)
    assert fid is not None
    return RequestSpec("POST", f"/api/v1/forms/{path_segment(fid, 'form_id')}/submit",
                       operation_id="submitForm", json={"data": fields})


def region_spec() -> RequestSpec:
    """GET /api/v1/accounts/region."""
    return RequestSpec("GET", "/api/v1/accounts/region", operation_id="getRegion")


def parse_region(response: Response) -> Region:
    """The Region from a getRegion answer."""
    data = response.data if isinstance(response.data, dict) else {}
    env = data.get("environment_id")
    return Region(url=str(data.get("url", "")), region=str(data.get("region", "us")),
                  environment_id=int(env) if isinstance(env, int) else None)


# ---------------------------------------------------------------- v2


def entity_spec(item: Mapping[str, Any]) -> tuple[RequestSpec, dict[str, Any]]:
    """POST /api/v2/entity for one item (checked, at most 32 KB); returns the spec and the wire item."""
    wire, raw, issues = normalize_item(item, limit=call_limit("track"))
    raise_first(issues)
    assert wire is not None and raw is not None
    return RequestSpec("POST", "/api/v2/entity", operation_id="entity", content=raw,
                       idempotent=is_idempotent(wire)), wire


def v2_batch_spec(body: bytes, *, idempotent: bool = True) -> RequestSpec:
    """The request for one /api/v2/batch body (``idempotent`` when no item is a delivery metric)."""
    return RequestSpec("POST", "/api/v2/batch", operation_id="batch", content=body, idempotent=idempotent)


@dataclass
class BatchChunk:
    """One /api/v2/batch request: its body and the input index of each item in it."""

    body: bytes
    indexes: list[int]
    idempotent: bool

    def spec(self) -> RequestSpec:
        """The request for this chunk."""
        return v2_batch_spec(self.body, idempotent=self.idempotent)


def plan_batch(items: Iterable[Any], result: BatchResult, *, max_bytes: int = C.TRACK_V2_MAX_BATCH_BYTES) -> list[BatchChunk]:
    """Check every item, record the invalid ones in ``result``, and pack the rest into requests of at most ``max_bytes``."""
    frames: list[Frame[tuple[int, bool]]] = []
    packer: Packer[tuple[int, bool]] = Packer(max_bytes)
    for index, item in enumerate(items):
        result.total += 1
        wire, raw, issues = normalize_item(item, limit=call_limit("track"))
        if issues or wire is None or raw is None:
            result.errors.extend(ItemError(index, i.field, i.reason, i.message, "client") for i in issues)
            continue
        if (done := packer.add(raw, (index, is_idempotent(wire)))) is not None:
            frames.append(done)
    if (last := packer.flush()) is not None:
        frames.append(last)
    return [BatchChunk(f.body, [i for i, _ in f.payloads], all(ok for _, ok in f.payloads)) for f in frames]


def record_batch_answer(result: BatchResult, chunk: BatchChunk, response: Response) -> None:
    """Add a sent chunk to ``result`` and map the API's per-item errors (207) back to input indexes."""
    result.requests += 1
    result.sent += len(chunk.indexes)
    result.bytes_sent += len(chunk.body)
    for err in partial_errors(response.data):
        pos = err.position
        index = chunk.indexes[pos] if pos is not None and 0 <= pos < len(chunk.indexes) else -1
        result.errors.append(ItemError(
            index, err.field, str(err.reason or "rejected"),
            str(err.message or err.reason or "rejected by the API"), "api",
        ))


def record_batch_rejection(result: BatchResult, chunk: BatchChunk, exc: APIError) -> None:
    """A whole chunk answered 400/413: every item in it is reported, with the API's message."""
    result.requests += 1
    result.sent += len(chunk.indexes)
    result.bytes_sent += len(chunk.body)
    for index in chunk.indexes:
        result.errors.append(ItemError(index, None, f"http_{exc.status}", exc.message, "api"))


def rejects_whole_chunk(exc: APIError) -> bool:
    """Errors about the request's content: report its items and go on with the other chunks."""
    return exc.status in (400, 413, 422)


def check_items(value: Any) -> Iterable[Any]:
    """``value`` as an iterable of items (a single mapping or string is a mistake worth naming)."""
    if isinstance(value, Mapping | str | bytes):
        raise ValidationError(f"items: pass an iterable of items, not a single {type(value).__name__}", field="items")
    return value
