"""App API handlers for campaigns and broadcasts: definitions, actions, translations, metrics, triggers.

- Actions (and their translations, one per language) can be read and updated; updates persist
  and bump ``updated``/``deduplicate_id``. A ``from_id`` naming a sender identity also sets ``from``.
- Metrics are counted from the stored deliveries: ``version=1`` (``period``/``steps``, oldest
  first, the current period last) or ``version=2`` (``res``/``start``/``end``/``tz``); days start
  at 00:00 America/New_York unless ``tz`` says otherwise, as the API documents.
- triggerBroadcast resolves recipients (the broadcast's audience, ``recipients`` filter, ``ids``,
  ``emails``, ``per_user_data`` or a ``data_file_url`` with one JSON object per line), creates a
  trigger and one delivery per recipient and action (the delivery listeners of
  :mod:`..services.deliveries` see every metric), and records missing people as trigger errors unless
  ``id_ignore_missing``/``email_ignore_missing`` is set. The server-side rate limit (one trigger
  per 10 s) is the core's.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

import orjson

from ..models.clock import now
from ..models.content import dedup_id, doc_get, doc_list, doc_put, next_id, public, register_links
from ..models.messages import journeys
from ..models.metrics import link_series, metric_series
from ..models.people import find_person, is_unsubscribed, with_email
from ..models.segments import Audience
from ..registry import EmulatorHTTPError, RequestContext, handler
from ..services.deliveries import fetch_url, send_template
from ._common import (
    body,
    buckets_v1,
    buckets_v2,
    int_param,
    message_page,
    not_found,
    paginate,
    require_child,
    require_doc,
    st,
)
from ._reads import serve_all, serve_one

__all__: list[str] = []

_IMMUTABLE = frozenset({"id", "campaign_id", "broadcast_id", "parent_action_id", "type", "created", "updated",
                        "deduplicate_id", "language"})


# --- shared action helpers ---------------------------------------------------------------


def _action(ctx: RequestContext, owner: str) -> dict[str, Any]:
    """The action ``{action_id}`` of ``campaign:N``/``broadcast:N``, or 404."""
    action_id = int_param(ctx, "action_id")
    action = doc_get(st(ctx), "action", action_id)
    if action is None or action.get("_owner") != owner:
        raise not_found(f"action {action_id} of {owner.replace(':', ' ')}", "path.action_id")
    return action


def _translation(ctx: RequestContext, action: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    language = ctx.path_params["language"]
    if language == (action.get("language") or ""):
        return "action", action
    found = doc_get(st(ctx), "action_lang", f"{action['id']}:{language}")
    if found is None:
        raise not_found(f"translation {language!r} of action {action['id']}", "path.language")
    return "action_lang", found


def apply_update(store: Any, current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``current`` with the updatable fields of ``changes`` applied (ids, type, timestamps kept)."""
    updated = dict(current)
    for key, value in changes.items():
        if key in _IMMUTABLE or key.startswith("_"):
            continue
        if key == "headers" and isinstance(value, list):
            value = orjson.dumps(value).decode()  # requests send a list of {name, value}; answers a string
        updated[key] = value
    if isinstance(changes.get("from_id"), int):
        sender = doc_get(store, "sender", changes["from_id"])
        if sender is not None and "from" not in changes:
            updated["from"] = f"{sender['name']} <{sender['email']}>"
    ts = max(int(now(store)), int(current.get("updated") or 0) + 1)
    updated["updated"] = ts
    updated["deduplicate_id"] = dedup_id(current["id"], ts)
    return updated


def _save_action(ctx: RequestContext, kind: str, doc: dict[str, Any]) -> dict[str, Any]:
    store = st(ctx)
    key = doc["id"] if kind == "action" else f"{doc['id']}:{doc['language']}"
    parent = doc.get("_owner") if kind == "action" else str(doc["id"])
    doc_put(store, kind, key, doc, parent=parent)
    register_links(store, f"action:{doc['id']}", doc.get("body"))
    return doc


def _metrics(ctx: RequestContext, where: str, params: list[Any], *, versioned: bool) -> dict[str, Any]:
    edges = buckets_v2(ctx) if versioned and ctx.query.get("version") == "2" else buckets_v1(ctx)
    msg_type = ctx.query.get("type")
    if msg_type:
        where += " AND type = ?"
        params = [*params, msg_type]
    return {"metric": {"series": metric_series(st(ctx), where, params, edges, webhook_codes=True)}}


def _links(ctx: RequestContext, owners: list[str], where: str, params: list[Any]) -> dict[str, Any]:
    edges = buckets_v1(ctx)
    unique = str(ctx.query.get("unique", "")).lower() in ("true", "1")
    return {"links": link_series(st(ctx), owners, where, params, edges, unique=unique)}


def _owner_handlers(
    kind: str,
    owner_of: Callable[[RequestContext], dict[str, Any]],
    *,
    owner_metrics: str,
    owner_links: str,
    messages: str,
    get: str,
    update: str,
    get_translation: str,
    update_translation: str,
    metrics: str,
    links: str,
    versioned: bool,
) -> None:
    """Register the operations campaigns and broadcasts share (their metrics, links and messages,
    and those of their actions): the same rules, each owner's own operationIds and column."""
    column = f"{kind}_id = ?"

    def owned(ctx: RequestContext) -> dict[str, Any]:
        return _action(ctx, f"{kind}:{owner_of(ctx)['id']}")

    async def metrics_of_owner(ctx: RequestContext) -> dict[str, Any]:
        """Delivery metrics over time (campaigns also take ``version=2``)."""
        return _metrics(ctx, column, [owner_of(ctx)["id"]], versioned=versioned)

    async def links_of_owner(ctx: RequestContext) -> dict[str, Any]:
        """Clicks per tracked link over every action."""
        owner = owner_of(ctx)
        owners = [f"action:{a['id']}" for a in owner.get("actions", [])]
        return _links(ctx, owners, column, [owner["id"]])

    async def messages_of_owner(ctx: RequestContext) -> dict[str, Any]:
        """Deliveries, newest first."""
        return message_page(ctx, column, [owner_of(ctx)["id"]])

    async def get_action(ctx: RequestContext) -> dict[str, Any]:
        """One action."""
        return {"action": public(owned(ctx))}

    async def update_action(ctx: RequestContext) -> dict[str, Any]:
        """Update the content of an action (the update persists)."""
        return {"action": public(_save_action(ctx, "action", apply_update(st(ctx), owned(ctx), body(ctx))))}

    async def get_action_translation(ctx: RequestContext) -> dict[str, Any]:
        """One language variant of an action."""
        _, doc = _translation(ctx, owned(ctx))
        return {"action": public(doc)}

    async def update_action_translation(ctx: RequestContext) -> dict[str, Any]:
        """Update one language variant of an action."""
        doc_kind, doc = _translation(ctx, owned(ctx))
        return {"action": public(_save_action(ctx, doc_kind, apply_update(st(ctx), doc, body(ctx))))}

    async def action_metrics(ctx: RequestContext) -> dict[str, Any]:
        """One action's delivery metrics over time."""
        action = owned(ctx)
        return _metrics(ctx, "action_id = ?", [action["id"]], versioned=versioned)

    async def action_links(ctx: RequestContext) -> dict[str, Any]:
        """Clicks per tracked link of one action."""
        action = owned(ctx)
        return _links(ctx, [f"action:{action['id']}"], "action_id = ?", [action["id"]])

    for operation_id, fn in (
        (owner_metrics, metrics_of_owner),
        (owner_links, links_of_owner),
        (messages, messages_of_owner),
        (get, get_action),
        (update, update_action),
        (get_translation, get_action_translation),
        (update_translation, update_action_translation),
        (metrics, action_metrics),
        (links, action_links),
    ):
        handler("app_api", operation_id)(fn)


# --- campaigns ---------------------------------------------------------------------------


def _campaign(ctx: RequestContext) -> dict[str, Any]:
    return require_doc(st(ctx), "campaign", int_param(ctx, "campaign_id"), "campaign", "path.campaign_id")


serve_all("listCampaigns", "campaigns", "campaign", "Every campaign.")
serve_one("getCampaigns", "campaign", _campaign, "One campaign.")


@handler("app_api", "listCampaignActions")
async def list_campaign_actions(ctx: RequestContext) -> dict[str, Any]:
    """A campaign's actions, ten per page."""
    campaign = _campaign(ctx)
    actions = [public(a) for a in doc_list(st(ctx), "action", f"campaign:{campaign['id']}")]
    page, token = paginate(ctx, actions, default_limit=10, max_limit=10)
    return {"actions": page, "next": token}


_owner_handlers(
    "campaign",
    _campaign,
    owner_metrics="campaignMetrics",
    owner_links="campaignLinkMetrics",
    messages="getCampaignMessages",
    get="getCampaignAction",
    update="updateCampaignAction",
    get_translation="getCampaignActionTranslation",
    update_translation="updateCampaignActionTranslation",
    metrics="campaignActionMetrics",
    links="campaignActionLinks",
    versioned=True,
)


@handler("app_api", "campaignJourneyMetrics")
async def campaign_journey_metrics(ctx: RequestContext) -> dict[str, Any]:
    """Journeys started per period and how many of them were messaged, converted or exited early.

    A journey is a person's first delivery of the campaign inside the window.
    """
    campaign = _campaign(ctx)
    edges = buckets_v2(ctx)
    rows = journeys(st(ctx), campaign["id"], edges[0], edges[-1])
    n = len(edges) - 1
    out = {k: [0] * n for k in ("started", "activated", "exited_early", "finished", "converted", "never_activated",
                                "messaged")}
    for r in rows:
        i = bisect.bisect_right(edges, r["started"]) - 1
        if not 0 <= i < n:
            continue
        out["started"][i] += 1
        if r["messaged"]:
            out["messaged"][i] += 1
            out["activated"][i] += 1
        else:
            out["never_activated"][i] += 1
        if r["converted"]:
            out["converted"][i] += 1
        if r["exited"]:
            out["exited_early"][i] += 1
        else:
            out["finished"][i] += 1
    return {"journey_metric": out}


# --- broadcasts --------------------------------------------------------------------------


def _broadcast(ctx: RequestContext) -> dict[str, Any]:
    return require_doc(st(ctx), "broadcast", int_param(ctx, "broadcast_id"), "broadcast", "path.broadcast_id")


def _trigger(ctx: RequestContext, broadcast: dict[str, Any]) -> dict[str, Any]:
    return require_child(ctx, "trigger", broadcast, "broadcast")


serve_all("listBroadcasts", "broadcasts", "broadcast", "Every API-triggered broadcast.")
serve_one("getBroadcast", "broadcast", _broadcast, "One broadcast.")


@handler("app_api", "broadcastStatus")
async def broadcast_status(ctx: RequestContext) -> dict[str, Any]:
    """The state of one trigger of a broadcast."""
    return public(_trigger(ctx, _broadcast(ctx)))


@handler("app_api", "broadcastErrors")
async def broadcast_errors(ctx: RequestContext) -> dict[str, Any]:
    """The errors of one trigger (people who could not be found), paged."""
    trigger = _trigger(ctx, _broadcast(ctx))
    page, token = paginate(ctx, trigger.get("_errors") or [], default_limit=50, max_limit=1000)
    return {"errors": page, "next": token}


serve_all("listBroadcastTriggers", "triggers", "trigger", "Every trigger of a broadcast, oldest first.",
          under=lambda ctx: _broadcast(ctx)["id"])
serve_all("broadcastActions", "actions", "action", "A broadcast's actions.",
          under=lambda ctx: f"broadcast:{_broadcast(ctx)['id']}")


_owner_handlers(
    "broadcast",
    _broadcast,
    owner_metrics="broadcastMetrics",
    owner_links="broadcastLinks",
    messages="broadcastMessages",
    get="getBroadcastAction",
    update="updateBroadcastAction",
    get_translation="getBroadcastActionLanguage",
    update_translation="updateBroadcastActionLanguage",
    metrics="broadcastActionMetrics",
    links="broadcastActionLinks",
    versioned=False,
)


# --- triggering --------------------------------------------------------------------------


async def _recipients(ctx: RequestContext, broadcast: dict[str, Any], request: dict[str, Any]
                      ) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], list[str]]:
    """``([(person, per-person data)], errors)`` for a trigger request."""
    store = st(ctx)
    shared: dict[str, Any] = request["data"] if isinstance(request.get("data"), dict) else {}
    errors: list[str] = []
    chosen: list[tuple[dict[str, Any], dict[str, Any]]] = []
    per_user = request.get("per_user_data")
    if "data_file_url" in request:
        try:
            raw = await fetch_url(store, str(request["data_file_url"]), own_base=ctx.base_url)
            per_user = [orjson.loads(line) for line in raw.splitlines() if line.strip()]
        except (OSError, orjson.JSONDecodeError) as exc:
            raise EmulatorHTTPError(422, f"could not read the data file: {exc}", field="body.data_file_url") from exc
    if "recipients" in request:
        chosen = [(p, shared) for p in Audience(store).select(request["recipients"])]
    elif "ids" in request:
        for value in request["ids"]:
            person = find_person(store, str(value), "id")
            if person is None:
                if not request.get("id_ignore_missing"):
                    errors.append(f"no person with id {value!r}")
                continue
            chosen.append((person, shared))
    elif "emails" in request:
        for value in request["emails"]:
            rows = with_email(store, str(value))
            if not rows:
                if not request.get("email_ignore_missing"):
                    errors.append(f"no person with email {value!r}")
                continue
            chosen.extend((p, shared) for p in (rows if request.get("email_add_duplicates") else rows[:1]))
    elif per_user is not None:
        for item in per_user:
            if not isinstance(item, dict):
                errors.append("a per_user_data item is not an object")
                continue
            if item.get("id") is not None:
                person = find_person(store, str(item["id"]), "id")
                label = f"id {item['id']!r}"
            else:
                person = find_person(store, str(item.get("email") or ""), "email")
                label = f"email {item.get('email')!r}"
            if person is None:
                ignore = request.get("id_ignore_missing" if item.get("id") is not None else "email_ignore_missing")
                if not ignore:
                    errors.append(f"no person with {label}")
                continue
            chosen.append((person, {**shared, **(item.get("data") or {})}))
    else:
        audience = broadcast.get("_audience") or {"segment": {"id": (broadcast.get("_segment_ids") or [0])[0]}}
        chosen = [(p, shared) for p in Audience(store).select(audience)]
    return chosen, errors


@handler("app_api", "triggerBroadcast")
async def trigger_broadcast(ctx: RequestContext) -> dict[str, Any]:
    """Send a broadcast now: one delivery per recipient and active action."""
    store = st(ctx)
    broadcast_id = int_param(ctx, "broadcast_id")
    broadcast = doc_get(store, "broadcast", broadcast_id)
    if broadcast is None:
        raise not_found(f"broadcast {broadcast_id}", "path.broadcast_id")
    if not broadcast.get("active", True):
        raise EmulatorHTTPError(422, f"broadcast {broadcast_id} is not active", field="path.broadcast_id")
    recipients, errors = await _recipients(ctx, broadcast, body(ctx))
    trigger_id = next_id(store, "trigger")
    created = int(now(store))
    actions = [a for a in doc_list(store, "action", f"broadcast:{broadcast_id}") if a.get("sending_state") != "off"]
    for person, data in recipients:
        for action in actions:
            if action.get("type") == "email" and is_unsubscribed(person):
                continue  # unsubscribed people get no marketing email
            send_template(store, person=person, template=action, link_owner=f"action:{action['id']}", data=data,
                          broadcast_id=broadcast_id, action_id=action["id"], trigger_id=trigger_id)
    doc_put(store, "trigger", trigger_id, {
        "id": trigger_id, "broadcast_id": broadcast_id, "created_at": created, "processed_at": int(now(store)),
        "_errors": errors, "_recipients": len(recipients),
    }, parent=broadcast_id)
    broadcast["first_started"] = broadcast.get("first_started") or created
    doc_put(store, "broadcast", broadcast_id, broadcast)
    return {"id": trigger_id}

