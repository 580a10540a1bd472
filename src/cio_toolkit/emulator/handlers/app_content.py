"""App API handlers for reusable content: snippets, collections, sender identities, subscription topics.

- updateSnippets creates or replaces a snippet by name; deleteSnippet refuses (400) a snippet
  that a campaign or broadcast action, newsletter content or transactional content still uses
  (``{% snippet "name" %}`` or ``{{snippets.name}}``), like the real service.
- A collection's contents are what was stored: the ``data`` array from addCollection or
  updateCollection is answered as ``{"data": [...]}`` (the spec types contents as an object),
  and an object from updateCollectionContents is answered as is. ``rows``, ``bytes`` and
  ``schema`` (the top-level keys) are recomputed on every change. A collection created from a
  ``url`` is fetched when it is a file this emulator serves or any reachable http(s) URL
  holding a JSON array or object; otherwise it stays empty.
- getSenderUsage lists the campaigns and newsletters whose actions or contents send from the
  identity (``from_id``).
"""

from __future__ import annotations

from typing import Any

import orjson

from ..models.clock import now
from ..models.content import doc_delete, doc_get, doc_list, doc_put, next_id, public
from ..registry import EmulatorHTTPError, RequestContext, handler
from ..services.deliveries import fetch_url
from ._common import body, int_param, not_found, require_doc, sorted_page, st

__all__: list[str] = []

# --- snippets ----------------------------------------------------------------------------


def _snippet_users(ctx: RequestContext, name: str) -> list[str]:
    store = st(ctx)
    needles = (f'snippet "{name}"', f"snippet '{name}'", f"snippets.{name}")
    users = []
    for kind in ("action", "action_lang", "content", "tx_content"):
        for doc in doc_list(store, kind):
            text = " ".join(str(doc.get(k) or "") for k in ("body", "subject", "body_amp"))
            if any(n in text for n in needles):
                users.append(f"{kind} {doc['id']}")
    return users


@handler("app_api", "listSnippets")
async def list_snippets(ctx: RequestContext) -> dict[str, Any]:
    """Every snippet."""
    return {"snippets": [public(s) for s in doc_list(st(ctx), "snippet")]}


@handler("app_api", "updateSnippets")
async def update_snippets(ctx: RequestContext) -> dict[str, Any]:
    """Create or replace a snippet by name."""
    data = body(ctx)
    name = str(data.get("name") or "").strip()
    if not name:
        raise EmulatorHTTPError(400, "must not be empty", field="body.name")
    snippet = {"name": name, "value": str(data.get("value", "")), "updated_at": int(now(st(ctx)))}
    doc_put(st(ctx), "snippet", name, snippet)
    return {"snippet": snippet}


@handler("app_api", "deleteSnippet")
async def delete_snippet(ctx: RequestContext) -> None:
    """Delete a snippet no message uses."""
    name = ctx.path_params["snippet_name"]
    if doc_get(st(ctx), "snippet", name) is None:
        raise not_found(f"snippet {name!r}", "path.snippet_name")
    users = _snippet_users(ctx, name)
    if users:
        raise EmulatorHTTPError(400, f"snippet {name!r} is used by {', '.join(users[:5])}", field="path.snippet_name")
    doc_delete(st(ctx), "snippet", name)
    return None


# --- collections -------------------------------------------------------------------------


def describe(content: Any) -> tuple[int, int, list[str]]:
    """``(rows, bytes, schema)`` of collection contents (an array of rows or one object)."""
    size = len(orjson.dumps(content))
    if isinstance(content, list):
        keys: dict[str, None] = {}
        for row in content:
            if isinstance(row, dict):
                keys.update(dict.fromkeys(row))
        return len(content), size, sorted(keys)
    if isinstance(content, dict):
        return 1, size, sorted(content)
    return 0, size, []


def _store_collection(ctx: RequestContext, meta: dict[str, Any], content: Any) -> dict[str, Any]:
    rows, size, schema = describe(content)
    updated = int(now(st(ctx)))
    meta.update(rows=rows, bytes=size, schema=schema, updated_at=updated)
    meta.setdefault("created_at", updated)
    meta["_content"] = content
    doc_put(st(ctx), "collection", meta["id"], meta)
    return public(meta)


async def _content_of(ctx: RequestContext, data: dict[str, Any]) -> Any:
    if "data" in data:
        return data["data"]
    try:
        raw = await fetch_url(st(ctx), str(data["url"]), own_base=ctx.base_url)
        return orjson.loads(raw)
    except (OSError, orjson.JSONDecodeError):
        return []  # an unreachable URL leaves the collection empty until it is updated


def _collection(ctx: RequestContext) -> dict[str, Any]:
    return require_doc(st(ctx), "collection", int_param(ctx, "collection_id"), "collection", "path.collection_id")


@handler("app_api", "getCollections")
async def get_collections(ctx: RequestContext) -> dict[str, Any]:
    """Every collection's metadata."""
    return {"collections": [public(c) for c in doc_list(st(ctx), "collection")]}


@handler("app_api", "addCollection")
async def add_collection(ctx: RequestContext) -> dict[str, Any]:
    """Create a collection from ``data`` rows or a ``url``."""
    data = body(ctx)
    name = str(data.get("name") or "").strip()
    if not name:
        raise EmulatorHTTPError(400, "must not be empty", field="body.name")
    meta: dict[str, Any] = {"id": next_id(st(ctx), "collection"), "name": name}
    if "url" in data:
        meta["_url"] = data["url"]
    return {"collection": _store_collection(ctx, meta, await _content_of(ctx, data))}


@handler("app_api", "getCollection")
async def get_collection(ctx: RequestContext) -> dict[str, Any]:
    """One collection's metadata."""
    return {"collection": public(_collection(ctx))}


@handler("app_api", "updateCollection")
async def update_collection(ctx: RequestContext) -> dict[str, Any]:
    """Rename a collection and/or replace its data (rows or url)."""
    meta = _collection(ctx)
    data = body(ctx)
    if data.get("name"):
        meta["name"] = str(data["name"])
    content = meta.get("_content")
    if "data" in data or "url" in data:
        content = await _content_of(ctx, data)
        if "url" in data:
            meta["_url"] = data["url"]
    return {"collection": _store_collection(ctx, meta, content)}


@handler("app_api", "deleteCollection")
async def delete_collection(ctx: RequestContext) -> None:
    """Delete a collection."""
    meta = _collection(ctx)
    doc_delete(st(ctx), "collection", meta["id"])
    return None


@handler("app_api", "getCollectionContents")
async def get_collection_contents(ctx: RequestContext) -> dict[str, Any]:
    """A collection's contents (rows are answered as ``{"data": [...]}``)."""
    content = _collection(ctx).get("_content")
    return content if isinstance(content, dict) else {"data": content or []}


@handler("app_api", "updateCollectionContents")
async def update_collection_contents(ctx: RequestContext) -> dict[str, Any]:
    """Replace a collection's contents entirely."""
    meta = _collection(ctx)
    content: Any = ctx.body if isinstance(ctx.body, dict) else {}
    if set(content) == {"data"} and isinstance(content["data"], list):
        content = content["data"]  # the same rows shape getCollectionContents answers
    return {"collection": _store_collection(ctx, meta, content)}


# --- sender identities -------------------------------------------------------------------


def _sender(ctx: RequestContext) -> dict[str, Any]:
    return require_doc(st(ctx), "sender", int_param(ctx, "sender_id"), "sender identity", "path.sender_id")


@handler("app_api", "listSenders")
async def list_senders(ctx: RequestContext) -> dict[str, Any]:
    """Sender identities, paged with start/limit."""
    items = [public(s) for s in doc_list(st(ctx), "sender")]
    page, token = sorted_page(ctx, items, default_limit=50, max_limit=1000)
    out: dict[str, Any] = {"sender_identities": page}
    if token:
        out["next"] = token
    return out


@handler("app_api", "getSender")
async def get_sender(ctx: RequestContext) -> dict[str, Any]:
    """One sender identity."""
    return {"sender_identity": public(_sender(ctx))}


@handler("app_api", "getSenderUsage")
async def get_sender_usage(ctx: RequestContext) -> dict[str, Any]:
    """Campaigns and newsletters that send from this identity."""
    sender = _sender(ctx)
    store = st(ctx)
    campaigns: list[int] = []
    for action in doc_list(store, "action"):
        owner = str(action.get("_owner") or "")
        if action.get("from_id") == sender["id"] and owner.startswith("campaign:"):
            cid = int(owner.split(":", 1)[1])
            if cid not in campaigns:
                campaigns.append(cid)
    sent: list[int] = []
    draft: list[int] = []
    for content in doc_list(store, "content"):
        if content.get("from_id") != sender["id"]:
            continue
        newsletter = doc_get(store, "newsletter", content["newsletter_id"])
        if newsletter is None:
            continue
        target = sent if newsletter.get("sent_at") else draft
        if newsletter["id"] not in target:
            target.append(newsletter["id"])
    return {"campaigns": campaigns, "sent_newsletters": sent, "draft_newsletters": draft}


# --- subscription topics -----------------------------------------------------------------


@handler("app_api", "getTopics")
async def get_topics(ctx: RequestContext) -> dict[str, Any]:
    """The workspace's subscription topics."""
    return {"topics": [public(t) for t in doc_list(st(ctx), "topic")]}
