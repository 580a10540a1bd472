"""App API handlers for people: customers, activities, segments, objects and the data index.

Everything is read from the shared store, so a person identified through the Pipelines or
Track API is found by getPeopleEmail/getPeopleFilter at once, with their attributes, devices,
relationships, segment memberships, events (as activities) and deliveries.

- Filters (getPeopleFilter, exportPeopleData, broadcast recipients) support and/or/not,
  segment and attribute (``eq``/``exists``) conditions; values compare as strings.
- Manual segments hold the members added by the Track API; data-driven segments are computed
  from their stored filter whenever they are read, so counts always reflect the store.
- Object types are integers in App API paths; an object type the Track API used that is not
  configured is listed as ``Object type N``.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..models import objects, segments
from ..models.clock import now
from ..models.content import dedup_id, doc_get, doc_list, doc_put, public
from ..models.customers import customer_json
from ..models.events import activities
from ..models.messages import person_message_json
from ..models.objects import cio_object_id
from ..models.people import find_person, identifiers, is_unsubscribed, with_email
from ..models.segments import Audience, attribute_matches
from ..registry import EmulatorHTTPError, RequestContext, handler
from ._common import (
    body,
    encode_cursor,
    message_page,
    must_exist,
    not_found,
    page_window,
    paginate,
    person_of_path,
    st,
)
from ._reads import serve_one

__all__: list[str] = []

# --- customers ---------------------------------------------------------------------------


@handler("app_api", "getPeopleEmail")
async def get_people_email(ctx: RequestContext) -> dict[str, Any]:
    """People whose email is the given address (case-insensitive)."""
    email = ctx.query.get("email", "")
    return {"results": [identifiers(p) for p in with_email(st(ctx), email)]}


@handler("app_api", "getPeopleFilter")
async def get_people_filter(ctx: RequestContext) -> dict[str, Any]:
    """People matching an and/or/not filter of segments and attributes, paged with start/limit."""
    people = Audience(st(ctx)).select(body(ctx).get("filter"))
    page, token = paginate(ctx, people, default_limit=50, max_limit=1000)
    return {"identifiers": [identifiers(p) for p in page], "ids": [p.get("id") or "" for p in page], "next": token}


@handler("app_api", "getPersonAttributes")
async def get_person_attributes(ctx: RequestContext) -> dict[str, Any]:
    """A person's attributes (all as strings), timestamps, devices and unsubscribed flag."""
    person = person_of_path(ctx)
    return {"customer": customer_json(st(ctx), person)}


@handler("app_api", "getPeopleById")
async def get_people_by_id(ctx: RequestContext) -> dict[str, Any]:
    """Attributes of up to 100 people by id (a ``cio_``-prefixed value is a cio_id); unknown ids are skipped."""
    store = st(ctx)
    out = []
    for value in body(ctx).get("ids") or []:
        value = str(value)
        person = find_person(store, value, "id")
        if person is None and value.startswith("cio_"):
            person = find_person(store, value, "cio_id")
        if person is not None:
            out.append({"customer": customer_json(store, person)})
    return {"customers": out}


@handler("app_api", "getPersonRelationships")
async def get_person_relationships(ctx: RequestContext) -> dict[str, Any]:
    """The objects a person is related to, with the relationship's attributes."""
    person = person_of_path(ctx)
    store = st(ctx)
    rows = objects.person_relationships(store, person["pk"])
    items = []
    for r in rows:
        if not str(r["object_type_id"]).isdigit():
            continue  # App API object types are integers
        items.append({
            "object_type_id": int(r["object_type_id"]),
            "identifiers": {"object_id": r["object_id"],
                            "cio_object_id": cio_object_id(store, r["object_type_id"], r["object_id"])},
            "attributes": dict(r["attributes"] or {}),
            "timestamps": {k: int(person["updated_at"]) for k in (r["attributes"] or {})},
        })
    page, token = paginate(ctx, items, default_limit=50, max_limit=1000)
    return {"cio_relationships": page, "next": token}


@handler("app_api", "getPersonSegments")
async def get_person_segments(ctx: RequestContext) -> dict[str, Any]:
    """The segments (manual and data-driven) a person is in right now."""
    person = person_of_path(ctx)
    store = st(ctx)
    audience = Audience(store)
    out = []
    for seg in segments.every_segment(store):
        if person["pk"] in audience.segment_members(seg["id"]):
            out.append({"id": seg["id"], "name": seg["name"], "description": seg.get("description") or ""})
    return {"segments": out}


@handler("app_api", "getPersonMessages")
async def get_person_messages(ctx: RequestContext) -> dict[str, Any]:
    """Deliveries sent to a person, newest first."""
    person = person_of_path(ctx)
    return message_page(ctx, "person_pk = ?", [person["pk"]], render=person_message_json)


@handler("app_api", "getPersonActivities")
async def get_person_activities(ctx: RequestContext) -> dict[str, Any]:
    """A person's events, page views, screens and delivery metrics, newest first."""
    person = person_of_path(ctx)
    offset, limit = page_window(ctx, default_limit=50, max_limit=100)
    items, more = activities(st(ctx), person_pk=person["pk"], type_=ctx.query.get("type"),
                             name=ctx.query.get("name"), offset=offset, limit=limit)
    return {"activities": items, "next": encode_cursor(offset + limit) if more else ""}


@handler("app_api", "getPersonSubscriptionPreferences")
async def get_person_subscription_preferences(ctx: RequestContext) -> dict[str, Any]:
    """A person's subscription topics: their stored preference, else the topic's default."""
    person = person_of_path(ctx)
    store = st(ctx)
    prefs = (person.get("attributes") or {}).get("cio_subscription_preferences")
    if isinstance(prefs, str):
        try:
            prefs = orjson.loads(prefs)
        except orjson.JSONDecodeError:
            prefs = {}
    chosen = prefs.get("topics", {}) if isinstance(prefs, dict) else {}
    unsubscribed = is_unsubscribed(person)
    topics = []
    for topic in doc_list(store, "topic"):
        key = topic["identifier"]
        subscribed = chosen.get(key, topic.get("subscribed_by_default", False))
        topics.append({
            "id": key,
            "name": topic["name"],
            "description": topic.get("description", ""),
            "subscribed": bool(subscribed) and not unsubscribed,
        })
    return {"customer": {
        "id": person.get("id"),
        "identifiers": identifiers(person),
        "topics": topics,
        "unsubscribed": unsubscribed,
        "header": {"title": "Manage your subscription preferences",
                   "subtitle": "Choose the messages you want to receive."},
    }}


# --- activities --------------------------------------------------------------------------


@handler("app_api", "listActivities")
async def list_activities(ctx: RequestContext) -> dict[str, Any]:
    """Activities across the workspace (or of one ``customer_id``), newest first."""
    store = st(ctx)
    person_pk = None
    customer_id = ctx.query.get("customer_id")
    if customer_id:
        person = find_person(store, customer_id, ctx.query.get("id_type") or "id")
        if person is None:
            return {"activities": [], "next": ""}
        person_pk = person["pk"]
    offset, limit = page_window(ctx, default_limit=50, max_limit=100)
    items, more = activities(store, person_pk=person_pk, type_=ctx.query.get("type"), name=ctx.query.get("name"),
                             offset=offset, limit=limit)
    return {"activities": items, "next": encode_cursor(offset + limit) if more else ""}


# --- segments ----------------------------------------------------------------------------


def segment_json(row: dict[str, Any]) -> dict[str, Any]:
    """A core ``segments`` row as the App API's segment object."""
    extra = row.get("attributes") or {}
    created = int(extra.get("created_at") or 0)
    updated = int(extra.get("updated_at") or created)
    return {
        "id": row["id"],
        "deduplicate_id": dedup_id(row["id"], updated),
        "name": row["name"],
        "description": row.get("description") or "",
        "state": "finished",
        "progress": None,
        "type": "manual" if row["type"] == "manual" else "dynamic",
        "tags": list(extra.get("tags") or []),
        "created_at": created,
        "updated_at": updated,
    }


def _segment_row(ctx: RequestContext) -> dict[str, Any]:
    segment_id = int(ctx.path_params["segment_id"])
    return must_exist(segments.segment(st(ctx), segment_id), f"segment {segment_id}", "path.segment_id")


@handler("app_api", "listSegments")
async def list_segments(ctx: RequestContext) -> dict[str, Any]:
    """Every segment, manual and data-driven."""
    return {"segments": [segment_json(r) for r in segments.every_segment(st(ctx))]}


@handler("app_api", "createManSegment")
async def create_man_segment(ctx: RequestContext) -> dict[str, Any]:
    """Create an empty manual segment (add people with the Track API)."""
    spec = body(ctx).get("segment") or {}
    name = str(spec.get("name") or "").strip()
    if not name:
        raise EmulatorHTTPError(400, "must not be empty", field="body.segment.name")
    ts = int(now(st(ctx)))
    row = segments.create_manual(st(ctx), name, spec.get("description") or "",
                                 {"created_at": ts, "updated_at": ts, "tags": []})
    return {"segment": segment_json(row)}


serve_one("getSegment", "segment", _segment_row, "One segment.", render=segment_json)


@handler("app_api", "deleteManSegment")
async def delete_man_segment(ctx: RequestContext) -> None:
    """Delete a manual segment and its memberships (data-driven segments are refused)."""
    row = _segment_row(ctx)
    if row["type"] != "manual":
        raise EmulatorHTTPError(400, f"segment {row['id']} is data-driven; only manual segments can be deleted",
                                field="path.segment_id")
    segments.delete_segment(st(ctx), row["id"])
    return None


@handler("app_api", "getSegmentDependencies")
async def get_segment_dependencies(ctx: RequestContext) -> dict[str, Any]:
    """Campaigns and newsletters that use the segment as trigger, filter or recipients."""
    row = _segment_row(ctx)
    store = st(ctx)
    sid = row["id"]
    campaigns = [c["id"] for c in doc_list(store, "campaign")
                 if sid in (c.get("trigger_segment_ids") or []) or sid in (c.get("filter_segment_ids") or [])]
    sent: list[int] = []
    draft: list[int] = []
    for n in doc_list(store, "newsletter"):
        if sid in (n.get("recipient_segment_ids") or []):
            (sent if n.get("sent_at") else draft).append(n["id"])
    return {"segment_id": sid, "used_by": {"campaigns": campaigns, "sent_newsletters": sent,
                                           "draft_newsletters": draft}}


@handler("app_api", "getSegmentCount")
async def get_segment_count(ctx: RequestContext) -> dict[str, Any]:
    """How many people are in the segment now."""
    row = _segment_row(ctx)
    return {"segment_id": row["id"], "count": len(Audience(st(ctx)).segment_members(row["id"]))}


@handler("app_api", "getSegmentMembership")
async def get_segment_membership(ctx: RequestContext) -> dict[str, Any]:
    """The segment's members (oldest profile first), paged with start/limit."""
    row = _segment_row(ctx)
    audience = Audience(st(ctx))
    members = audience.segment_members(row["id"])
    people = [p for p in audience.people if p["pk"] in members]
    page, token = paginate(ctx, people, default_limit=1000, max_limit=30000)
    return {"segment_id": row["id"], "identifiers": [identifiers(p) for p in page],
            "ids": [p.get("id") or "" for p in page], "next": token}


# --- objects -----------------------------------------------------------------------------


def object_types(ctx: RequestContext) -> list[dict[str, Any]]:
    """Configured object types, plus any numeric type the Track API wrote objects of."""
    store = st(ctx)
    types = {t["id"]: public(t) for t in doc_list(store, "object_type")}
    for type_id in objects.type_ids(store):
        if type_id.isdigit() and type_id not in types:
            types[type_id] = {"id": type_id, "name": f"Object type {type_id}", "singular_name": f"Object {type_id}",
                              "slug": f"type-{type_id}", "singular_slug": f"object-{type_id}", "enabled": True,
                              "icon": "box"}
    return sorted(types.values(), key=lambda t: int(t["id"]))


@handler("app_api", "getObjectTypes")
async def get_object_types(ctx: RequestContext) -> dict[str, Any]:
    """The workspace's object types."""
    return {"types": object_types(ctx)}


def _object_matches(attributes: dict[str, Any], object_id: str, condition: Any) -> bool:
    if not isinstance(condition, dict) or not condition:
        return False
    view = {**attributes, "object_id": object_id}
    for key, value in condition.items():
        if key == "and":
            ok = isinstance(value, list) and all(_object_matches(attributes, object_id, c) for c in value)
        elif key == "or":
            ok = isinstance(value, list) and any(_object_matches(attributes, object_id, c) for c in value)
        elif key == "not":
            ok = not _object_matches(attributes, object_id, value)
        elif key == "object_attribute":
            ok = attribute_matches(view, value)
        else:
            continue
        if not ok:
            return False
    return True


@handler("app_api", "getObjectsFilter")
async def get_objects_filter(ctx: RequestContext) -> dict[str, Any]:
    """Objects of one type matching an and/or/not filter of object attributes."""
    data = body(ctx)
    type_id = str(data.get("object_type_id"))
    store = st(ctx)
    rows = objects.objects_of_type(store, type_id)
    found = [r for r in rows if _object_matches(r["attributes"] or {}, r["object_id"], data.get("filter"))]
    page, token = paginate(ctx, found, default_limit=50, max_limit=1000)
    return {
        "identifiers": [{"object_id": r["object_id"], "cio_object_id": cio_object_id(store, type_id, r["object_id"])}
                        for r in page],
        "ids": [r["object_id"] for r in page],
        "next": token,
    }


def _object_of_path(ctx: RequestContext) -> dict[str, Any]:
    store = st(ctx)
    type_id, value = ctx.path_params["object_type_id"], ctx.path_params["object_id"]
    found = objects.find_object(store, type_id, value, by_cio_object_id=ctx.query.get("id_type") == "cio_object_id")
    if found is None:
        raise not_found(f"object {value!r} of type {type_id}", "path.object_id")
    return found


@handler("app_api", "getObjectAttributes")
async def get_object_attributes(ctx: RequestContext) -> dict[str, Any]:
    """An object's attributes."""
    obj = _object_of_path(ctx)
    store = st(ctx)
    attributes = dict(obj["attributes"] or {})
    ts = int(now(store))
    return {"object": {
        "attributes": attributes,
        "timestamps": {k: ts for k in attributes},
        "identifiers": {"object_id": obj["object_id"],
                        "cio_object_id": cio_object_id(store, obj["object_type_id"], obj["object_id"])},
        "object_type_id": str(obj["object_type_id"]),
    }}


@handler("app_api", "getObjectRelationships")
async def get_object_relationships(ctx: RequestContext) -> dict[str, Any]:
    """The people related to an object."""
    obj = _object_of_path(ctx)
    rows = objects.related_people(st(ctx), obj["object_type_id"], obj["object_id"])
    items = [{"identifiers": {"cio_id": p["cio_id"], "id": p.get("id"), "email": p.get("email")},
              "object_type_id": str(obj["object_type_id"]), "object_type_disabled": False} for p in rows]
    page, token = paginate(ctx, items, default_limit=50, max_limit=1000)
    return {"cio_relationships": page, "next": token}


# --- data index --------------------------------------------------------------------------


@handler("app_api", "updateAttributeMetadata")
async def update_attribute_metadata(ctx: RequestContext) -> None:
    """Store descriptions and privacy levels of attributes."""
    store = st(ctx)
    for item in body(ctx).get("attributes") or []:
        current = doc_get(store, "attribute_meta", item["name"]) or {}
        doc_put(store, "attribute_meta", item["name"], {**current, **item})
    return None


@handler("app_api", "updateEventMetadata")
async def update_event_metadata(ctx: RequestContext) -> None:
    """Store descriptions of events."""
    store = st(ctx)
    for item in body(ctx).get("events") or []:
        current = doc_get(store, "event_meta", item["name"]) or {}
        doc_put(store, "event_meta", item["name"], {**current, **item})
    return None

