"""The emulator posts reporting-webhook events to real local receivers (no mocks)."""

from __future__ import annotations

import asyncio
import itertools
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import orjson
import pytest
import uvicorn

from cio_toolkit import CustomerIO
from cio_toolkit._exceptions import WebhookSignatureError
from cio_toolkit.emulator import Emulator, create_app
from cio_toolkit.emulator._server import bind_socket, make_server
from cio_toolkit.emulator.services.webhooks import configure_delivery, delivery_stats
from cio_toolkit.webhooks import (
    EVENT_TYPES,
    Receiver,
    WebhookStore,
    create_receiver,
    parse_event,
    register_receiver,
    verify,
    wait_for_events,
)

from .._servers import Action, ScriptedServer

FAST = {"timeout": 0.4, "retry_initial": 0.02, "retry_max": 0.08, "give_up_after": 10.0}
EMAIL_TYPES = [e for e in EVENT_TYPES if e.startswith("email_")]


@pytest.fixture
def emu() -> Iterator[Emulator]:
    # Own emulator per test: its webhooks must not see other tests' sends (nor theirs ours).
    with Emulator(rate_limits=False) as e:
        configure_delivery(e.store, **FAST)
        yield e


@pytest.fixture
def cio(emu: Emulator) -> Iterator[CustomerIO]:
    with CustomerIO(**emu.settings()) as client:
        yield client


def settle(emu: Emulator, timeout: float = 15.0) -> dict[str, int]:
    """Wait until every queued event was delivered, given up or discarded; return the counters."""
    deadline = time.monotonic() + timeout
    while True:
        counters = dict(emu.store.counters)
        if counters.get("webhook_events_pending", 0) == 0:
            return counters
        assert time.monotonic() < deadline, f"deliveries still pending: {delivery_stats(emu.store)}"
        time.sleep(0.02)


def send_emails(cio: CustomerIO, n: int, *, bounce: int = 1) -> list[str]:
    """Identify ``n`` people with an email (plus ``bounce`` bouncing ones) and send each an email."""
    run = uuid.uuid4().hex[:8]
    delivery_ids = []
    addresses = [f"p{i}-{run}@example.com" for i in range(n)] + [
        f"bounce{i}-{run}@bounce.test" for i in range(bounce)
    ]
    for i, address in enumerate(addresses):
        person = f"{run}-{i}"
        cio.track.customers.identify(id=person, email=address)
        sent = cio.app.send.email(
            identifiers={"id": person},
            to=address,
            subject=f"Hello {i}",
            body="<p>Hi</p>",
            from_="team@example.com",
        )
        delivery_ids.append(sent["delivery_id"])
    return delivery_ids


def expected_events(emu: Emulator, delivery_ids: list[str], types: list[str]) -> set[tuple[str, str]]:
    """(delivery_id, metric) of every metric the emulator recorded for these deliveries, per subscribed type."""
    metrics = (
        "attempted",
        "sent",
        "delivered",
        "opened",
        "clicked",
        "converted",
        "bounced",
        "spammed",
        "unsubscribed",
        "dropped",
        "failed",
        "undeliverable",
    )
    out = set()
    for row in emu.store.query(
        f"SELECT * FROM app_messages WHERE id IN ({','.join('?' * len(delivery_ids))})", delivery_ids
    ):
        out |= {(row["id"], m) for m in metrics if row[m] is not None and f"email_{m}" in types}
    return out


class RecordingReceiver:
    """The real receiver app behind a wrapper that records acknowledgements and fails on a script.

    Script entries: ``"500"`` / ``"429"`` answer that status without storing; ``"slow"`` stores the
    event (the real app runs) but answers after the emulator's attempt timeout, so the retry is a
    duplicate the store must absorb.
    """

    def __init__(self, key: str, path: Path, script: list[str] | None = None, slow_by: float = 1.0) -> None:
        self.store = WebhookStore(path)
        self.inner = create_receiver(key, self.store)
        self.script = list(script or [])
        self.slow_by = slow_by
        self.attempted: list[str] = []  # event id of every request, in arrival order
        self.acked: list[str] = []  # event ids answered 200 in time, in order
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        self.sock = sock
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
        config = uvicorn.Config(
            self.app, interface="asgi3", log_level="warning", access_log=False, lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)

    async def app(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http":
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        event_id = orjson.loads(body)["event_id"]
        self.attempted.append(event_id)
        mode = self.script.pop(0) if self.script else "ok"
        if mode in ("500", "429"):
            await send({"type": "http.response.start", "status": int(mode), "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return dict(await receive())

        async def answer(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                if mode == "slow":
                    await asyncio.sleep(self.slow_by)  # stored already; the emulator has given up waiting
                elif message["status"] == 200:
                    self.acked.append(event_id)
            await send(message)

        await self.inner(scope, replay, answer)

    def trust(self, hook: dict[str, Any]) -> None:
        """Accept deliveries signed with the key of ``hook`` (a createWebhook answer)."""
        self.inner.state.signing_keys.append(hook["signing_key"])

    def __enter__(self) -> RecordingReceiver:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.005)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(5)
        self.sock.close()
        self.store.close()


def test_end_to_end_every_event_is_verified_and_stored_once(
    emu: Emulator, cio: CustomerIO, tmp_path: Path
) -> None:
    with Receiver(emu.keys.webhook_signing_key, tmp_path / "events.duckdb") as receiver:
        # Given the receiver, register_receiver hands it the new webhook's own signing key.
        hook = register_receiver(cio, receiver)
        assert hook["events"] == list(EVENT_TYPES) and hook["disabled"] is False
        delivery_ids = send_emails(cio, 5, bounce=1)
        counters = settle(emu)
        expected = expected_events(emu, delivery_ids, list(EVENT_TYPES))

        frame = receiver.store.to_pandas()
        assert set(zip(frame["delivery_id"], frame["metric"], strict=True)) == expected
        assert receiver.store.count() == len(expected) == counters["webhook_events_delivered"]
        assert counters["webhook_events_queued"] == len(expected)
        assert frame["event_id"].is_unique
        # Every stored body parses into the spec's typed class, with the person's identifiers.
        for raw in receiver.store.iter_raw():
            event = parse_event(orjson.loads(raw))
            assert event.is_typed, raw
            assert event.object_type == "email" and event.data.identifiers is not None
            assert event.data.identifiers.email == event.data.get("recipient")
        bounced = frame[frame["metric"] == "bounced"]
        assert len(bounced) == 1 and bounced["recipient"].iloc[0].startswith("bounce0-")
        assert "550" in bounced["failure_message"].iloc[0]
        stats = delivery_stats(emu.store)
        assert stats[0]["webhook_id"] == hook["id"] and stats[0]["failed_attempts"] == 0


def test_failing_receiver_gets_every_event_in_order_without_duplicates(
    emu: Emulator, cio: CustomerIO, tmp_path: Path
) -> None:
    key = emu.keys.webhook_signing_key
    script = ["500", "slow", "429", "500", "slow"]
    with (
        RecordingReceiver(key, tmp_path / "healthy.duckdb") as healthy,
        RecordingReceiver(key, tmp_path / "flaky.duckdb", script=list(script), slow_by=1.0) as flaky,
    ):
        healthy.trust(register_receiver(cio, healthy.url, name="healthy", events=EMAIL_TYPES))
        flaky.trust(register_receiver(cio, flaky.url, name="flaky", events=EMAIL_TYPES))
        send_emails(cio, 4, bounce=1)
        counters = settle(emu)

        queued = counters["webhook_events_queued"] // 2
        assert queued >= 10
        assert healthy.store.count() == queued and flaky.store.count() == queued
        assert flaky.store.event_ids() == healthy.store.event_ids()
        # Retries of one event are back to back (later events wait behind it) and the events
        # arrive in the same order as at the healthy webhook.
        assert [event_id for event_id, _ in itertools.groupby(flaky.attempted)] == healthy.acked
        assert len(healthy.acked) == queued and len(flaky.attempted) == queued + len(script)
        stats = {s["webhook_id"]: s for s in delivery_stats(emu.store)}
        assert sorted(s["failed_attempts"] for s in stats.values()) == [0, len(script)]
        assert all(s["given_up"] == 0 and s["pending"] == 0 for s in stats.values())


def test_signature_verifies_with_the_webhooks_own_key_only_and_drops_are_retried(
    emu: Emulator, cio: CustomerIO
) -> None:
    # A dropped connection, a server error and an answer slower than the attempt timeout.
    script = [Action(drop=True), Action(status=500), Action(delay=0.8)]
    with ScriptedServer(*script) as server:
        hook = register_receiver(
            cio, server.url + "/hook", events=["email_sent", "email_delivered", "email_bounced"]
        )
        send_emails(cio, 2, bounce=1)
        counters = settle(emu)
        seen = list(server.seen)
    queued = counters["webhook_events_queued"]
    assert len(seen) == queued + len(script) and counters["webhook_events_delivered"] == queued
    assert len({orjson.loads(s.body)["event_id"] for s in seen}) == queued
    for request in seen:
        assert request.path == "/hook" and request.headers["Content-Type"] == "application/json"
        verify(request.body, request.headers, hook["signing_key"])
        for other in ("some-other-signing-key", emu.keys.webhook_signing_key):
            with pytest.raises(WebhookSignatureError) as caught:
                verify(request.body, request.headers, other)
            assert caught.value.reason == "bad_signature"


def test_receiver_with_another_key_rejects_and_stores_nothing(
    emu: Emulator, cio: CustomerIO, tmp_path: Path
) -> None:
    configure_delivery(emu.store, give_up_after=0.3)
    with Receiver("not-the-emulator-key", tmp_path / "wrong.duckdb") as receiver:
        hook = register_receiver(cio, receiver.url, events=["email_sent"])
        send_emails(cio, 1, bounce=0)
        settle(emu)
        assert receiver.store.count() == 0
    stats = delivery_stats(emu.store)[0]
    assert stats["webhook_id"] == hook["id"] and stats["last_status"] == 401
    assert stats["given_up"] == 1 and stats["delivered"] == 0 and stats["failed_attempts"] >= 2


def test_disabled_webhooks_and_unsubscribed_types_get_nothing(emu: Emulator, cio: CustomerIO) -> None:
    with ScriptedServer() as disabled, ScriptedServer() as bounces_only, ScriptedServer() as everything:
        register_receiver(cio, disabled.url, disabled=True)
        register_receiver(cio, bounces_only.url, events=["email_bounced"])
        register_receiver(cio, everything.url)
        send_emails(cio, 3, bounce=2)
        settle(emu)
        assert disabled.seen == []
        metrics = [orjson.loads(s.body)["metric"] for s in bounces_only.seen]
        assert metrics == ["bounced", "bounced"]
        assert len(everything.seen) > len(metrics)
        # A webhook disabled later stops receiving (anything still queued for it is discarded).
        hooks = {h["endpoint"]: h for h in cio.app.reporting_webhooks.list()}
        target = hooks[everything.url]
        cio.app.reporting_webhooks.update(
            webhook_id=target["id"],
            name=target["name"],
            endpoint=target["endpoint"],
            events=target["events"],
            disabled=True,
        )
        before = len(everything.seen)
        send_emails(cio, 1, bounce=0)
        settle(emu)
        assert len(everything.seen) == before


def test_subscription_changes_reach_customer_webhooks(emu: Emulator, cio: CustomerIO) -> None:
    person = f"sub-{uuid.uuid4().hex[:8]}"
    with ScriptedServer() as server:
        register_receiver(cio, server.url, events=[e for e in EVENT_TYPES if e.startswith("customer_")])
        cio.track.customers.identify(id=person, email=f"{person}@example.com", unsubscribed=True)
        cio.track.customers.identify(id=person, unsubscribed=False)
        cio.track.customers.identify(id=person, unsubscribed=False)  # no change, no event
        cio.track.customers.identify(id=person, attributes={"plan": "pro"})  # unrelated change
        cio.track.customers.identify(id=person, cio_subscription_preferences={"topics": {"topic_1": False}})
        deadline = time.monotonic() + 5
        while len(server.seen) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        settle(emu)
        events = [parse_event(orjson.loads(s.body)) for s in server.seen]
    assert [(type(e).__name__, e.metric) for e in events] == [
        ("PersonUnsubscribed", "unsubscribed"),
        ("PersonSubscribed", "subscribed"),
        ("PersonCioSubscriptionPreferencesChanged", "cio_subscription_preferences_changed"),
    ]
    assert all(e.data.customer_id == person and e.data.identifiers is not None for e in events)
    assert events[0].data.get("email_address") == f"{person}@example.com"
    assert orjson.loads(events[2].data.get("content")) == {"topics": {"topic_1": False}}
    assert len({e.event_id for e in events}) == 3


def test_unsubscribe_by_delivery_reaches_customer_and_email_webhooks(emu: Emulator, cio: CustomerIO) -> None:
    [delivery_id] = send_emails(cio, 1, bounce=0)
    row = emu.store.query("SELECT customer_id, email, unsubscribed FROM app_messages WHERE id = ?", (delivery_id,))[0]
    assert row["unsubscribed"] is None  # the simulated fate of this delivery holds no unsubscribe
    with ScriptedServer() as server:
        # Registered after the send: only what the unsubscribe causes is delivered here.
        register_receiver(cio, server.url, events=["customer_unsubscribed", "email_unsubscribed"])
        cio.track.customers.unsubscribe(delivery_id=delivery_id)
        cio.track.customers.unsubscribe(delivery_id=delivery_id)  # already unsubscribed: nothing new
        cio.track.customers.unsubscribe(delivery_id="not-a-delivery-of-this-emulator")
        deadline = time.monotonic() + 5
        while len(server.seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        settle(emu)
        events = sorted((parse_event(orjson.loads(s.body)) for s in server.seen), key=lambda e: e.object_type)
    assert [(e.object_type, e.metric) for e in events] == [("customer", "unsubscribed"), ("email", "unsubscribed")]
    customer, email = events
    assert customer.data.customer_id == row["customer_id"]
    assert customer.data.get("email_address") == row["email"]
    assert email.data.get("delivery_id") == delivery_id and email.data.get("recipient") == row["email"]


def test_gives_up_after_the_retry_budget_and_moves_on(emu: Emulator, cio: CustomerIO) -> None:
    configure_delivery(emu.store, retry_initial=0.02, retry_max=0.02, give_up_after=0.15)
    with ScriptedServer(*[Action(status=503)] * 200) as server:
        register_receiver(cio, server.url, events=["email_sent", "email_delivered"])
        send_emails(cio, 2, bounce=0)
        time.sleep(0.5)  # the first event exhausts its budget while the server keeps failing
        server.script.clear()
        counters = settle(emu)
    assert counters["webhook_events_given_up"] >= 1
    assert counters["webhook_events_delivered"] + counters["webhook_events_given_up"] == 4
    assert counters["webhook_events_delivered"] >= 1


def test_remote_endpoints_are_skipped_unless_allowed(emu: Emulator, cio: CustomerIO) -> None:
    register_receiver(cio, "https://hooks.example.invalid/cio", events=["email_sent"])
    send_emails(cio, 1, bounce=0)
    counters = settle(emu)
    assert counters["webhook_events_skipped"] == 1 and counters.get("webhook_events_queued", 0) == 0


def test_stop_cancels_retrying_workers_and_restart_resumes(
    emu: Emulator, cio: CustomerIO, tmp_path: Path
) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens: every attempt is refused
    url = f"http://127.0.0.1:{port}/"
    hook = register_receiver(cio, url, events=["email_sent"])
    send_emails(cio, 2, bounce=0)
    deadline = time.monotonic() + 5
    while emu.store.counters["webhook_events_failed_attempts"] < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    t0 = time.monotonic()
    emu.stop()
    assert time.monotonic() - t0 < 3 and not emu.running
    assert emu.store.counters["webhook_events_pending"] == 2
    with (
        Receiver(hook["signing_key"], tmp_path / "late.duckdb", port=port) as receiver,
        ScriptedServer() as other,
    ):
        emu.start()
        # The queue survives the restart and resumes as the restarted app starts serving; an event
        # routed meanwhile for another webhook neither waits behind it nor disturbs it.
        register_receiver(cio, other.url, events=["customer_unsubscribed"])
        cio.track.customers.identify(id=f"resume-{uuid.uuid4().hex[:6]}", unsubscribed=True)
        wait_for_events(receiver, 2, timeout=5)
        # The change is routed on the loop after the identify was answered: wait for it, then settle.
        deadline = time.monotonic() + 5
        while not other.seen and time.monotonic() < deadline:
            time.sleep(0.02)
        settle(emu)
        assert receiver.store.count() == 2 and len(other.seen) == 1


def free_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port: int = probe.getsockname()[1]
    probe.close()  # nothing listens there until a test starts a receiver on it
    return port


def stop_with_queued_events(emu: Emulator, cio: CustomerIO, url: str, events: list[str]) -> dict[str, Any]:
    """Queue two email_sent events for an unreachable ``url``, then stop the emulator mid-retry; return the webhook."""
    hook = register_receiver(cio, url, events=events)
    send_emails(cio, 2, bounce=0)
    deadline = time.monotonic() + 5
    while emu.store.counters["webhook_events_failed_attempts"] < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    emu.stop()
    assert emu.store.counters["webhook_events_pending"] == 2
    return hook


@contextmanager
def serving(emu: Emulator, *, lifespan: str) -> Iterator[str]:
    """A fresh app on the stopped emulator's store, served by uvicorn with ``lifespan`` on or off."""
    app = create_app(emu.config, store=emu.store)
    server = make_server(app)
    server.config.lifespan = lifespan
    sock = bind_socket()
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the app did not start"
            time.sleep(0.005)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()


def test_queues_resume_when_the_restarted_app_starts_serving(emu: Emulator, cio: CustomerIO, tmp_path: Path) -> None:
    port = free_port()
    hook = stop_with_queued_events(emu, cio, f"http://127.0.0.1:{port}/", ["email_sent", "customer_unsubscribed"])
    # Written while nothing serves: queued in the outbox, routed once a loop runs again.
    person = f"stopped-{uuid.uuid4().hex[:6]}"
    emu.store.upsert_person(id=person, attributes={"unsubscribed": True})
    with (
        Receiver(hook["signing_key"], tmp_path / "resumed.duckdb", port=port) as receiver,
        serving(emu, lifespan="on"),
    ):
        # Not one request reaches the new app: its startup alone resumes the queue.
        wait_for_events(receiver, 3, timeout=5)
        settle(emu)
        frame = receiver.store.to_pandas()
    assert sorted(frame["metric"]) == ["sent", "sent", "unsubscribed"]
    assert frame.loc[frame["metric"] == "unsubscribed", "customer_id"].tolist() == [person]
    assert emu.store.counters["webhook_events_pending"] == 0


def test_without_lifespan_events_the_first_request_resumes_the_queues(
    emu: Emulator, cio: CustomerIO, tmp_path: Path
) -> None:
    port = free_port()
    hook = stop_with_queued_events(emu, cio, f"http://127.0.0.1:{port}/", ["email_sent"])
    with (
        Receiver(hook["signing_key"], tmp_path / "first.duckdb", port=port) as receiver,
        serving(emu, lifespan="off") as url,
    ):
        time.sleep(0.3)
        assert receiver.store.count() == 0  # no lifespan startup, no request yet: nothing resumed
        assert httpx2.get(f"{url}/_emulator/health", timeout=5).status_code == 200
        wait_for_events(receiver, 2, timeout=5)
        settle(emu)
        assert receiver.store.count() == 2


def test_admin_view_lists_webhook_stats_and_recent_attempts(emu: Emulator, cio: CustomerIO) -> None:
    with ScriptedServer(Action(status=500)) as server:
        hook = register_receiver(cio, server.url + "/hook?token=s3cr3t-token", name="admin view",
                                 events=["email_sent"])
        send_emails(cio, 1, bounce=0)
        settle(emu)
    with httpx2.Client(base_url=emu.url, timeout=5) as admin:
        answer = admin.get("/_emulator/webhook_deliveries")
        assert answer.status_code == 200 and "s3cr3t-token" not in answer.text
        report = answer.json()
        [stats] = report["webhooks"]
        assert stats["webhook_id"] == hook["id"] and stats["name"] == "admin view"
        assert stats["endpoint"] == server.url + "/hook" and stats["deleted"] is False
        assert (stats["queued"], stats["delivered"], stats["failed_attempts"], stats["pending"]) == (1, 1, 1, 0)
        attempts = report["attempts"]
        assert [(a["attempt"], a["status"], a["outcome"]) for a in attempts] == [
            (1, 500, "retrying"),
            (2, 200, "delivered"),
        ]
        assert len({a["event_id"] for a in attempts}) == 1 and attempts[0]["event_type"] == "email_sent"
        assert attempts[0]["error"] == "HTTP 500" and attempts[1]["error"] is None
        assert report["pending"] == 0 and report["settings"]["timeout"] == FAST["timeout"]

        last = admin.get("/_emulator/webhook_deliveries", params={"limit": 1}).json()["attempts"]
        assert last == attempts[-1:]
        other = admin.get("/_emulator/webhook_deliveries", params={"webhook_id": hook["id"] + 1}).json()
        assert other["webhooks"] == [] and other["attempts"] == []
        bad = admin.get("/_emulator/webhook_deliveries", params={"limit": "many"})
        assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "query.limit"
