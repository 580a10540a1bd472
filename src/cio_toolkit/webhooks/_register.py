"""Point a reporting webhook at a receiver through the App API, and wait for deliveries to land."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cio_toolkit._exceptions import ValidationError
from cio_toolkit._types import UNSET
from cio_toolkit._wait import wait_until
from cio_toolkit.specs import load_spec
from cio_toolkit.webhooks._receiver import Receiver

if TYPE_CHECKING:
    from cio_toolkit._client import AsyncCustomerIO, CustomerIO
    from cio_toolkit.app import AppClient, AsyncAppClient
    from cio_toolkit.webhooks._store import WebhookStore

__all__ = [
    "EVENT_TYPES",
    "async_register_receiver",
    "register_receiver",
    "wait_for_events",
]


def _spec_event_types() -> tuple[str, ...]:
    schema = load_spec("reporting_webhooks")["components"]["schemas"]["reportingWebhook"]
    return tuple(schema["properties"]["events"]["items"]["enum"])


EVENT_TYPES: tuple[str, ...] = _spec_event_types()
"""Every event type a reporting webhook can subscribe to (``email_sent``, ``customer_unsubscribed``, ...)."""

DEFAULT_NAME = "cio_toolkit receiver"


def _events(events: Iterable[str] | None) -> list[str]:
    if events is None:
        return list(EVENT_TYPES)
    if isinstance(events, str):
        raise ValidationError("events must be a list of event types, not one string", field="events")
    wanted = list(dict.fromkeys(events))
    if not wanted:
        raise ValidationError("events needs at least one event type", field="events", limit=1, actual=0)
    unknown = [e for e in wanted if e not in EVENT_TYPES]
    if unknown:
        raise ValidationError(
            f"events: {unknown} are not reporting-webhook event types (see EVENT_TYPES)",
            field="events",
            limit="the spec's event types",
            actual=unknown,
        )
    return wanted


def _check(url: str, name: str) -> None:
    if not isinstance(url, str):
        raise ValidationError("url must be a string", field="url", actual=type(url).__name__)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("url must be an http:// or https:// URL with a host", field="url", actual=url)
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("name must be a non-empty string", field="name", actual=name)


def _same_endpoint(a: Any, b: str) -> bool:
    return isinstance(a, str) and a.rstrip("/") == b.rstrip("/")


def _plan(
    listed: Iterable[Mapping[str, Any]], *, url: str, name: str, events: list[str], disabled: bool
) -> tuple[int | None, dict[str, Any]]:
    """The webhook to update (None: create one) and the body to send, from the webhooks already there."""
    existing = next((w for w in listed if _same_endpoint(w.get("endpoint"), url)), None)
    body: dict[str, Any] = {"name": name, "endpoint": url, "events": events, "disabled": disabled}
    # An update replaces the configuration: keep the options this helper does not manage.
    for option in ("full_resolution", "with_content"):
        body[option] = existing.get(option, UNSET) if existing is not None else UNSET
    return (None if existing is None else int(existing["id"])), body


def _start(
    client: Any, target: str | Receiver, name: str, events: Iterable[str] | None
) -> tuple[Any, str, list[str]]:
    """Check the arguments; the reporting-webhooks resource, the URL and the event types wanted."""
    wanted = _events(events)
    url = target.url if isinstance(target, Receiver) else target
    _check(url, name)
    # A CustomerIO facade or an App client; the facade creates its App client lazily.
    return (client.app if hasattr(client, "app") else client).reporting_webhooks, url, wanted


def _trust(target: str | Receiver, answer: Mapping[str, Any]) -> dict[str, Any]:
    """The answer as a dict; a new webhook's ``signing_key`` (the emulator answers it) is given to the receiver."""
    key = answer.get("signing_key")
    if isinstance(target, Receiver) and isinstance(key, str) and key:
        target.add_signing_key(key)
    return dict(answer)


def register_receiver(
    app_client: CustomerIO | AppClient, url: str | Receiver, *,
    name: str = DEFAULT_NAME, events: Sequence[str] | None = None, disabled: bool = False,
) -> dict[str, Any]:
    """Create a reporting webhook posting to ``url`` (all event types by default), or update the one already there.

    ``url`` may be a running :class:`Receiver`: it then also accepts the new webhook's signing key
    when the create answer carries it (``signing_key``, which the emulator answers once). Where an
    answer has no key (an update, or a workspace that shows keys only in its UI), the receiver
    needs the webhook's key given to it (``CIO_WEBHOOK_SIGNING_KEY``, :meth:`Receiver.add_signing_key`).
    """
    hooks, target, wanted = _start(app_client, url, name, events)
    webhook_id, body = _plan(hooks.list(), url=target, name=name, events=wanted, disabled=disabled)
    return _trust(url, hooks.create(**body) if webhook_id is None else hooks.update(webhook_id=webhook_id, **body))


async def async_register_receiver(
    app_client: AsyncCustomerIO | AsyncAppClient, url: str | Receiver, *,
    name: str = DEFAULT_NAME, events: Sequence[str] | None = None, disabled: bool = False,
) -> dict[str, Any]:
    """Async :func:`register_receiver`."""
    hooks, target, wanted = _start(app_client, url, name, events)
    listed = await (await hooks.list()).to_list()
    webhook_id, body = _plan(listed, url=target, name=name, events=wanted, disabled=disabled)
    if webhook_id is None:
        return _trust(url, await hooks.create(**body))
    return _trust(url, await hooks.update(webhook_id=webhook_id, **body))


def wait_for_events(
    source: Receiver | WebhookStore, count: int, *, timeout: float = 30.0, interval: float = 0.05
) -> int:
    """Wait until ``source`` has stored at least ``count`` events; return the number stored.

    Raises :class:`NotReadyError` saying how many arrived when ``timeout`` seconds pass first.
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValidationError(
            "count must be a non-negative integer", field="count", limit=">= 0", actual=count
        )
    store = source.store if isinstance(source, Receiver) else source
    return wait_until(lambda: (n if (n := store.count()) >= count else None), timeout=timeout, interval=interval,
                      message=lambda: f"{store.count()} of {count} webhook events arrived within {timeout:g} s")
