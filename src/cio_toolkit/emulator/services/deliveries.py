"""Simulated deliveries and the delivery-event bus; fetching an import's ``data_file_url``.

A send or a broadcast trigger becomes one ``app_messages`` row with simulated metric times
(:func:`simulate`, decided by the delivery id), rendered from its template (:func:`render`).

Delivery events hook (for the reporting-webhook sender)
-------------------------------------------------------
:func:`on_delivery_event` registers ``callback(store, event)``; it is called once for every
delivery metric a send or a broadcast trigger produces (``attempted``, ``sent``, ``delivered``, ``opened``,
``clicked``, ``converted``, ``bounced``, ``spammed``, ``unsubscribed``, ``dropped``, ``failed``,
``drafted`` ...), in time order per delivery, right after the delivery is stored, and once more
with ``unsubscribed`` when an unsubscribe is later attributed to a delivery
(:func:`unsubscribe_delivery`, the Track API's ``/unsubscribe/{delivery_id}``). ``event`` is a
dict::

    {"metric": "opened", "timestamp": 1700000000, "delivery_id": "...", "channel": "email",
     "message_type": "email" | "push" | "twilio" | "webhook" | "slack",
     "recipient": "a@example.com", "customer_id": "u1" | None,
     "identifiers": {"id": ..., "email": ..., "cio_id": ...},
     "campaign_id": None, "broadcast_id": 3, "newsletter_id": None, "action_id": 12,
     "content_id": None, "transactional_message_id": None, "trigger_id": 7,
     "subject": "...", "href": "https://..." (clicked only), "link_id": 4 (clicked only),
     "failure_message": "..." (bounced/dropped/failed only)}

``channel`` is the reporting-webhook object name (``email``, ``push``, ``sms``, ``webhook``,
``slack``). Callbacks run synchronously in the emulator's event loop: they must return quickly
(hand the event to a queue or ``asyncio.get_running_loop().create_task``). An exception in a
callback is logged and never fails the request. Seeded history does not fire events.
:func:`..models.content.list_reporting_webhooks` returns the stored webhook configurations (with ids).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import zlib
from collections.abc import Callable, Mapping
from typing import Any

from .._body import inflate
from ..models import Store
from ..models.clock import now
from ..models.content import (
    doc_get,
    doc_put,
    ensure,
    esp_suppression,
    links_of,
    next_id,
    read_file,
)
from ..models.devices import latest_device
from ..models.messages import (
    CHANNEL,
    MESSAGE_COLUMNS,
    METRICS,
    insert_messages,
    record_unsubscribe,
    schedule_message,
    take_due_messages,
    update_message,
)
from ..models.people import (
    as_string,
    attribute_view,
)

logger = logging.getLogger("cio_toolkit.emulator")


DeliveryListener = Callable[[Store, dict[str, Any]], Any]


_LISTENERS: list[DeliveryListener] = []


def on_delivery_event(callback: DeliveryListener) -> DeliveryListener:
    """Call ``callback(store, event)`` for every delivery metric of sends and broadcast triggers."""
    if callback not in _LISTENERS:
        _LISTENERS.append(callback)
    return callback


def off_delivery_event(callback: DeliveryListener) -> None:
    """Stop calling a callback registered with :func:`on_delivery_event`."""
    if callback in _LISTENERS:
        _LISTENERS.remove(callback)


def _event_base(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "delivery_id": row["id"],
        "channel": CHANNEL.get(row["type"], row["type"]),
        "message_type": row["type"],
        "recipient": row.get("recipient"),
        "customer_id": row.get("customer_id"),
        "identifiers": {"id": row.get("customer_id"), "email": row.get("email"), "cio_id": row.get("cio_id")},
        "campaign_id": row.get("campaign_id"),
        "broadcast_id": row.get("broadcast_id"),
        "newsletter_id": row.get("newsletter_id"),
        "action_id": row.get("action_id"),
        "content_id": row.get("content_id"),
        "transactional_message_id": row.get("transactional_id"),
        "trigger_id": row.get("trigger_id"),
        "subject": row.get("subject"),
    }


def _notify_listeners(store: Store, event: dict[str, Any]) -> None:
    for callback in list(_LISTENERS):
        try:
            callback(store, event)
        except Exception:  # a broken listener must never fail the send
            logger.exception("delivery event listener %r failed", callback)


def _emit(store: Store, row: Mapping[str, Any], links: Mapping[int, str]) -> None:
    if not _LISTENERS:
        return
    base = _event_base(row)
    steps = sorted((row[m], i, m) for i, m in enumerate(METRICS) if m != "created" and row.get(m) is not None)
    for ts, _, metric in steps:
        event = dict(base, metric=metric, timestamp=int(ts))
        if metric == "clicked" and row.get("link_id") is not None:
            event["link_id"] = row["link_id"]
            event["href"] = links.get(int(row["link_id"]))
        if metric in ("bounced", "dropped", "failed", "undeliverable") and row.get("failure_message"):
            event["failure_message"] = row["failure_message"]
        _notify_listeners(store, event)


def unsubscribe_delivery(store: Store, delivery_id: str) -> bool:
    """Attribute an unsubscribe to a stored delivery and unsubscribe its person; False for an unknown id.

    The person's ``unsubscribed`` attribute becomes ``true`` (as the Track API's unsubscribe
    endpoint does in Customer.io), and the delivery gets its ``unsubscribed`` metric, which the
    delivery listeners hear about the first time. A person deleted since the send is left alone.
    """
    at = now(store)
    row, first = record_unsubscribe(store, delivery_id, at)
    if row is None:
        return False
    if first and _LISTENERS:
        _notify_listeners(store, dict(_event_base(row), metric="unsubscribed", timestamp=int(at)))
    return True


def unit(*parts: Any) -> float:
    """A deterministic number in [0, 1) from ``parts`` (same inputs, same simulated outcome)."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def delivery_id_for(n: int) -> str:
    """The delivery id of sequence number ``n``: opaque and URL-safe, like Customer.io's."""
    return base64.urlsafe_b64encode(b"\x01cioemu" + n.to_bytes(8, "big")).decode().rstrip("=")


def new_delivery_id(store: Store) -> str:
    """The next delivery id of the store's sequence."""
    return delivery_id_for(next_id(store, "delivery"))


# How a send of each kind fails: (rate, metric, its step, failure message); "failed" means never sent.
_FAILURE = {
    "email": (0.03, "bounced", 2, "550 5.1.1 The email account that you tried to reach does not exist"),
    "push": (0.02, "failed", 1, "the device token is no longer registered"),
    "twilio": (0.02, "undeliverable", 2, "30003 Unreachable destination handset"),
    "webhook": (0.01, "failed", 1, "500 Internal Server Error"),
    "slack": (0.01, "failed", 1, "500 Internal Server Error"),
}


# What a delivered message leads to, each step only after the one before:
# (metric, the draw deciding it, its chance, whether it needs a link).
_ENGAGEMENT = {
    "email": (("opened", "open", 0.52, False), ("clicked", "click", 0.35, True), ("converted", "convert", 0.25, False)),
    "push": (("opened", "open", 0.3, False), ("converted", "convert", 0.2, False)),
    "twilio": (("clicked", "click", 0.12, True),),
}


def simulate(
    delivery_id: str, kind: str, created: float, *, recipient: str | None, suppressed: str | None,
    draft: bool = False, has_links: bool = True, spread: float = 0.0,
) -> dict[str, Any]:
    """The metric timestamps (and failure message) of one delivery, decided by its id.

    Email: ~3% bounce, ~52% of delivered open, ~35% of openers click, ~25% of clickers convert,
    ~1% unsubscribe, ~0.3% spam reports; a recipient on an ESP suppression list is dropped and
    addresses starting ``bounce`` always bounce. Push and SMS deliver and (push) open; webhooks
    succeed. ``spread`` > 0 spaces the steps over up to that many seconds (seeded history).
    """
    out: dict[str, Any] = {}
    if draft:
        out["drafted"] = created
        return out
    step = (lambda i: created + i * max(1.0, spread * unit(delivery_id, "t", i) / 4)) if spread else (
        lambda i: created + i
    )
    if suppressed:
        out["attempted"] = created
        out["dropped"] = step(1)
        out["failure_message"] = f"The recipient is on the ESP's {suppressed} suppression list"
        return out
    out["attempted"] = created
    out["sent"] = step(1)
    local = (recipient or "").split("@")[0].lower()
    failure = _FAILURE.get(kind)
    if failure is not None and (unit(delivery_id, "fate") < failure[0] or (kind == "email" and local.startswith("bounce"))):
        _, metric, at_step, message = failure
        if metric == "failed":
            out.pop("sent")  # never sent at all
        out[metric] = step(at_step)
        out["failure_message"] = message
        return out
    if kind not in _ENGAGEMENT:
        return out  # webhooks and Slack messages are sent, nothing more
    out["delivered"] = step(2)
    if kind == "email" and (local.startswith("complain") or unit(delivery_id, "spam") < 0.003):
        out["spammed"] = step(3)
        return out
    for i, (metric, draw, chance, needs_links) in enumerate(_ENGAGEMENT[kind]):
        if (needs_links and not has_links) or unit(delivery_id, draw) >= chance:
            break
        out[metric] = step(3 + i)
    if kind == "email" and unit(delivery_id, "unsub") < 0.01:
        out["unsubscribed"] = step(6)
    return out


_FATE_COLUMNS = (*(m for m in METRICS if m != "created"), "failure_message", "link_id")


def record_delivery(
    store: Store,
    *,
    person: Mapping[str, Any] | None,
    type: str,
    recipient: str | None,
    subject: str | None = None,
    body: str | None = None,
    sender: str | None = None,
    created: float | None = None,
    link_owner: str | None = None,
    draft: bool = False,
    send_at: float | None = None,
    fire: bool = True,
    failure: str | None = None,
    **refs: Any,
) -> dict[str, Any]:
    """Store one delivery with simulated metrics and notify the delivery listeners; return the row.

    A ``send_at`` later than now (the emulator's clock) stores the delivery unsent (only its
    ``created`` metric) and schedules it: :func:`deliver_due` sends it, through the same steps,
    once the clock has passed ``send_at``; an earlier one sends now, as the API documents. A
    draft is never sent. ``refs`` are the app_messages reference columns (campaign_id,
    broadcast_id, newsletter_id, action_id, parent_action_id, content_id, transactional_id,
    trigger_id, template_id).
    """
    ensure(store)
    created = now(store) if created is None else created
    row: dict[str, Any] = {c: None for c in MESSAGE_COLUMNS}
    row.update(refs)
    row.update(
        id=new_delivery_id(store),
        person_pk=person["pk"] if person else None,
        customer_id=person.get("id") if person else None,
        email=person.get("email") if person else None,
        cio_id=person["cio_id"] if person else None,
        recipient=recipient,
        subject=subject,
        type=type,
        body=body,
        sender=sender,
        forgotten=0,
        created=created,
    )
    if send_at is not None and send_at > now(store) and not draft:
        schedule_message(store, row, send_at=send_at, link_owner=link_owner, failure=failure)
        store.counters["scheduled_sends"] += 1
        return row
    links = _decide_fate(store, row, created, link_owner=link_owner, draft=draft, failure=failure)
    insert_messages(store, [row])
    _after_delivery(store, row, links, fire=fire)
    return row


def deliver_due(store: Store) -> int:
    """Send every scheduled delivery whose ``send_at`` the clock has passed, earliest first; return how many.

    Each is sent as an immediate send would be, with its metric times counted from ``send_at``.
    """
    due = take_due_messages(store, now(store))
    for row in due:
        row.update(dict.fromkeys(_FATE_COLUMNS))  # nothing happened to it yet (and no column read back decides)
        links = _decide_fate(store, row, row["send_at"], link_owner=row["link_owner"], draft=False,
                             failure=row["failure"])
        update_message(store, row["id"], {c: row[c] for c in _FATE_COLUMNS})
        _after_delivery(store, row, links, fire=True)
    store.counters["scheduled_sends_delivered"] += len(due)
    return len(due)


def _decide_fate(store: Store, row: dict[str, Any], at: float, *, link_owner: str | None, draft: bool,
                 failure: str | None) -> list[dict[str, Any]]:
    """Fill ``row``'s metric times, failure and clicked link for a send at ``at``; return the template's links."""
    links = links_of(store, link_owner) if link_owner else []
    recipient = row["recipient"]
    suppressed = esp_suppression(store, recipient) if row["type"] == "email" else None
    fate = simulate(row["id"], row["type"], at, recipient=recipient, suppressed=suppressed, draft=draft,
                    has_links=bool(links))
    if failure is not None:
        fate = {"attempted": at, "failed": at + 1, "failure_message": failure}
    row["failure_message"] = fate.pop("failure_message", None)
    row.update(fate)
    if row.get("clicked") is not None and links:
        row["link_id"] = links[int(unit(row["id"], "link") * len(links))]["id"]
    return links


def _after_delivery(store: Store, row: Mapping[str, Any], links: list[dict[str, Any]], *, fire: bool) -> None:
    """What a stored delivery causes: a hard bounce lists the address at the ESP; the listeners hear every metric."""
    address = (row["recipient"] or "").lower()
    if row.get("bounced") is not None and row["type"] == "email" and address and not doc_get(
        store, "esp_bounces", address
    ):
        # A hard bounce puts the address on the ESP's bounce list, as the ESP would.
        doc_put(store, "esp_bounces", address, {
            "created": int(row["bounced"]), "email": address,
            "reason": row["failure_message"] or "bounced", "status": "5.1.1",
        })
    if fire:
        _emit(store, row, {int(lk["id"]): lk["href"] for lk in links})


def recipient_for(store: Store, person: Mapping[str, Any] | None, type: str, template: Mapping[str, Any]
                  ) -> tuple[str | None, str | None]:
    """``(recipient, failure)`` of a message of ``type`` to ``person``."""
    if type == "email":
        email = person.get("email") if person else None
        return (email, None) if email else (None, "The person has no email address")
    if type == "twilio":
        phone = (person.get("attributes") or {}).get("phone") if person else None
        return (str(phone), None) if phone else (None, "The person has no phone attribute")
    if type == "push":
        if person is None:
            return None, "No device to send to"
        device = latest_device(store, person["pk"])
        return (device, None) if device is not None else (None, "The person has no device")
    if type == "webhook":
        return str(template.get("url") or ""), None
    return (person.get("id") if person else None), None


_LIQUID = re.compile(r"{{\s*([a-zA-Z_]+)((?:\.[A-Za-z0-9_-]+)+)\s*(?:\|\s*default:\s*['\"]([^'\"]*)['\"]\s*)?}}")


def render(template: str | None, person: Mapping[str, Any] | None, data: Mapping[str, Any] | None) -> str:
    """Fill ``{{customer.x}}``, ``{{trigger.x}}``/``{{event.x}}``/``{{message_data.x}}`` placeholders.

    A small subset of Liquid (dotted paths and ``| default: "..."``): enough for previews and
    archived messages to show what a recipient saw; unknown placeholders render empty.
    """
    if not template:
        return template or ""
    customer = attribute_view(person) if person else {}

    def lookup(match: re.Match[str]) -> str:
        root, path, default = match.group(1), match.group(2).strip(".").split("."), match.group(3)
        node: Any = customer if root == "customer" else data if root in ("trigger", "event", "message_data") else None
        for part in path:
            node = node.get(part) if isinstance(node, Mapping) else None
        if node in (None, ""):
            return default or ""
        return as_string(node)

    return _LIQUID.sub(lookup, template)


def send_template(
    store: Store,
    *,
    person: Mapping[str, Any] | None,
    template: Mapping[str, Any],
    link_owner: str,
    data: Mapping[str, Any] | None = None,
    created: float | None = None,
    fire: bool = True,
    **refs: Any,
) -> dict[str, Any]:
    """Deliver one action/content ``template`` to ``person``: render it, pick the recipient, record it."""
    msg_type = template.get("type") or "email"
    if msg_type == "in_app":
        msg_type = "push"
    recipient, failure = recipient_for(store, person, msg_type, template)
    rendered_recipient = render(template.get("recipient"), person, data) if template.get("recipient") else None
    if msg_type == "email" and rendered_recipient and "@" in rendered_recipient:
        recipient = rendered_recipient
    return record_delivery(
        store,
        person=person,
        type=msg_type,
        recipient=recipient,
        subject=render(template.get("subject"), person, data) or template.get("name"),
        body=render(template.get("body"), person, data),
        sender=template.get("from"),
        created=created,
        link_owner=link_owner,
        draft=template.get("sending_state") == "draft",
        failure=failure,
        fire=fire,
        **refs,
    )


IMPORT_FILE_BYTES = 64 * 1024 * 1024  # the most an import's data_file_url may hold, after gunzip


class FileTooLarge(ValueError):
    """A fetched file (or its gunzipped content) is over the byte cap."""


async def fetch_url(store: Store, url: str, *, own_base: str, cap: int = IMPORT_FILE_BYTES) -> bytes:
    """The bytes behind ``url`` (gunzipped when gzip), at most ``cap`` of them.

    A file this emulator serves is read from the store, others over HTTP; a body over ``cap``
    stops the read and raises :class:`FileTooLarge`, as does gzip content expanding past it.
    """
    prefix = own_base.rstrip("/") + "/_emulator/files/"
    if url.startswith(prefix):
        found = read_file(store, url[len(prefix):].split("?", 1)[0])
        if found is None:
            raise OSError(f"no such file on this emulator: {url[len(own_base):]}")
        return _capped_gunzip(found, cap)
    if not url.startswith(("http://", "https://")):
        raise OSError("the URL must be http:// or https://")
    import httpx2

    chunks: list[bytes] = []
    size = 0
    try:
        async with httpx2.AsyncClient(timeout=5.0, follow_redirects=True) as client:
            async with client.stream("GET", url) as response:
                if response.status_code != 200:
                    raise OSError(f"GET answered {response.status_code}")
                async for chunk in response.aiter_raw():
                    size += len(chunk)
                    if size > cap:
                        raise FileTooLarge(f"is larger than the emulator's limit of {cap} bytes")
                    chunks.append(chunk)
    except httpx2.HTTPError as exc:
        raise OSError(f"GET failed: {type(exc).__name__}: {exc}") from exc
    return _capped_gunzip(b"".join(chunks), cap)


def _capped_gunzip(raw: bytes, cap: int) -> bytes:
    if len(raw) > cap:
        raise FileTooLarge(f"is larger than the emulator's limit of {cap} bytes")
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return inflate(raw, "gzip", cap=cap)
    except ValueError as exc:  # inflate's only ValueError: the content expands past the cap
        raise FileTooLarge(f"gunzips to more than the emulator's limit of {cap} bytes") from exc
    except (zlib.error, EOFError) as exc:
        raise OSError(f"not valid gzip: {exc}") from exc


