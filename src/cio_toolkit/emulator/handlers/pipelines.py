"""Data Pipelines API handlers: all 7 operations of pipelines_api.json, stateful, on the shared store.

Behaviour, as the real service documents it:

- every call is applied once per messageId (a re-sent call is acknowledged and ignored, counted
  as ``pipelines_deduplicated``), so retries of a batch never duplicate anything;
- identify merges traits into the person (a null trait removes it); anonymous events already
  stored for the anonymousId move to the person;
- alias merges the profile ``previousId`` (a userId or an anonymousId) into ``userId``: events,
  devices and relationships follow, the kept profile's traits win on conflicts;
- group creates or updates the object ``groupId`` of type ``objectTypeId`` (traits.objectTypeId,
  traits.object_type_id or a top-level objectTypeId; default "1") and the person's relationship,
  with ``relationshipAttributes``;
- track, page and screen are stored as events; semantic events take effect: User Deleted,
  User Suppressed / Unsuppressed (the same suppression list as the Track API), Device Created or
  Updated / Device Deleted, Object Deleted, Relationship Deleted, Report Delivery Event;
- a suppressed identifier's calls are acknowledged and ignored (``pipelines_suppressed_ignored``);
- size limits: the core measures every body once decompressed (the limits are on the JSON) and
  answers one over 32 KB (500 KB for /v1/batch) before these handlers run;
- inside a batch, each item is judged alone: one over 32 KB or not a call the spec allows (alias
  included, as the official SDKs send it) is dropped with 200, counted in ``dropped`` and listed
  at ``/_emulator/dropped``, or in strict mode (``X-Strict-Mode: 1``) named by index in a 400
  answer; the valid items are applied either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson

from cio_toolkit._constants import PIPELINES_MAX_CALL_BYTES

from .._divergences import batch_call_issues
from .._validate import ValidationIssue
from ..models import Store, devices, objects, people, requests
from ..models.clock import now
from ..registry import EmulatorHTTPError, RequestContext, handler

__all__: list[str] = []

_EVENT_TYPES = ("track", "page", "screen")


def _store(ctx: RequestContext) -> Store:
    requests.ensure(ctx.store)
    return people.ensure(ctx.store)  # the workspace's suppressions, shared with the Track API



def _count(ctx: RequestContext, name: str) -> None:
    ctx.store.counters[name] += 1


def _timestamp(ctx: RequestContext, value: Any) -> float:
    """Epoch seconds of an ISO 8601 timestamp; the emulator's now when absent or unreadable."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return now(ctx.store)
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=datetime.now().astimezone().tzinfo).timestamp()
        return parsed.timestamp()
    return now(ctx.store)


def _text(value: Any) -> str | None:
    if value is None or value == "" or isinstance(value, dict | list | bool):
        return None
    return str(value)


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _kind(identifier: str) -> str:
    # Semantic privacy events accept "the user's unique identifier or their email address".
    return "email" if "@" in identifier else "id"


def _drop(ctx: RequestContext, call: Any, errors: list[str]) -> None:
    """Record a call that is acknowledged but not applied (listed at /_emulator/dropped)."""
    ctx.state.count("dropped")
    ctx.state.dropped.append({
        "time": datetime.now().astimezone().isoformat(timespec="milliseconds"),
        "operationId": ctx.operation_id,
        "messageId": _obj(call).get("messageId"),
        "type": _obj(call).get("type"),
        "errors": errors,
    })


# ---------------------------------------------------------------- people


def _person(ctx: RequestContext, user_id: str | None, anonymous_id: str | None, *,
            create: bool) -> dict[str, Any] | None:
    """The person a call is about: by userId (created when new and ``create``), else by anonymousId.

    Activity under an anonymousId alone creates no profile: Customer.io keeps it as anonymous
    activity and attaches it when an identify (or alias) names the anonymousId.
    """
    store = ctx.store
    if user_id is not None:
        person = people.find(store, "id", user_id)
        if person is None and create:
            person = _upsert(store, user_id, anonymous_id, {}, claim_events=False)
        return person
    if anonymous_id is not None:
        return store.find_person(anonymous_id=anonymous_id)
    return None


def _identify(ctx: RequestContext, call: dict[str, Any]) -> None:
    user_id, anonymous_id = _text(call.get("userId")), _text(call.get("anonymousId"))
    traits = _obj(call.get("traits"))
    if user_id is None and anonymous_id is None:
        raise _Skip("userId or anonymousId is required")
    _upsert(ctx.store, user_id, anonymous_id, traits, claim_events=True)


def _upsert(store: Store, user_id: str | None, anonymous_id: str | None, traits: Mapping[str, Any], *,
            claim_events: bool) -> dict[str, Any]:
    # The Pipelines API's rules: only a null trait removes one ("" is a value), email is a trait,
    # an id never replaces another, the profile is found by userId, then anonymousId.
    return people.upsert_person(
        store, person=people.LOOKUP, id=user_id, anonymous_id=anonymous_id, attributes=traits,
        empty_removes=False, email_is_identifier=False, claim_events=claim_events,
    )


def _alias(ctx: RequestContext, call: dict[str, Any]) -> None:
    store = ctx.store
    user_id, previous_id = _text(call.get("userId")), _text(call.get("previousId"))
    if user_id is None or previous_id is None:
        raise _Skip("previousId and userId are required")
    previous = people.find(store, "id", previous_id) or store.find_person(anonymous_id=previous_id)
    target = people.find(store, "id", user_id)
    if previous is None:
        _count(ctx, "pipelines_alias_noop")
        if target is not None:
            people.claim_anonymous_events(store, target["pk"], previous_id)
        return
    if target is None:
        # Nobody has the kept id yet: the previous profile takes it (an anonymous profile is promoted).
        people.take_id(store, previous["pk"], user_id)
        people.claim_anonymous_events(store, previous["pk"], previous_id)
        _count(ctx, "pipelines_aliased")
        return
    if target["pk"] == previous["pk"]:
        _count(ctx, "pipelines_alias_noop")
        return
    # The kept profile wins on conflicts; events sent anonymously under previousId follow it too.
    people.merge(store, target, previous, claim_anonymous_id=previous_id)
    _count(ctx, "pipelines_aliased")


# ---------------------------------------------------------------- objects


def _object_type(call: Mapping[str, Any], traits: Mapping[str, Any]) -> str:
    for value in (traits.get("objectTypeId"), traits.get("object_type_id"), call.get("objectTypeId")):
        if value not in (None, "") and not isinstance(value, bool | dict | list):
            return str(value)
    return "1"


def _group(ctx: RequestContext, call: dict[str, Any]) -> None:
    store = ctx.store
    group_id = _text(call.get("groupId"))
    if group_id is None:
        raise _Skip("groupId is required")
    traits = _obj(call.get("traits"))
    type_id = _object_type(call, traits)
    attributes = {k: v for k, v in traits.items()
                  if k not in ("objectTypeId", "object_type_id", "relationshipAttributes")}
    current = objects.object_attributes(store, type_id, group_id) or {}
    objects.put_object(store, type_id, group_id, people.merge_attributes(current, attributes, empty_removes=False))
    person = _person(ctx, _text(call.get("userId")), _text(call.get("anonymousId")), create=True)
    if person is None:
        return
    rel = _obj(traits.get("relationshipAttributes"))
    current_rel = objects.relationship_attributes(store, person["pk"], type_id, group_id)
    objects.relate(store, person["pk"], type_id, group_id,
                   people.merge_attributes(current_rel, rel, empty_removes=False))


def _delete_object(store: Store, props: Mapping[str, Any]) -> None:
    object_id = _text(props.get("objectId"))
    if object_id is None:
        raise _Skip("properties.objectId is required")
    type_id = _text(props.get("objectTypeId")) or "1"
    objects.delete_object(store, type_id, object_id)


# ---------------------------------------------------------------- events


class _Skip(Exception):
    """A call that cannot be applied (only reachable when validation is off): dropped and counted."""


_NO_CREATE = frozenset({"User Deleted", "User Suppressed", "User Unsuppressed", "Relationship Deleted",
                        "Object Deleted", "Device Deleted"})


def _event(ctx: RequestContext, call: dict[str, Any]) -> None:
    store = ctx.store
    type_ = call["type"]
    user_id, anonymous_id = _text(call.get("userId")), _text(call.get("anonymousId"))
    name = _text(call.get("event")) if type_ == "track" else _text(call.get("name"))
    if type_ == "track" and name is None:
        raise _Skip("event is required")
    name = name.strip() if name else name  # the API trims event names
    props = _obj(call.get("properties"))
    person = _person(ctx, user_id, anonymous_id, create=name not in _NO_CREATE)
    stored = store.add_event(
        type=type_, name=name, person_pk=person["pk"] if person else None, anonymous_id=anonymous_id,
        properties=props, context=_obj(call.get("context")), timestamp=_timestamp(ctx, call.get("timestamp")),
        message_id=_text(call.get("messageId")), api=ctx.api,
    )
    if stored and type_ == "track" and name is not None:
        _semantic(ctx, name, call, person, props)


def _semantic(ctx: RequestContext, name: str, call: dict[str, Any], person: dict[str, Any] | None,
              props: Mapping[str, Any]) -> None:
    store = ctx.store
    user_id = _text(call.get("userId"))
    if name == "User Deleted" and user_id is not None:
        if store.delete_person(**{_kind(user_id): user_id}):
            _count(ctx, "pipelines_people_deleted")
    elif name == "User Suppressed" and user_id is not None:
        people.suppress(store, _kind(user_id), user_id)
    elif name == "User Unsuppressed" and user_id is not None:
        people.unsuppress(store, _kind(user_id), user_id)
    elif name in ("Device Created or Updated", "Device Deleted") and person is not None:
        device = _obj(_obj(call.get("context")).get("device"))
        token = _text(device.get("token"))
        if token is None:
            raise _Skip("context.device.token is required")
        if name == "Device Deleted":
            devices.delete_device(store, person["pk"], token)
            return
        devices.put_device(
            store, person["pk"], token, platform=_text(device.get("type")),
            last_used=_timestamp(ctx, call.get("timestamp")),
            attributes={**devices.device_attributes(store, person["pk"], token), **props}, keep_platform=True,
        )
    elif name == "Object Deleted":
        _delete_object(store, props)
    elif name == "Relationship Deleted" and user_id is not None:
        object_id = _text(props.get("objectId"))
        target = people.find(store, _kind(user_id), user_id)
        if object_id is not None and target is not None:
            objects.unrelate(store, target["pk"], _text(props.get("objectTypeId")) or "1", object_id)
    elif name == "Report Delivery Event":
        delivery_id, metric = _text(props.get("deliveryId")), _text(props.get("metric"))
        if delivery_id is not None and metric is not None:
            people.record_metric(store, delivery_id=delivery_id, metric=metric, timestamp=None,
                                 source="pipelines", recipient=props.get("recipient"),
                                 reason=_text(props.get("reason")), href=_text(props.get("href")))


# ---------------------------------------------------------------- dispatch


_APPLY = {"identify": _identify, "alias": _alias, "group": _group, "track": _event, "page": _event,
          "screen": _event}


def _suppressed(ctx: RequestContext, call: Mapping[str, Any]) -> bool:
    if call.get("type") == "track" and call.get("event") == "User Unsuppressed":
        return False
    refs: list[tuple[str, Any]] = []
    for key in ("userId", "previousId"):
        value = _text(call.get(key))
        if value is not None:
            refs.append((_kind(value), value))
    email = _obj(call.get("traits")).get("email")
    if isinstance(email, str):
        refs.append(("email", email))
    return people.is_suppressed(ctx.store, *refs)


def _apply(ctx: RequestContext, call: dict[str, Any], index: int | None = None) -> None:
    """Apply one call exactly once per messageId."""
    store = ctx.store
    type_ = str(call.get("type"))
    message_id = _text(call.get("messageId"))
    if message_id is not None and requests.message_seen(store, message_id):
        _count(ctx, "pipelines_deduplicated")
        if type_ in _EVENT_TYPES:
            _count(ctx, "events_deduplicated")
        return
    if _suppressed(ctx, call):
        _count(ctx, "pipelines_suppressed_ignored")
    else:
        try:
            _APPLY[type_](ctx, call)
        except _Skip as why:
            _drop(ctx, call, [f"{'body' if index is None else f'body.batch[{index}]'}: {why}"])
            return
        _count(ctx, f"pipelines_{type_}")
    if message_id is not None:
        requests.remember_message(store, message_id, type_, _text(call.get("userId")), _text(call.get("anonymousId")))


async def single_call(ctx: RequestContext) -> dict[str, Any]:
    """One call whose type is the endpoint's: identify (create or update the person by userId or
    anonymousId; traits merge, a null trait is removed), track (store the event once per messageId
    and apply semantic events), page and screen (stored as events of that type), group (an object
    and the person's relationship to it), alias (merge the profile previousId into userId)."""
    _store(ctx)
    body = ctx.body if isinstance(ctx.body, dict) else {}
    call = {**body, "type": ctx.operation_id}  # the endpoint decides the type
    _apply(ctx, call)
    return {}


for _type in ("identify", "track", "page", "screen", "group", "alias"):
    handler("pipelines_api", _type)(single_call)


def _item_issues(ctx: RequestContext, index: int, item: Any) -> list[ValidationIssue]:
    """Why batch item ``index`` cannot be applied (empty: it can): over 32 KB, or not a call the spec allows.

    Items are checked one by one (see ``_divergences``), so a bad item never takes its valid
    neighbours with it; with validation off (``strict=False``) only the size and a known type count.
    """
    where = f"body.batch[{index}]"
    size = len(orjson.dumps(item))
    if size > PIPELINES_MAX_CALL_BYTES:
        return [ValidationIssue(where, f"is {size} bytes; the limit is {PIPELINES_MAX_CALL_BYTES} bytes per call")]
    issues = batch_call_issues(item, where) if ctx.config.strict else []
    if not issues and isinstance(item, dict) and str(item.get("type")) not in _APPLY:  # as _apply reads it
        # The spec leaves an item's type optional, but it says what the call is; the SDKs always send it.
        issues = [ValidationIssue(f"{where}.type", f"is required: one of {', '.join(_APPLY)}")]
    return issues


def _refused(issues: list[ValidationIssue]) -> EmulatorHTTPError:
    """The strict-mode answer naming every refused item by its field (``body.batch[i]...``)."""
    return EmulatorHTTPError(400, f"{len(issues)} batch item(s) refused", issues=issues)


@handler("pipelines_api", "batch")
async def batch(ctx: RequestContext) -> dict[str, Any] | tuple[int, dict[str, Any]]:
    """Apply each valid item in order; batch context and integrations apply to every item.

    An invalid item (over 32 KB, or not a call the spec allows) is skipped alone: dropped and
    listed at /_emulator/dropped, or with ``X-Strict-Mode: 1`` named in a 400 answer, while the
    valid items are applied either way.
    """
    _store(ctx)
    body = ctx.body if isinstance(ctx.body, dict) else {}
    items = batch_items(ctx)
    shared_context, shared_integrations = _obj(body.get("context")), _obj(body.get("integrations"))
    issues = _batch_issues(ctx, items)
    for index, item in enumerate(items):
        if index in issues:
            if not ctx.strict:
                _drop(ctx, item, [str(i) for i in issues[index]])
            continue
        if not isinstance(item, dict):
            continue  # only reachable with validation off
        call = dict(item)
        if shared_context:
            call["context"] = {**shared_context, **_obj(item.get("context"))}
        if shared_integrations:
            call["integrations"] = {**shared_integrations, **_obj(item.get("integrations"))}
        _apply(ctx, call, index)
    refuse_items(ctx, issues)
    return {}


def _batch_issues(ctx: RequestContext, items: list[Any]) -> dict[int, list[ValidationIssue]]:
    """Why each refused batch item cannot be applied, by index (see :func:`_item_issues`)."""
    return {index: found for index, item in enumerate(items) if (found := _item_issues(ctx, index, item))}


def batch_items(ctx: RequestContext) -> list[Any]:
    """The ``batch`` list of a /v1/batch body (empty when there is none)."""
    body = ctx.body if isinstance(ctx.body, dict) else {}
    raw_items = body.get("batch")
    return raw_items if isinstance(raw_items, list) else []


def refuse_items(ctx: RequestContext, issues: dict[int, list[ValidationIssue]]) -> None:
    """Name the refused items in the request log, and in strict mode answer 400 naming each by its field."""
    refused = [issue for found in issues.values() for issue in found]
    ctx.validation_errors.extend(str(i) for i in refused)
    if refused and ctx.strict:
        raise _refused(refused)


def check_batch(ctx: RequestContext) -> None:
    """The synchronous part of /v1/batch (the production profile's precheck): the refusals, at once."""
    refuse_items(ctx, _batch_issues(ctx, batch_items(ctx)))
