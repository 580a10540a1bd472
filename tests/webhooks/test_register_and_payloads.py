"""register_receiver against the emulator, wait_for_events, summaries, and the emulator's payload builders."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pandas as pd
import pytest

from cio_toolkit import AsyncCustomerIO, CustomerIO
from cio_toolkit._exceptions import NotReadyError, ValidationError
from cio_toolkit.emulator import Emulator
from cio_toolkit.emulator.services.webhooks import (
    DeliverySettings,
    build_customer_payload,
    build_delivery_payload,
    configure_delivery,
    event_id_for,
)
from cio_toolkit.webhooks import (
    EVENT_TYPES,
    WebhookStore,
    async_register_receiver,
    bounces_by_domain,
    metric_counts,
    parse_event,
    register_receiver,
    registered_events,
    wait_for_events,
)

from .conftest import payload


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(rate_limits=False) as e:
        yield e


@pytest.fixture
def cio(emu: Emulator) -> Iterator[CustomerIO]:
    with CustomerIO(**emu.settings()) as client:
        yield client


def test_register_creates_then_updates_the_webhook_for_the_same_endpoint(cio: CustomerIO) -> None:
    url = f"http://127.0.0.1:9/{time.time_ns()}"
    created = register_receiver(cio, url, events=["email_sent", "email_bounced"])
    assert created["endpoint"] == url and created["events"] == ["email_sent", "email_bounced"]
    # Options the helper does not manage survive its updates.
    cio.app.reporting_webhooks.update(
        webhook_id=created["id"],
        name=created["name"],
        endpoint=url,
        events=created["events"],
        with_content=True,
    )
    updated = register_receiver(cio.app, url + "/", name="renamed", disabled=True)
    assert updated["id"] == created["id"]
    assert updated["name"] == "renamed" and updated["disabled"] is True and updated["with_content"] is True
    assert updated["events"] == list(EVENT_TYPES)
    same = [w for w in cio.app.reporting_webhooks.list() if w["endpoint"].rstrip("/") == url]
    assert len(same) == 1


async def test_async_register(emu: Emulator) -> None:
    url = f"http://127.0.0.1:9/async-{time.time_ns()}"
    async with AsyncCustomerIO(**emu.settings()) as cio:
        first = await async_register_receiver(cio, url, events=["customer_unsubscribed"])
        again = await async_register_receiver(cio, url, events=["customer_subscribed"])
    assert again["id"] == first["id"] and again["events"] == ["customer_subscribed"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"events": ["email_sent", "email_teleported"]}, "events"),
        ({"events": []}, "events"),
        ({"events": "email_sent"}, "events"),
        ({"name": " "}, "name"),
    ],
)
def test_register_rejects_bad_input_before_any_request(emu: Emulator, kwargs: dict, field: str) -> None:
    before = len(emu.requests)
    with CustomerIO(**emu.settings()) as cio:
        with pytest.raises(ValidationError) as caught:
            register_receiver(cio, "http://127.0.0.1:9/x", **kwargs)
        assert caught.value.field == field
        with pytest.raises(ValidationError) as caught:
            register_receiver(cio, "ftp://files.example.com/x")
        assert caught.value.field == "url"
    assert len(emu.requests) == before


def test_wait_for_events_returns_the_count_or_times_out(tmp_path: Path) -> None:
    with WebhookStore(tmp_path / "w.duckdb") as store:
        for i in range(3):
            store.add(parse_event(payload(f"w-{i}")), orjson.dumps(payload(f"w-{i}")))
        assert wait_for_events(store, 3, timeout=0) == 3
        t0 = time.monotonic()
        with pytest.raises(NotReadyError, match=r"3 of 5 webhook events arrived within 0\.2 s"):
            wait_for_events(store, 5, timeout=0.2)
        assert time.monotonic() - t0 < 1
        with pytest.raises(ValidationError):
            wait_for_events(store, -1)


def test_metric_counts_and_bounces_by_domain() -> None:
    rows = [
        ("email", "sent", "d1", "a@x.com"),
        ("email", "delivered", "d1", "a@x.com"),
        ("email", "opened", "d1", "a@x.com"),
        ("email", "opened", "d1", "a@x.com"),  # a second open
        ("email", "sent", "d2", "b@X.com"),
        ("email", "bounced", "d2", "b@X.com"),
        ("email", "bounced", "d3", "c@y.org"),  # its sent event was not subscribed to
        ("sms", "sent", "d4", "+15550100"),
    ]
    frame = pd.DataFrame(rows, columns=["object_type", "metric", "delivery_id", "recipient"])
    counts = dict(zip(*metric_counts(frame).to_dict("list").values(), strict=True))
    assert counts == {"bounced": 2, "delivered": 1, "opened": 1, "sent": 2}
    assert metric_counts(frame, object_type=None).set_index("metric")["value"]["sent"] == 3
    bounces = bounces_by_domain(frame)
    assert bounces.to_dict("records") == [
        {"domain": "x.com", "messages": 2, "bounced": 1, "bounce_rate": 0.5},
        {"domain": "y.org", "messages": 1, "bounced": 1, "bounce_rate": 1.0},
    ]
    with pytest.raises(ValidationError) as caught:
        bounces_by_domain(frame.drop(columns=["recipient"]))
    assert caught.value.field == "events"


def _delivery_event(channel: str, metric: str) -> dict:
    return {
        "metric": metric,
        "timestamp": 1_700_000_000,
        "delivery_id": "RPILAgABcRhIBqSp7kiPekGBIeVh",
        "channel": channel,
        "recipient": "+15550100" if channel == "sms" else "a@example.com",
        "customer_id": "u1",
        "identifiers": {"id": "u1", "email": "a@example.com", "cio_id": "c1"},
        "campaign_id": None,
        "broadcast_id": 3,
        "newsletter_id": None,
        "action_id": 12,
        "content_id": None,
        "transactional_message_id": None,
        "trigger_id": 7,
        "subject": "Hello",
        "href": "https://example.com/a",
        "link_id": 4,
        "failure_message": "550 no such user",
    }


def test_every_typed_delivery_event_is_built_to_parse_into_its_class() -> None:
    typed = {k: v for k, v in registered_events().items() if k[0] != "customer"}
    assert len(typed) > 40
    for (object_type, metric), cls in typed.items():
        body = build_delivery_payload(
            _delivery_event(object_type, metric), event_id="E1", device_platform="ios", content="<p>x</p>"
        )
        event = parse_event(orjson.loads(orjson.dumps(body)))
        assert type(event) is cls, (object_type, metric, body)
        assert event.data.identifiers is not None and event.data.identifiers.cio_id == "c1"
        assert ("content" in body["data"]) is (metric == "sent")
        if object_type == "push":
            assert body["data"]["recipients"][0] == {
                "device_id": "a@example.com",
                "device_platform": "ios",
            } | (
                {"failure_message": "550 no such user"}
                if metric in ("bounced", "dropped", "failed", "undeliverable")
                else {}
            )
    clicked = build_delivery_payload(_delivery_event("email", "clicked"), event_id="E2")
    assert clicked["data"]["href"] == "https://example.com/a" and clicked["data"]["link_id"] == 4
    assert "failure_message" not in clicked["data"]


def test_customer_payloads_parse_into_their_classes() -> None:
    change = {"customer_id": "u1", "email": "a@example.com", "cio_id": "c1", "at": 1_700_000_000.5}
    for metric, name in [
        ("subscribed", "PersonSubscribed"),
        ("unsubscribed", "PersonUnsubscribed"),
        ("cio_subscription_preferences_changed", "PersonCioSubscriptionPreferencesChanged"),
    ]:
        event = parse_event(build_customer_payload({**change, "metric": metric}, event_id="C1"))
        assert type(event).__name__ == name and event.data.customer_id == "u1"


def test_event_ids_are_ulid_shaped_time_ordered_and_stable() -> None:
    a = event_id_for("salt", "d1", "sent", timestamp=1_700_000_000)
    assert a == event_id_for("salt", "d1", "sent", timestamp=1_700_000_000)
    assert len(a) == 26 and set(a) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert a != event_id_for("salt", "d1", "opened", timestamp=1_700_000_000)
    assert a != event_id_for("other", "d1", "sent", timestamp=1_700_000_000)
    assert a < event_id_for("salt", "d0", "sent", timestamp=1_700_000_001)


def test_delivery_settings_are_validated(emu: Emulator) -> None:
    with pytest.raises(ValidationError) as caught:
        DeliverySettings(timeout=0)
    assert caught.value.field == "timeout"
    with pytest.raises(ValidationError) as caught:
        configure_delivery(emu.store, retry_initial=-1)
    assert caught.value.field == "retry_initial"
    with pytest.raises(ValidationError) as caught:
        configure_delivery(emu.store, retries=3)
    assert caught.value.field == "retries"
    assert DeliverySettings(retry_initial=1, retry_max=5).backoff(4) == 5
    assert DeliverySettings().timeout == 4.0
