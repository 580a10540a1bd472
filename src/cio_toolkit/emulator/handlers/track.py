"""Track API handlers: all 18 operations of track_api.json, on the store every API shares.

A person identified here is the same ``people`` row the Pipelines handlers write and the App API
reads (identifiers id, email, cio_id). Behaviour follows the Track API's documentation:

- the path ``{identifier}`` is a cio_id when prefixed ``cio_``, an email when it contains ``@``
  (matched case-insensitively, then as an id), otherwise an id;
- identify creates or updates; ``""`` or ``null`` removes an attribute; ``_update: true`` never
  creates; ``_timestamp`` older than the last applied one is ignored; a cio_id that matches
  nobody is dropped (200, counted as ``track_dropped``), as the real API drops it;
- suppress deletes the person and blocks their id and email until unsuppressed; requests about
  a blocked identifier answer 200 and are dropped (``track_suppressed_ignored``);
- unsubscribe (``/unsubscribe/{delivery_id}``) is recorded; when the delivery is one the App API
  emulator sent, its person's ``unsubscribed`` attribute becomes true and the delivery gets its
  ``unsubscribed`` metric (both reach reporting webhooks); unknown delivery ids are only recorded;
- merge moves the secondary's events, devices, relationships and segment memberships to the
  primary, fills attributes the primary lacks, and deletes the secondary;
- the suppression list, reported delivery metrics and profile merges are the workspace-wide
  operations of :mod:`cio_toolkit.emulator._people`, which the Pipelines handlers use too;
- manual segments must exist (404 otherwise, like the real API) and be manual;
- documented limits answer 400 naming the field; in a v2 batch, an item over a limit is
  answered in a 207 ``errors`` list with its ``batch_index`` and the other items are applied.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from cio_toolkit import _constants as C
from cio_toolkit.track._checks import V1_UNCOUNTED, Issue, check_attributes, check_event, check_id
from cio_toolkit.track.v2 import normalize_item

from ..models import Store, devices, objects, people, requests, segments
from ..models.clock import now
from ..registry import EmulatorHTTPError, RequestContext, handler
from ..services.deliveries import unsubscribe_delivery

__all__: list[str] = []

_EVENT_TYPES = {"event": "track", "page": "page", "screen": "screen"}


def _store(ctx: RequestContext) -> Store:
    requests.ensure(ctx.store)
    return people.ensure(ctx.store)  # suppressions and metrics are shared with the Pipelines API



def _bad(issues: list[Issue]) -> None:
    if issues:
        first = issues[0]
        raise EmulatorHTTPError(400, first.message, field=first.field)


def _body(ctx: RequestContext) -> dict[str, Any]:
    return ctx.body if isinstance(ctx.body, dict) else {}


def _count(ctx: RequestContext, name: str) -> None:
    ctx.store.counters[name] += 1


# ---------------------------------------------------------------- people


def _ref_of_path(raw: str) -> tuple[str, str]:
    if raw.startswith("cio_"):
        return "cio_id", raw[4:]
    if "@" in raw:
        return "email", raw
    return "id", raw


def _find_ref(store: Store, ref: Mapping[str, Any]) -> dict[str, Any] | None:
    for kind in ("cio_id", "id", "email"):
        if ref.get(kind) not in (None, ""):
            return people.find(store, kind, str(ref[kind]))
    return None



def _identify_person(
    ctx: RequestContext,
    kind: str,
    value: str,
    *,
    body_id: str | None = None,
    body_email: str | None = None,
    attributes: Mapping[str, Any] | None = None,
    update_only: bool = False,
    anonymous_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any] | None:
    """Create or update the person at (kind, value); None when the request is dropped."""
    store = _store(ctx)
    if people.is_suppressed(store, (kind, value), ("id", body_id), ("email", body_email)):
        _count(ctx, "track_suppressed_ignored")
        return None
    person = people.find(store, kind, value)
    if person is None and kind == "cio_id":
        _count(ctx, "track_dropped")
        return None
    new_id = value if kind == "id" else body_id
    new_email = value if kind == "email" else body_email
    if person is None:
        # The path matches nobody, but an identifier in the body may: that person gets the path's identifier.
        if body_id is not None:
            person = people.find(store, "id", body_id)
        if person is None and body_email is not None:
            person = people.find(store, "email", body_email)
    if person is None and update_only:
        _count(ctx, "track_dropped")
        return None
    changes = dict(attributes or {})
    if new_email is not None:
        changes["email"] = new_email
    # The Track API's rules: "" removes an attribute, the email is an identifier, a cio_id
    # reference may replace the id, and _timestamp orders updates.
    return people.upsert_person(
        store, person=person, id=new_id, email=new_email, anonymous_id=anonymous_id, attributes=changes,
        empty_removes=True, email_is_identifier=True, replace_id=kind == "cio_id", claim_events=True,
        timestamp=timestamp,
    )


def _person_for_activity(ctx: RequestContext, kind: str, value: str) -> dict[str, Any] | None:
    """The person an event or device is for, created when the id or email is new (cio_id never creates)."""
    store = _store(ctx)
    if people.is_suppressed(store, (kind, value)):
        _count(ctx, "track_suppressed_ignored")
        return None
    person = people.find(store, kind, value)
    if person is None and kind != "cio_id":
        person = _identify_person(ctx, kind, value)
    if person is None:
        _count(ctx, "track_dropped")
    return person


def _relate(store: Store, person_pk: int, ids: Mapping[str, Any], attributes: Any, *, add: bool) -> None:
    type_id, obj_id = objects.object_key(store, ids)
    if type_id is None or obj_id is None:
        return
    if add:
        objects.relate(store, person_pk, type_id, obj_id, attributes if isinstance(attributes, dict) else {})
    else:
        objects.unrelate(store, person_pk, type_id, obj_id)


def _add_event(
    ctx: RequestContext, *, type_: str, name: str, person_pk: int | None, anonymous_id: str | None,
    data: Any, timestamp: Any, event_id: Any,
) -> None:
    ctx.store.add_event(
        type=_EVENT_TYPES.get(type_, "track"), name=name, person_pk=person_pk, anonymous_id=anonymous_id,
        properties=data if isinstance(data, dict) else {},
        timestamp=float(timestamp) if isinstance(timestamp, int | float) and not isinstance(timestamp, bool) else None,
        message_id=str(event_id) if event_id else None, api="track_api",
    )


def _merge(ctx: RequestContext, primary_ref: Mapping[str, Any], secondary_ref: Mapping[str, Any]) -> None:
    store = _store(ctx)
    primary = _find_ref(store, primary_ref)
    if primary is None:
        raise EmulatorHTTPError(400, f"no person matches the primary identifier {dict(primary_ref)}", field="primary")
    secondary = _find_ref(store, secondary_ref)
    if secondary is None or secondary["pk"] == primary["pk"]:
        _count(ctx, "track_merge_noop")  # already merged (a retry) or nothing to merge
        return
    people.merge(store, primary, secondary)
    _count(ctx, "track_merged")


# ---------------------------------------------------------------- limits


def _check_identify_body(kind: str, value: str, body: Mapping[str, Any]) -> dict[str, Any]:
    issues: list[Issue] = []
    if kind == "id":
        check_id(value, "path.identifier", issues)
    if body.get("id") is not None:
        check_id(body["id"], "body.id", issues)
    attributes = {k: v for k, v in body.items() if k not in V1_UNCOUNTED}
    check_attributes(attributes, "body", issues, exclude=frozenset())
    _bad(issues)
    return attributes


def _check_event_body(body: Mapping[str, Any]) -> None:
    issues: list[Issue] = []
    check_event(body.get("name"), body.get("data"), issues, name_field="body.name", data_field="body.data")
    _bad(issues)


# ---------------------------------------------------------------- v1 handlers


@handler("track_api", "identify")
async def identify(ctx: RequestContext) -> dict[str, Any]:
    """Add or update a person by id, email or cio_id."""
    kind, value = _ref_of_path(ctx.path_params["identifier"])
    body = _body(ctx)
    attributes = _check_identify_body(kind, value, body)
    prefs = body.get("cio_subscription_preferences")
    if isinstance(prefs, dict):
        attributes["cio_subscription_preferences"] = prefs
    person = _identify_person(
        ctx, kind, value,
        body_id=str(body["id"]) if body.get("id") not in (None, "") else None,
        body_email=str(body["email"]) if body.get("email") not in (None, "") else None,
        attributes=attributes, update_only=body.get("_update") is True,
        anonymous_id=str(body["anonymous_id"]) if body.get("anonymous_id") else None,
        timestamp=body.get("_timestamp") if isinstance(body.get("_timestamp"), int) else None,
    )
    rels = body.get("cio_relationships")
    if person is not None and isinstance(rels, dict):
        add = rels.get("action", "add_relationships") != "delete_relationships"
        for rel in rels.get("relationships") or []:
            if isinstance(rel, dict) and isinstance(rel.get("identifiers"), dict):
                _relate(ctx.store, person["pk"], rel["identifiers"], rel.get("relationship_attributes"), add=add)
    return {}


@handler("track_api", "delete")
async def delete(ctx: RequestContext) -> dict[str, Any]:
    """Delete a person (200 whether or not they existed)."""
    kind, value = _ref_of_path(ctx.path_params["identifier"])
    store = _store(ctx)
    person = people.find(store, kind, value)
    if person is not None:
        store.delete_person(cio_id=person["cio_id"])
    return {}


@handler("track_api", "add_device")
async def add_device(ctx: RequestContext) -> dict[str, Any]:
    """Add or update a device of a person (created when new)."""
    kind, value = _ref_of_path(ctx.path_params["identifier"])
    device = _body(ctx).get("device") or {}
    person = _person_for_activity(ctx, kind, value)
    if person is not None:
        last_used, attributes = device.get("last_used"), device.get("attributes")
        devices.put_device(
            ctx.store, person["pk"], str(device["id"]), platform=device.get("platform"),
            last_used=float(last_used) if isinstance(last_used, int) else now(ctx.store),
            attributes=attributes if isinstance(attributes, dict) else {},
        )
    return {}


@handler("track_api", "delete_device")
async def delete_device(ctx: RequestContext) -> dict[str, Any]:
    """Remove a device from a person."""
    kind, value = _ref_of_path(ctx.path_params["identifier"])
    person = people.find(_store(ctx), kind, value)
    if person is not None:
        devices.delete_device(ctx.store, person["pk"], ctx.path_params["device_id"])
    return {}


@handler("track_api", "suppress")
async def suppress(ctx: RequestContext) -> dict[str, Any]:
    """Delete the person and block their identifiers."""
    people.suppress(_store(ctx), *_ref_of_path(ctx.path_params["identifier"]))
    return {}


@handler("track_api", "unsuppress")
async def unsuppress(ctx: RequestContext) -> dict[str, Any]:
    """Free a suppressed identifier (and the others suppressed with it)."""
    people.unsuppress(_store(ctx), *_ref_of_path(ctx.path_params["identifier"]))
    return {}


@handler("track_api", "unsubscribe")
async def unsubscribe(ctx: RequestContext) -> dict[str, Any]:
    """Record the unsubscribe of one delivery; a delivery the emulator sent also unsubscribes its person."""
    store = _store(ctx)
    delivery_id = ctx.path_params["delivery_id"]
    flag = _body(ctx).get("unsubscribe", True) is not False
    requests.record_unsubscribe_request(store, delivery_id, flag)
    # Only ``true`` acts: the spec documents no re-subscribe through this endpoint.
    if flag:
        _count(ctx, "track_unsubscribes_attributed" if unsubscribe_delivery(store, delivery_id)
               else "track_unsubscribes_unknown_delivery")
    return {}


@handler("track_api", "track")
async def track(ctx: RequestContext) -> dict[str, Any]:
    """Store a person's event (created when new); a repeated event ``id`` is stored once."""
    kind, value = _ref_of_path(ctx.path_params["identifier"])
    body = _body(ctx)
    _check_event_body(body)
    person = _person_for_activity(ctx, kind, value)
    if person is not None:
        _add_event(ctx, type_=body.get("type", "event"), name=body["name"], person_pk=person["pk"],
                   anonymous_id=body.get("anonymous_id"), data=body.get("data"), timestamp=body.get("timestamp"),
                   event_id=body.get("id"))
    return {}


@handler("track_api", "trackAnonymous")
async def track_anonymous(ctx: RequestContext) -> dict[str, Any]:
    """Store an anonymous event, attached to the person already holding its anonymous_id."""
    body = _body(ctx)
    _check_event_body(body)
    anonymous_id = str(body["anonymous_id"]) if body.get("anonymous_id") else None
    owner = people.find(_store(ctx), "anonymous_id", anonymous_id) if anonymous_id else None
    _add_event(ctx, type_=body.get("type", "event"), name=body["name"], person_pk=owner["pk"] if owner else None,
               anonymous_id=anonymous_id, data=body.get("data"), timestamp=body.get("timestamp"),
               event_id=body.get("id"))
    return {}


@handler("track_api", "merge")
async def merge(ctx: RequestContext) -> dict[str, Any]:
    """Merge the secondary person into the primary."""
    body = _body(ctx)
    _merge(ctx, body["primary"], body["secondary"])
    return {}


@handler("track_api", "metrics")
async def metrics(ctx: RequestContext) -> dict[str, Any]:
    """Record a delivery metric."""
    body = _body(ctx)
    people.record_metric(_store(ctx), delivery_id=str(body["delivery_id"]), metric=str(body["metric"]),
                         timestamp=body.get("timestamp"), source="metrics", recipient=body.get("recipient"),
                         reason=body.get("reason"), href=body.get("href"))
    return {}


@handler("track_api", "pushMetrics")
async def push_metrics(ctx: RequestContext) -> dict[str, Any]:
    """Record a push metric (the deprecated endpoint)."""
    body = _body(ctx)
    if not body.get("delivery_id") or not body.get("event"):
        raise EmulatorHTTPError(400, "delivery_id and event are required", field="body.delivery_id")
    people.record_metric(_store(ctx), delivery_id=str(body["delivery_id"]), metric=str(body["event"]),
                         timestamp=body.get("timestamp"), source="push", device=body.get("device_id"))
    return {}


def _segment(ctx: RequestContext) -> int:
    segment_id = int(ctx.path_params["segment_id"])
    row = segments.segment(_store(ctx), segment_id)
    if row is None:
        raise EmulatorHTTPError(404, f"segment {segment_id} not found", field="path.segment_id")
    if row["type"] != "manual":
        raise EmulatorHTTPError(400, f"segment {segment_id} is data-driven; only manual segments take people",
                                field="path.segment_id")
    return segment_id


def _segment_people(ctx: RequestContext) -> list[int]:
    id_type = ctx.query.get("id_type") or "id"
    store = ctx.store
    pks = []
    for value in _body(ctx).get("ids") or []:
        value = str(value)
        if id_type == "cio_id" and value.startswith("cio_"):
            value = value[4:]
        person = people.find(store, id_type, value)
        if person is not None:
            pks.append(person["pk"])
        else:
            _count(ctx, "track_segment_unknown_ids")
    return pks


def _change_segment(ctx: RequestContext, change: Callable[[Store, int, int], None]) -> dict[str, Any]:
    segment_id = _segment(ctx)
    for pk in _segment_people(ctx):
        change(ctx.store, segment_id, pk)
    return {}


@handler("track_api", "add_to_segment")
async def add_to_segment(ctx: RequestContext) -> dict[str, Any]:
    """Add people to a manual segment; ids that match nobody are ignored."""
    return _change_segment(ctx, segments.add_member)


@handler("track_api", "remove_from_segment")
async def remove_from_segment(ctx: RequestContext) -> dict[str, Any]:
    """Remove people from a manual segment."""
    return _change_segment(ctx, segments.remove_member)


@handler("track_api", "submitForm")
async def submit_form(ctx: RequestContext) -> tuple[int, None]:
    """Record a form submission and identify the person it names (by email, else id)."""
    data = _body(ctx).get("data") or {}
    email = data.get("email") or None
    person_id = data.get("id") or None
    if email is None and person_id is None:
        raise EmulatorHTTPError(400, "a form submission needs a non-empty email or id", field="body.data.email")
    fields = {k: v for k, v in data.items() if k not in ("email", "id")}
    issues: list[Issue] = []
    check_attributes(fields, "body.data", issues, exclude=frozenset())
    _bad(issues)
    kind, value = ("email", str(email)) if email else ("id", str(person_id))
    person = _identify_person(ctx, kind, value, body_id=str(person_id) if email and person_id else None,
                              attributes=fields)
    requests.record_form(_store(ctx), ctx.path_params["form_id"], data, person["pk"] if person else None)
    return 204, None


@handler("track_api", "getRegion")
async def get_region(ctx: RequestContext) -> dict[str, Any]:
    """The region of the credentials: the emulator's configured one (``--region``, default us)."""
    digest = hashlib.sha256(ctx.config.keys.site_id.encode()).digest()
    region = ctx.config.region
    return {"url": C.HOSTS["track"][region], "region": region, "environment_id": int.from_bytes(digest[:3], "big")}


# ---------------------------------------------------------------- v2


def _apply_item(ctx: RequestContext, item: dict[str, Any]) -> None:
    type_, action = item["type"], item["action"]
    store = _store(ctx)
    if type_ == "delivery":
        people.record_metric(store, delivery_id=str(item["identifiers"]["id"]), metric=item["name"],
                             timestamp=None, source="v2", device=item["attributes"]["device_token"])
        return
    if type_ == "object":
        _apply_object(ctx, item)
        return
    if action == "merge":
        _merge(ctx, item["primary"], item["secondary"])
        return
    ids = item["identifiers"]
    kind = next(k for k in ("cio_id", "id", "email") if k in ids)
    value = str(ids[kind])
    if action == "identify":
        attributes = dict(item.get("attributes") or {})
        update_only = attributes.pop("_update", False) is True
        person = _identify_person(ctx, kind, value, attributes=attributes, update_only=update_only,
                                  timestamp=item.get("_timestamp"))
        for rel in item.get("cio_relationships") or []:
            if person is not None:
                _relate(store, person["pk"], rel["identifiers"], rel.get("relationship_attributes"), add=True)
    elif action == "delete":
        person = people.find(store, kind, value)
        if person is not None:
            store.delete_person(cio_id=person["cio_id"])
    elif action == "suppress":
        people.suppress(store, kind, value)
    elif action == "unsuppress":
        people.unsuppress(store, kind, value)
    elif action in ("event", "screen", "page"):
        person = _person_for_activity(ctx, kind, value)
        if person is not None:
            _add_event(ctx, type_=action, name=item["name"], person_pk=person["pk"], anonymous_id=None,
                       data=item.get("attributes"), timestamp=item.get("timestamp"), event_id=item.get("id"))
    elif action in ("add_relationships", "delete_relationships"):
        person = _person_for_activity(ctx, kind, value) if action == "add_relationships" else people.find(store, kind, value)
        for rel in item["cio_relationships"]:
            if person is not None:
                _relate(store, person["pk"], rel["identifiers"], rel.get("relationship_attributes"),
                        add=action == "add_relationships")
    elif action == "add_device":
        person = _person_for_activity(ctx, kind, value)
        device = item["device"]
        if person is not None:
            devices.put_device(
                store, person["pk"], device["token"], platform=device.get("platform"),
                last_used=float(device["last_used"]) if "last_used" in device else now(store),
                attributes=device.get("attributes") or {},
            )
    elif action == "delete_device":
        person = people.find(store, kind, value)
        if person is not None:
            devices.delete_device(store, person["pk"], item["device"]["token"])


def _apply_object(ctx: RequestContext, item: dict[str, Any]) -> None:
    store = _store(ctx)
    action = item["action"]
    type_id, obj_id = objects.object_key(store, item["identifiers"])
    if type_id is None or obj_id is None:
        _count(ctx, "track_dropped")  # an unknown cio_object_id: updates only, nothing to update
        return
    if action == "delete":
        objects.delete_object(store, type_id, obj_id)
        return
    if action in ("identify", "identify_anonymous"):
        current = objects.object_attributes(store, type_id, obj_id) or {}
        objects.put_object(store, type_id, obj_id,
                           people.merge_attributes(current, item.get("attributes") or {}, empty_removes=True))
    add = action != "delete_relationships"
    for rel in item.get("cio_relationships") or []:
        ids = rel["identifiers"]
        if "anonymous_id" in ids:
            person = people.find(store, "anonymous_id", str(ids["anonymous_id"]))
        else:
            kind = next(k for k in ("cio_id", "id", "email") if k in ids)
            person = _person_for_activity(ctx, kind, str(ids[kind])) if add else people.find(store, kind, str(ids[kind]))
        if person is not None:
            _relate(store, person["pk"], {"object_type_id": type_id, "object_id": obj_id},
                    rel.get("relationship_attributes"), add=add)


def _item_errors(issues: list[Issue], index: int | None) -> list[dict[str, Any]]:
    out = []
    for issue in issues:
        err: dict[str, Any] = {"reason": issue.reason, "field": issue.field, "message": issue.message}
        if index is not None:
            err = {"batch_index": index, **err}
        out.append(err)
    return out


def _too_large(ctx: RequestContext) -> tuple[int, Any] | None:
    """The v2 answer to a body over its limit (32 KB per entity, 500 KB per batch), measured decompressed."""
    limit = ctx.body_limit
    if limit is None or ctx.body_size <= limit:
        return None
    return 400, {"errors": [{"reason": "request_too_large", "field": "body",
                             "message": f"the request is {ctx.body_size} bytes; the limit is {limit} bytes"}]}


@handler("track_api", "entity")
async def entity(ctx: RequestContext) -> dict[str, Any] | tuple[int, Any]:
    """Apply one v2 item; over 32 KB or over a limit answers 400 with the field."""
    if (refused := _too_large(ctx)) is not None:
        return refused
    item, _, issues = normalize_item(ctx.body)
    if issues or item is None:
        return 400, {"errors": _item_errors(issues, None)}
    _apply_item(ctx, item)
    return {}


@handler("track_api", "batch")
async def batch(ctx: RequestContext) -> dict[str, Any] | tuple[int, Any]:
    """Apply every valid item in order; items over a limit come back in a 207 ``errors`` list."""
    if (refused := _too_large(ctx)) is not None:
        return refused
    errors: list[dict[str, Any]] = []
    for index, raw in enumerate(_body(ctx).get("batch") or []):
        item, _, issues = normalize_item(raw)
        if issues or item is None:
            errors.extend(_item_errors(issues, index))
            continue
        try:
            _apply_item(ctx, item)
        except EmulatorHTTPError as exc:
            errors.append({"batch_index": index, "reason": "rejected", "field": exc.field or "item", "message": exc.message})
    _count(ctx, "track_batches")
    if errors:
        ctx.store.counters["track_batch_item_errors"] += len({e["batch_index"] for e in errors})
        return 207, {"errors": errors}
    return {}
