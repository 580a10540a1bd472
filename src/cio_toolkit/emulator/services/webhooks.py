"""Reporting-webhook delivery: the emulator posts the events it simulates to configured webhooks.

Sources of events:

- every delivery metric of sends and broadcast triggers (``services.deliveries.on_delivery_event``):
  ``{channel}_{metric}`` such as ``email_sent``, ``email_bounced``, ``push_opened``;
- subscription changes of people, whichever API made them: a person's ``unsubscribed``
  attribute explicitly set to true or false (``customer_unsubscribed`` / ``customer_subscribed``)
  and changes of ``cio_subscription_preferences`` (``customer_subscription_preferences_changed``).
  TEMP triggers on the ``people`` table write them to a connection-local outbox, so every writer
  (Track, Pipelines, App) is covered and a rolled-back change sends nothing.

Each enabled webhook whose ``events`` list covers an event gets the spec's JSON, signed with
``X-CIO-Timestamp`` / ``X-CIO-Signature`` and that webhook's own key (the ``signing_key`` its
create answer carried once; a webhook the emulator seeded is signed with the configured
``webhook_signing_key``). The timestamp is real time, not the emulator's clock: receivers check
it against their own. Like the real
service, an attempt gets 4 s; a failed attempt (non-2xx, timeout, connection error) is retried
with exponential backoff for a bounded time, and later events for the same webhook wait behind
it: one ordered queue per webhook, drained by an asyncio task on the emulator's event loop. The
request path only appends to that queue. When the emulator stops, its loop cancels the tasks;
events still queued stay in memory and are sent after a restart, as soon as the restarted app's
event loop starts serving (the first attempt of an event cut short by the stop is simply
repeated). Subscription changes written to the store while no emulator was serving are routed at
that moment too.

By default only loopback endpoints (``localhost``, ``127.0.0.1``, ``::1``) are delivered to, so
demo data never leaves the machine by surprise (the demo seed's webhook points at example.com);
``configure_delivery(store, allow_remote=True)`` or ``CIO_EMULATOR_WEBHOOK_REMOTE=1`` lifts that.

Delivery counts appear in ``/_emulator/counters`` (``webhook_events_*`` overall and
``webhook_{id}_*`` per webhook); :func:`delivery_stats` has per-webhook detail, and
:func:`delivery_report` (``GET /_emulator/webhook_deliveries``) adds each webhook's name and
endpoint and the last attempts with their status and outcome.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import weakref
from collections import deque
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx2
import orjson

from cio_toolkit._constants import WEBHOOK_DELIVERY_TIMEOUT
from cio_toolkit._exceptions import ValidationError
from cio_toolkit.webhooks._verify import sign

from ..models import Store
from ..models.content import list_reporting_webhooks, reporting_webhook
from ..models.devices import platform_of
from ..models.messages import message
from ..models.webhooks import install_outbox, take_outbox
from ..registry import on_app_start, on_serving
from .deliveries import on_delivery_event
from .webhook_payloads import build_customer_payload, build_delivery_payload, event_id_for

if TYPE_CHECKING:
    from ..state import EmulatorState

__all__ = [
    "DeliverySettings",
    "WebhookDeliveryStats",
    "build_customer_payload",
    "build_delivery_payload",
    "configure_delivery",
    "delivery_report",
    "delivery_stats",
    "event_id_for",
]

logger = logging.getLogger("cio_toolkit.emulator.webhooks")

REMOTE_ENV = "CIO_EMULATOR_WEBHOOK_REMOTE"
USER_AGENT = "Customer.io Reporting Webhooks (cio_toolkit emulator)"
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_KV_NAMESPACE = "reporting_webhook_sender"
ATTEMPT_HISTORY = 1000  # attempts kept in memory per emulator store for the admin view
# Customer metric -> the event type a webhook subscribes to.
_CUSTOMER_EVENT_TYPE = {
    "subscribed": "customer_subscribed",
    "unsubscribed": "customer_unsubscribed",
    "cio_subscription_preferences_changed": "customer_subscription_preferences_changed",
}
@dataclass(frozen=True)
class DeliverySettings:
    """How the emulator delivers reporting webhooks (per emulator store; see :func:`configure_delivery`)."""

    timeout: float = WEBHOOK_DELIVERY_TIMEOUT  # Customer.io gives up on an attempt after 4 s
    retry_initial: float = 1.0  # first backoff; doubles after each failed attempt
    retry_max: float = 60.0  # longest wait between two attempts
    give_up_after: float = 600.0  # drop an event that has failed for this long (and count it)
    allow_remote: bool = False  # deliver to endpoints that are not loopback addresses

    def __post_init__(self) -> None:
        for name in ("timeout", "retry_initial", "retry_max", "give_up_after"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ValidationError(
                    f"{name} must be a non-negative number of seconds", field=name, limit=">= 0", actual=value
                )
        if self.timeout <= 0:
            raise ValidationError(
                "timeout must be positive", field="timeout", limit="> 0", actual=self.timeout
            )

    def backoff(self, failures: int) -> float:
        """Seconds to wait after the ``failures``-th consecutive failed attempt."""
        return float(min(self.retry_max, self.retry_initial * 2 ** max(0, failures - 1)))


@dataclass
class WebhookDeliveryStats:
    """Delivery counts of one reporting webhook."""

    webhook_id: int
    queued: int = 0
    delivered: int = 0
    failed_attempts: int = 0
    given_up: int = 0
    discarded: int = 0
    skipped: int = 0
    pending: int = 0
    last_status: int | None = None
    last_error: str | None = None
    last_delivered_at: float | None = None


@dataclass
class _Pending:
    event_type: str
    event_id: str
    body: bytes
    queued_at: float
    first_attempt_at: float | None = None
    failures: int = 0


@dataclass
class _Sender:
    """Per-store delivery state: settings, ordered queues, worker tasks and stats."""

    store: weakref.ReferenceType[Store]
    settings: DeliverySettings
    default_key: str = field(default="", repr=False)  # for seeded webhooks, which have no key of their own
    queues: dict[int, deque[_Pending]] = field(default_factory=dict)
    tasks: dict[int, asyncio.Task[None]] = field(default_factory=dict)
    stats: dict[int, WebhookDeliveryStats] = field(default_factory=dict)
    loop: asyncio.AbstractEventLoop | None = None
    drain_scheduled: bool = False
    warned_remote: set[int] = field(default_factory=set)
    attempts: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=ATTEMPT_HISTORY))


_SENDERS: weakref.WeakKeyDictionary[Store, _Sender] = weakref.WeakKeyDictionary()


def _default_settings() -> DeliverySettings:
    return DeliverySettings(allow_remote=os.environ.get(REMOTE_ENV, "") in ("1", "true", "yes"))


def _sender(store: Store) -> _Sender:
    found = _SENDERS.get(store)
    if found is None:
        found = _SENDERS[store] = _Sender(weakref.ref(store), _default_settings())
    return found


def configure_delivery(store: Store, **changes: Any) -> DeliverySettings:
    """Change how an emulator delivers webhooks (``configure_delivery(emu.store, retry_initial=0.05)``)."""
    sender = _sender(store)
    unknown = set(changes) - set(asdict(sender.settings))
    if unknown:
        raise ValidationError(
            f"unknown delivery setting(s) {sorted(unknown)}; known: {sorted(asdict(sender.settings))}",
            field=sorted(unknown)[0],
        )
    sender.settings = replace(sender.settings, **changes)
    return sender.settings


def delivery_stats(store: Store) -> list[dict[str, Any]]:
    """Per-webhook delivery counts and the last error, ordered by webhook id."""
    sender = _sender(store)
    return [asdict(sender.stats[wid]) for wid in sorted(sender.stats)]


def _shown_endpoint(endpoint: Any) -> str | None:
    # Scheme, host, port and path only: credentials or a token in the URL stay out of the view.
    if not endpoint:
        return None
    try:
        parts = urlsplit(str(endpoint))
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(unreadable URL)"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}{port}{parts.path}"


def delivery_report(store: Store, *, limit: int = 50, webhook_id: int | None = None) -> dict[str, Any]:
    """Every configured or used webhook's counts, name and endpoint, plus the last ``limit`` attempts (oldest first).

    ``webhook_id`` narrows both lists to one webhook. Endpoints are shown without credentials,
    query or fragment.
    """
    sender = _sender(store)
    configs = {int(w["id"]): w for w in list_reporting_webhooks(store)}
    stats = dict(sender.stats)
    webhooks = []
    for wid in sorted(set(stats) | set(configs)):
        if webhook_id is not None and wid != webhook_id:
            continue
        config = configs.get(wid)
        row = asdict(stats.get(wid) or WebhookDeliveryStats(wid))
        row.update(
            name=config.get("name") if config else None,
            endpoint=_shown_endpoint(config.get("endpoint")) if config else None,
            disabled=bool(config.get("disabled")) if config else None,
            deleted=config is None,
        )
        webhooks.append(row)
    attempts = [dict(a) for a in list(sender.attempts) if webhook_id is None or a["webhook_id"] == webhook_id]
    return {
        "settings": asdict(sender.settings),
        "pending": sum(len(q) for q in list(sender.queues.values())),
        "webhooks": webhooks,
        "attempts": attempts[-limit:] if limit > 0 else [],
    }


def _salt(store: Store) -> str:
    # Kept in the store, so a reset (which clears kv) starts a new series of event ids even
    # though delivery ids restart from 1: a receiver must not take new events for duplicates.
    salt = store.kv_get(_KV_NAMESPACE, "salt")
    if not isinstance(salt, str):
        salt = os.urandom(8).hex()
        store.kv_set(_KV_NAMESPACE, "salt", salt)
    return salt


def _subscribers(store: Store, event_type: str) -> list[dict[str, Any]]:
    return [
        w
        for w in list_reporting_webhooks(store)
        if not w.get("disabled") and w.get("endpoint") and event_type in (w.get("events") or ())
    ]


def _is_loopback(endpoint: str) -> bool:
    try:
        host = (urlsplit(endpoint).hostname or "").lower()
    except ValueError:
        return False
    return host in _LOOPBACK_HOSTS or host.startswith("127.")


def _count(store: Store, webhook_id: int, name: str, n: int = 1) -> None:
    store.counters[f"webhook_events_{name}"] += n
    store.counters[f"webhook_{webhook_id}_{name}"] += n


def _set_pending(sender: _Sender, store: Store, webhook_id: int) -> None:
    pending = len(sender.queues.get(webhook_id, ()))
    stats = sender.stats.setdefault(webhook_id, WebhookDeliveryStats(webhook_id))
    stats.pending = pending
    store.counters[f"webhook_{webhook_id}_pending"] = pending
    store.counters["webhook_events_pending"] = sum(len(q) for q in sender.queues.values())


def _enqueue(store: Store, webhook: Mapping[str, Any], item: _Pending) -> None:
    sender = _sender(store)
    wid = int(webhook["id"])
    stats = sender.stats.setdefault(wid, WebhookDeliveryStats(wid))
    if not sender.settings.allow_remote and not _is_loopback(str(webhook["endpoint"])):
        stats.skipped += 1
        _count(store, wid, "skipped")
        if wid not in sender.warned_remote:
            sender.warned_remote.add(wid)
            logger.warning(
                "reporting webhook %s points at a non-loopback endpoint; the emulator does not deliver "
                "there unless %s=1 (or configure_delivery(store, allow_remote=True))",
                wid,
                REMOTE_ENV,
            )
        return
    sender.queues.setdefault(wid, deque()).append(item)
    stats.queued += 1
    _count(store, wid, "queued")
    _set_pending(sender, store, wid)
    _ensure_workers(store, sender)


def _ensure_workers(store: Store, sender: _Sender) -> None:
    """Start a worker for every webhook with queued events and none running (also after a restart)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        # Called outside the emulator's loop (a test thread writing to the store): hand over.
        if sender.loop is not None and sender.loop.is_running():
            sender.loop.call_soon_threadsafe(_ensure_workers, store, sender)
        return
    sender.loop = loop
    for wid, queue in sender.queues.items():
        task = sender.tasks.get(wid)
        if queue and (task is None or task.done()):
            sender.tasks[wid] = loop.create_task(_worker(sender, wid), name=f"cio-webhook-{wid}")


def _on_delivery(store: Store, event: dict[str, Any]) -> None:
    event_type = f"{event['channel']}_{event['metric']}"
    webhooks = _subscribers(store, event_type)
    if not webhooks:
        return
    event_id = event_id_for(_salt(store), event["delivery_id"], event["metric"], timestamp=event["timestamp"])
    platform = None
    if event["channel"] == "push" and event.get("recipient"):
        platform = platform_of(store, event["recipient"])
    plain: bytes | None = None
    for webhook in webhooks:
        content = None
        if webhook.get("with_content") and event["metric"] == "sent":
            sent = message(store, event["delivery_id"])
            content = (sent["body"] if sent else None) or ""
        if content is None:
            if plain is None:
                plain = orjson.dumps(
                    build_delivery_payload(event, event_id=event_id, device_platform=platform)
                )
            body = plain
        else:
            body = orjson.dumps(
                build_delivery_payload(event, event_id=event_id, content=content, device_platform=platform)
            )
        _enqueue(store, webhook, _Pending(event_type, event_id, body, time.time()))


def _notify(ref: weakref.ReferenceType[Store]) -> None:
    """Called by the TEMP triggers (inside the writing statement): schedule an outbox drain."""
    store = ref()
    if store is None:
        return
    sender = _sender(store)
    if sender.drain_scheduled:
        return
    try:
        loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is not None:
        sender.loop = loop
        sender.drain_scheduled = True
        # After the current step: by then the writing transaction has committed (or rolled back,
        # taking its outbox rows with it).
        loop.call_soon(_drain_outbox, store)
    elif sender.loop is not None and sender.loop.is_running():
        sender.drain_scheduled = True
        sender.loop.call_soon_threadsafe(_drain_outbox, store)


def _drain_outbox(store: Store) -> None:
    sender = _sender(store)
    sender.drain_scheduled = False
    try:
        rows = take_outbox(store)
        if not rows:
            return
        salt = None
        for change in rows:
            event_type = _CUSTOMER_EVENT_TYPE[change["metric"]]
            webhooks = _subscribers(store, event_type)
            if not webhooks:
                continue
            salt = salt or _salt(store)
            event_id = event_id_for(salt, "customer", change["seq"], change["metric"], timestamp=change["at"])
            body = orjson.dumps(build_customer_payload(change, event_id=event_id))
            for webhook in webhooks:
                _enqueue(store, webhook, _Pending(event_type, event_id, body, time.time()))
    except Exception:  # never let webhook bookkeeping break the emulator's loop
        logger.exception("could not route subscription changes to reporting webhooks")


# --- the worker --------------------------------------------------------------------------


async def _attempt(
    client: httpx2.AsyncClient, endpoint: str, key: str, item: _Pending, sender: _Sender
) -> tuple[bool, int | None, str | None]:
    headers = sign(item.body, key)
    headers["Content-Type"] = "application/json"
    headers["User-Agent"] = USER_AGENT
    try:
        async with asyncio.timeout(sender.settings.timeout):
            response = await client.post(endpoint, content=item.body, headers=headers)
    except TimeoutError:
        return False, None, f"no answer within {sender.settings.timeout:g} s"
    except httpx2.HTTPError as exc:
        return False, None, f"{type(exc).__name__}: {exc}"[:300]
    if 200 <= response.status_code < 300:
        return True, response.status_code, None
    return False, response.status_code, f"HTTP {response.status_code}"


async def _worker(sender: _Sender, wid: int) -> None:
    """Deliver one webhook's queue in order; the head is retried until it succeeds or expires."""
    queue = sender.queues[wid]
    stats = sender.stats.setdefault(wid, WebhookDeliveryStats(wid))
    # trust_env off: a proxy variable must not redirect local deliveries. No client timeout: the
    # attempt's whole budget (connect, send, answer) is enforced by asyncio.timeout in _attempt.
    async with httpx2.AsyncClient(trust_env=False, follow_redirects=False, timeout=None) as client:
        while queue:
            store = sender.store()
            if store is None:
                return
            found = reporting_webhook(store, wid)
            config, key = found if found is not None else (None, None)
            if config is None or config.get("disabled") or not config.get("endpoint"):
                stats.discarded += len(queue)
                _count(store, wid, "discarded", len(queue))
                queue.clear()
                _set_pending(sender, store, wid)
                return
            item = queue[0]
            now = time.monotonic()
            if item.first_attempt_at is None:
                item.first_attempt_at = now
            started_at, t0 = time.time(), time.perf_counter()
            ok, status, error = await _attempt(client, str(config["endpoint"]), key or sender.default_key, item, sender)
            stats.last_status = status
            expired = not ok and time.monotonic() - item.first_attempt_at >= sender.settings.give_up_after
            sender.attempts.append({
                "webhook_id": wid,
                "event_id": item.event_id,
                "event_type": item.event_type,
                "attempt": item.failures + 1,
                "at": started_at,
                "duration_ms": round((time.perf_counter() - t0) * 1000, 3),
                "status": status,
                "error": error,
                "outcome": "delivered" if ok else "given_up" if expired else "retrying",
            })
            if ok:
                queue.popleft()
                stats.delivered += 1
                stats.last_delivered_at = time.time()
                _count(store, wid, "delivered")
                _set_pending(sender, store, wid)
                continue
            item.failures += 1
            stats.failed_attempts += 1
            stats.last_error = error
            _count(store, wid, "failed_attempts")
            if expired:
                queue.popleft()
                stats.given_up += 1
                _count(store, wid, "given_up")
                _set_pending(sender, store, wid)
                logger.warning(
                    "reporting webhook %s: gave up on event %s after %d attempts (%s)",
                    wid,
                    item.event_id,
                    item.failures,
                    error,
                )
                continue
            await asyncio.sleep(sender.settings.backoff(item.failures))
    # An event queued while the client was closing found this task still running and started no
    # other: look again once this task is done.
    store = sender.store()
    if queue and store is not None:
        asyncio.get_running_loop().call_soon(_ensure_workers, store, sender)


# --- wiring ------------------------------------------------------------------------------


@on_app_start
def _install(state: EmulatorState) -> None:
    store = state.store
    sender = _sender(store)
    sender.default_key = state.config.keys.webhook_signing_key
    sender.drain_scheduled = False  # a drain scheduled on a previous (stopped) loop never ran
    ref = weakref.ref(store)
    install_outbox(store, lambda: _notify(ref))


@on_serving
def _resume(state: EmulatorState) -> None:
    """On the serving loop: restart queues that outlived a stopped loop, route changes written meanwhile."""
    store = state.store
    sender = _sender(store)
    sender.loop = asyncio.get_running_loop()
    _ensure_workers(store, sender)
    if not sender.drain_scheduled:
        _drain_outbox(store)


on_delivery_event(_on_delivery)
