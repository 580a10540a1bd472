"""App API handlers for transactional sends, messages, transactional templates and newsletters.

- sendEmail/sendPush/sendSMS find the person by ``identifiers`` (an unknown ``id`` or ``email``
  creates the person, as the real service does), render the template (or the request's own
  ``subject``/``body``/``from``) with ``{{customer.x}}`` and ``{{trigger.x}}``/``{{message_data.x}}``
  placeholders, and store a delivery whose metrics are simulated deterministically from its id
  (see :func:`..services.deliveries.simulate`); ``queue_draft`` stores a draft and a future ``send_at`` a
  scheduled delivery that is not sent. ``disable_message_retention`` keeps no body for
  getArchivedMessage. Every metric reaches the delivery listeners of :mod:`..services.deliveries`.
- Newsletter variants, test groups and translations are contents of the newsletter: a
  translation is the content with that ``language`` (in that test group, for the test-group
  operations). Updates persist and bump ``updated``.
- updateTransactionalVariant creates the language variant when it does not exist yet (from the
  template's default content), so translations can be added through the API.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..models import messages
from ..models.clock import now
from ..models.content import dedup_id, doc_delete, doc_get, doc_list, doc_put, next_id, public, register_links
from ..models.devices import latest_device
from ..models.messages import message_json
from ..models.metrics import link_series, metric_series
from ..models.people import find_person, is_email
from ..registry import EmulatorHTTPError, RequestContext, handler
from ..services.deliveries import record_delivery, render
from ._common import (
    body,
    buckets_v1,
    int_param,
    message_page,
    must_exist,
    not_found,
    require_child,
    require_doc,
    sorted_page,
    st,
)
from ._reads import serve_all, serve_one

__all__: list[str] = []

_MAX_ATTACHMENTS_BYTES = 2 * 1024 * 1024


def _timestamp_fields(doc: dict[str, Any], at: float) -> dict[str, Any]:
    ts = max(int(at), int(doc.get("updated") or 0) + 1)
    doc["updated"] = ts
    if "deduplicate_id" in doc or "newsletter_id" in doc:
        doc["deduplicate_id"] = dedup_id(doc["id"], ts)
    return doc


def _apply(ctx: RequestContext, doc: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(doc)
    for key, value in changes.items():
        if key in ("id", "newsletter_id", "type", "created", "updated", "deduplicate_id", "language") or key.startswith(
            "_"
        ):
            continue
        if key == "headers" and isinstance(value, list):
            value = orjson.dumps(value).decode()  # requests send [{name, value}]; answers carry a string
        out[key] = value
    return _timestamp_fields(out, now(ctx.store))


# --- sends -------------------------------------------------------------------------------


def _person(ctx: RequestContext) -> dict[str, Any]:
    ids = body(ctx).get("identifiers") or {}
    store = st(ctx)
    if ids.get("cio_id"):
        person = find_person(store, str(ids["cio_id"]), "cio_id")
        if person is None:
            raise EmulatorHTTPError(400, f"no person with cio_id {ids['cio_id']!r}", field="body.identifiers.cio_id")
        return person
    if ids.get("id"):
        return find_person(store, str(ids["id"]), "id") or store.upsert_person(id=str(ids["id"]))
    email = str(ids.get("email") or "")
    if not email:
        raise EmulatorHTTPError(400, "needs one of id, email or cio_id", field="body.identifiers")
    if not is_email(email):  # the spec's format: email, which the emulator's validator leaves out
        raise EmulatorHTTPError(400, f"{email!r:.60} is not an email address", field="body.identifiers.email")
    return find_person(store, email, "email") or store.upsert_person(email=email, attributes={"email": email})


def _template(ctx: RequestContext, channel: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """``(template, content)`` for ``transactional_message_id`` (by id or name) in the request's language."""
    data = body(ctx)
    ref = data.get("transactional_message_id")
    if ref is None:
        return None, None
    store = st(ctx)
    template = doc_get(store, "transactional", ref) if str(ref).isdigit() else None
    if template is None:
        template = next((t for t in doc_list(store, "transactional") if t.get("name") == str(ref)), None)
    if template is None:
        raise EmulatorHTTPError(400, f"no transactional message {ref!r}", field="body.transactional_message_id")
    # The spec's transactional contents are typed email or push; an SMS template's content is
    # stored as type email with the private channel marker "sms".
    contents = [c for c in doc_list(store, "tx_content", template["id"])
                if (c.get("_channel") or c.get("type") or "email") == channel]
    if not contents:
        raise EmulatorHTTPError(400, f"transactional message {ref!r} has no {channel} content",
                                field="body.transactional_message_id")
    language = data.get("language") or ""
    content = next((c for c in contents if (c.get("language") or "") == language), None)
    content = content or next((c for c in contents if not c.get("language")), contents[0])
    return template, content


def _send(ctx: RequestContext, channel: str, msg_type: str, recipient: str | None) -> dict[str, Any]:
    data = body(ctx)
    store = st(ctx)
    template, content = _template(ctx, channel)
    person = _person(ctx)
    message_data = data.get("message_data") if isinstance(data.get("message_data"), dict) else {}
    source = dict(content or {})
    for key in ("subject", "body", "from", "reply_to", "bcc"):
        if data.get(key) is not None:
            source[key] = data[key]
    if msg_type == "push":
        source["subject"] = data.get("title") or source.get("subject")
        source["body"] = data.get("message") or source.get("body")
    elif msg_type == "twilio":
        source["subject"] = source.get("subject") or source.get("name")
    send_at = data.get("send_at")
    failure = None
    if template is not None and not template.get("send_to_unsubscribed", True) and not data.get(
        "send_to_unsubscribed"
    ) and str((person.get("attributes") or {}).get("unsubscribed", "")).lower() == "true":
        failure = "The person is unsubscribed and the message does not send to unsubscribed people"
    if recipient is None:
        failure = failure or "No device to send to"
    row = record_delivery(
        store,
        person=person,
        type=msg_type,
        recipient=recipient,
        subject=render(source.get("subject"), person, message_data),
        body=None if data.get("disable_message_retention") else render(source.get("body"), person, message_data),
        sender=source.get("from"),
        link_owner=f"tx_content:{content['id']}" if content else None,
        draft=bool(data.get("queue_draft")),
        send_at=send_at if isinstance(send_at, int) and not isinstance(send_at, bool) else None,
        failure=failure,
        transactional_id=template["id"] if template else None,
        content_id=content["id"] if content else None,
        template_id=template["id"] if template else None,
    )
    return {"delivery_id": row["id"], "queued_at": int(row["created"])}


@handler("app_api", "sendEmail")
async def send_email(ctx: RequestContext) -> dict[str, Any]:
    """Send a transactional email (a template, or the request's own subject/body/from)."""
    data = body(ctx)
    attachments: dict[str, Any] = data["attachments"] if isinstance(data.get("attachments"), dict) else {}
    size = sum(len(str(v)) * 3 // 4 for v in attachments.values())
    if size > _MAX_ATTACHMENTS_BYTES:
        raise EmulatorHTTPError(413, f"attachments total {size} bytes; the limit is {_MAX_ATTACHMENTS_BYTES} bytes",
                                field="body.attachments")
    return _send(ctx, "email", "email", str(data.get("to") or "") or None)


@handler("app_api", "sendPush")
async def send_push(ctx: RequestContext) -> dict[str, Any]:
    """Send a transactional push to the person's last used device (or ``custom_device``)."""
    data = body(ctx)
    custom = data.get("custom_device") if isinstance(data.get("custom_device"), dict) else None
    person = _person(ctx)
    recipient = custom.get("token") if custom else None
    if recipient is None:
        recipient = latest_device(st(ctx), person["pk"])
    return _send(ctx, "push", "push", recipient)


@handler("app_api", "sendSMS")
async def send_sms(ctx: RequestContext) -> dict[str, Any]:
    """Send a transactional SMS to ``to``."""
    return _send(ctx, "sms", "twilio", str(body(ctx).get("to") or "") or None)


# --- messages ----------------------------------------------------------------------------


def _message(ctx: RequestContext) -> dict[str, Any]:
    message_id = ctx.path_params["message_id"]
    return must_exist(messages.message(st(ctx), message_id), f"message {message_id!r}", "path.message_id")


def _series_of(ctx: RequestContext, where: str, key: Any) -> dict[str, Any]:
    """The v1 metric series of the deliveries ``where`` selects (``type`` filters by channel)."""
    params = [key]
    if ctx.query.get("type"):
        where, params = where + " AND type = ?", [*params, ctx.query["type"]]
    return {"metric": {"series": metric_series(st(ctx), where, params, buckets_v1(ctx), webhook_codes=True)}}


@handler("app_api", "listMessages")
async def list_messages(ctx: RequestContext) -> dict[str, Any]:
    """Deliveries across the workspace, newest first, filtered by campaign/newsletter/action, type, metric, time."""
    where, params = "1 = 1", []
    for name in ("campaign_id", "newsletter_id", "action_id"):
        value = ctx.query.get(name)
        if value not in (None, ""):
            where += f" AND {name} = ?"
            params.append(int(value))
    return message_page(ctx, where, params)


serve_one("getMessage", "message", _message, "One delivery with its metrics.", render=message_json)


@handler("app_api", "getArchivedMessage")
async def get_archived_message(ctx: RequestContext) -> dict[str, Any]:
    """The message as the recipient got it (empty body when retention was disabled)."""
    row = _message(ctx)
    out: dict[str, Any] = {
        "id": row["id"],
        "body": row.get("body") or "",
        "from": row.get("sender") or "",
        "reply_to": "",
        "recipient": row.get("recipient") or "",
        "subject": row.get("subject") or "",
        "bcc": "",
        "fake_bcc": False,
        "preheader_text": "",
        "forgotten": bool(row.get("forgotten")),
    }
    if row["type"] == "webhook":
        out.update(url=row.get("recipient") or "", request_method="POST", headers="{}")
    return {"archived_message": out}


# --- transactional templates -------------------------------------------------------------


def _tx(ctx: RequestContext) -> dict[str, Any]:
    return require_doc(st(ctx), "transactional", int_param(ctx, "transactional_id"), "transactional message",
                       "path.transactional_id")


serve_all("listTransactional", "messages", "transactional", "Every transactional message template.")
serve_one("getTransactional", "message", _tx, "One transactional message template.")


serve_all("listTransactionalVariants", "contents", "tx_content",
          "Every content (language variant) of a transactional message.", under=lambda ctx: _tx(ctx)["id"])


def _save_tx_content(ctx: RequestContext, tx_id: int, content: dict[str, Any]) -> dict[str, Any]:
    store = st(ctx)
    doc_put(store, "tx_content", content["id"], content, parent=tx_id)
    register_links(store, f"tx_content:{content['id']}", content.get("body"))
    tx = doc_get(store, "transactional", tx_id)
    if tx is not None:
        tx["updated_at"] = int(now(store))
        doc_put(store, "transactional", tx_id, tx)
    return content


@handler("app_api", "updateTransactional")
async def update_transactional(ctx: RequestContext) -> dict[str, Any]:
    """Update one content of a transactional message (the update persists)."""
    tx = _tx(ctx)
    content_id = int_param(ctx, "content_id")
    content = doc_get(st(ctx), "tx_content", content_id)
    if content is None or content.get("_transactional_id") != tx["id"]:
        raise not_found(f"content {content_id} of transactional message {tx['id']}", "path.content_id")
    return {"content": [public(_save_tx_content(ctx, tx["id"], _apply(ctx, content, body(ctx))))]}


@handler("app_api", "getTransactionalVariant")
async def get_transactional_variant(ctx: RequestContext) -> dict[str, Any]:
    """The contents of a transactional message in one language."""
    tx = _tx(ctx)
    language = ctx.path_params["language"]
    found = [public(c) for c in doc_list(st(ctx), "tx_content", tx["id"]) if (c.get("language") or "") == language]
    if not found:
        raise not_found(f"language {language!r} of transactional message {tx['id']}", "path.language")
    return {"content": found}


@handler("app_api", "updateTransactionalVariant")
async def update_transactional_variant(ctx: RequestContext) -> dict[str, Any]:
    """Update (or add) the content of a transactional message in one language."""
    tx = _tx(ctx)
    language = ctx.path_params["language"]
    store = st(ctx)
    contents = doc_list(store, "tx_content", tx["id"])
    current = next((c for c in contents if (c.get("language") or "") == language), None)
    if current is None:
        base = next((c for c in contents if not c.get("language")), contents[0] if contents else None)
        if base is None:
            raise EmulatorHTTPError(400, f"transactional message {tx['id']} has no content to translate",
                                    field="path.transactional_id")
        new_id = next_id(store, "content")
        ts = int(now(store))
        current = {**base, "id": new_id, "language": language, "created": ts, "updated": ts}
    return {"content": [public(_save_tx_content(ctx, tx["id"], _apply(ctx, current, body(ctx))))]}


@handler("app_api", "transactionalMetrics")
async def transactional_metrics(ctx: RequestContext) -> dict[str, Any]:
    """A transactional message's delivery metrics over time."""
    tx = _tx(ctx)
    return {"metric": {"series": metric_series(st(ctx), "transactional_id = ?", [tx["id"]], buckets_v1(ctx))}}


@handler("app_api", "transactionalLinks")
async def transactional_links(ctx: RequestContext) -> dict[str, Any]:
    """Clicks per tracked link of a transactional message."""
    tx = _tx(ctx)
    owners = [f"tx_content:{c['id']}" for c in doc_list(st(ctx), "tx_content", tx["id"])]
    unique = str(ctx.query.get("unique", "")).lower() in ("true", "1")
    return {"links": link_series(st(ctx), owners, "transactional_id = ?", [tx["id"]], buckets_v1(ctx), unique=unique)}


@handler("app_api", "transactionalMessages")
async def transactional_messages(ctx: RequestContext) -> dict[str, Any]:
    """Deliveries of a transactional message, newest first."""
    tx = _tx(ctx)
    return message_page(ctx, "transactional_id = ?", [tx["id"]])


# --- newsletters -------------------------------------------------------------------------


def _newsletter(ctx: RequestContext) -> dict[str, Any]:
    return require_doc(st(ctx), "newsletter", int_param(ctx, "newsletter_id"), "newsletter", "path.newsletter_id")


def _content(ctx: RequestContext, newsletter: dict[str, Any]) -> dict[str, Any]:
    return require_child(ctx, "content", newsletter, "newsletter")


def _translation(ctx: RequestContext, newsletter: dict[str, Any], test_group: str | None) -> dict[str, Any]:
    language = ctx.path_params["language"]
    for c in doc_list(st(ctx), "content", newsletter["id"]):
        if (c.get("language") or "") != language:
            continue
        if test_group is not None and str(c.get("_test_group")) != test_group:
            continue
        return c
    where = f" in test group {test_group}" if test_group is not None else ""
    raise not_found(f"language {language!r} of newsletter {newsletter['id']}{where}", "path.language")


def _save_content(ctx: RequestContext, content: dict[str, Any]) -> dict[str, Any]:
    store = st(ctx)
    doc_put(store, "content", content["id"], content, parent=content["newsletter_id"])
    register_links(store, f"content:{content['id']}", content.get("body"))
    return content


@handler("app_api", "listNewsletters")
async def list_newsletters(ctx: RequestContext) -> dict[str, Any]:
    """Newsletters, paged with start/limit, sorted by id (``sort=desc`` newest first)."""
    items = [public(n) for n in doc_list(st(ctx), "newsletter")]
    page, token = sorted_page(ctx, items, default_limit=50, max_limit=100)
    return {"newsletters": page, "next": token}


serve_one("getNewsletters", "newsletter", _newsletter, "One newsletter.")


@handler("app_api", "deletetNewsletters")
async def delete_newsletter(ctx: RequestContext) -> None:
    """Delete a newsletter with its contents and test groups (its deliveries remain)."""
    newsletter = _newsletter(ctx)
    store = st(ctx)
    for c in doc_list(store, "content", newsletter["id"]):
        doc_delete(store, "content", c["id"])
    for g in doc_list(store, "test_group", newsletter["id"]):
        doc_delete(store, "test_group", g["id"])
    doc_delete(store, "newsletter", newsletter["id"])
    return None


@handler("app_api", "getNewsletterMetrics")
async def get_newsletter_metrics(ctx: RequestContext) -> dict[str, Any]:
    """A newsletter's delivery metrics over time."""
    newsletter = _newsletter(ctx)
    return _series_of(ctx, "newsletter_id = ?", newsletter["id"])


@handler("app_api", "getNewsletterLinks")
async def get_newsletter_links(ctx: RequestContext) -> dict[str, Any]:
    """Clicks per tracked link over every content of a newsletter."""
    newsletter = _newsletter(ctx)
    owners = [f"content:{c['id']}" for c in doc_list(st(ctx), "content", newsletter["id"])]
    unique = str(ctx.query.get("unique", "")).lower() in ("true", "1")
    return {"links": link_series(st(ctx), owners, "newsletter_id = ?", [newsletter["id"]], buckets_v1(ctx),
                                 unique=unique)}


serve_all("listNewsletterVariants", "contents", "content",
          "Every content of a newsletter: A/B variants and their translations.",
          under=lambda ctx: _newsletter(ctx)["id"])


@handler("app_api", "getNewsletterMsgMeta")
async def get_newsletter_messages(ctx: RequestContext) -> dict[str, Any]:
    """Deliveries of a newsletter, newest first."""
    newsletter = _newsletter(ctx)
    return message_page(ctx, "newsletter_id = ?", [newsletter["id"]])


@handler("app_api", "getNewsletterVariant")
async def get_newsletter_variant(ctx: RequestContext) -> dict[str, Any]:
    """One content of a newsletter."""
    return {"content": public(_content(ctx, _newsletter(ctx)))}


@handler("app_api", "updateNewsletterVariant")
async def update_newsletter_variant(ctx: RequestContext) -> dict[str, Any]:
    """Update one content of a newsletter (the update persists)."""
    content = _content(ctx, _newsletter(ctx))
    return {"content": public(_save_content(ctx, _apply(ctx, content, body(ctx))))}


@handler("app_api", "getNewsletterVariantTranslation")
async def get_newsletter_variant_translation(ctx: RequestContext) -> dict[str, Any]:
    """The newsletter's content in one language."""
    return {"content": public(_translation(ctx, _newsletter(ctx), None))}


@handler("app_api", "updateNewsletterVariantTranslation")
async def update_newsletter_variant_translation(ctx: RequestContext) -> dict[str, Any]:
    """Update the newsletter's content in one language."""
    content = _translation(ctx, _newsletter(ctx), None)
    return {"content": public(_save_content(ctx, _apply(ctx, content, body(ctx))))}


serve_all("getNewsletterTestGroups", "test_groups", "test_group", "The A/B test groups of a newsletter.",
          under=lambda ctx: _newsletter(ctx)["id"])


def _test_group(ctx: RequestContext, newsletter: dict[str, Any]) -> str:
    group = ctx.path_params["test_group_id"]
    found = doc_get(st(ctx), "test_group", group)
    if found is None or found.get("_newsletter_id") != newsletter["id"]:
        raise not_found(f"test group {group!r} of newsletter {newsletter['id']}", "path.test_group_id")
    return group


@handler("app_api", "getNewsletterVariantTranslationTest")
async def get_newsletter_test_translation(ctx: RequestContext) -> dict[str, Any]:
    """The content of one test group in one language."""
    newsletter = _newsletter(ctx)
    return {"content": public(_translation(ctx, newsletter, _test_group(ctx, newsletter)))}


@handler("app_api", "updateNewsletterTestTranslation")
async def update_newsletter_test_translation(ctx: RequestContext) -> dict[str, Any]:
    """Update the content of one test group in one language."""
    newsletter = _newsletter(ctx)
    content = _translation(ctx, newsletter, _test_group(ctx, newsletter))
    return {"content": public(_save_content(ctx, _apply(ctx, content, body(ctx))))}


@handler("app_api", "getVariantMetrics")
async def get_variant_metrics(ctx: RequestContext) -> dict[str, Any]:
    """One newsletter content's delivery metrics over time."""
    content = _content(ctx, _newsletter(ctx))
    return _series_of(ctx, "content_id = ?", content["id"])


@handler("app_api", "getVariantLinks")
async def get_variant_links(ctx: RequestContext) -> dict[str, Any]:
    """Clicks per tracked link of one newsletter content."""
    content = _content(ctx, _newsletter(ctx))
    return {"links": link_series(st(ctx), [f"content:{content['id']}"], "content_id = ?", [content["id"]],
                                 buckets_v1(ctx))}

