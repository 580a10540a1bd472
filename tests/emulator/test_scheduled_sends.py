"""Scheduled sends (a transactional ``send_at``) are delivered when the emulator's clock passes their time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from cio_toolkit import CustomerIO
from cio_toolkit.emulator import Emulator
from cio_toolkit.emulator.services.deliveries import off_delivery_event, on_delivery_event

HOUR = 3600


@pytest.fixture
def cio(emu: Emulator) -> Iterator[CustomerIO]:
    with CustomerIO(**emu.settings()) as client:
        yield client


@pytest.fixture
def heard(emu: Emulator) -> Iterator[list[dict[str, Any]]]:
    """The delivery events this emulator's store fires, in order."""
    events: list[dict[str, Any]] = []

    def listen(store: Any, event: dict[str, Any]) -> None:
        if store is emu.store:
            events.append(event)

    on_delivery_event(listen)
    yield events
    off_delivery_event(listen)


def send(cio: CustomerIO, person: str, **extra: Any) -> str:
    answer = cio.app.send.email(identifiers={"id": person}, to=f"{person}@example.com", subject="Later",
                                body="<p>hi</p>", from_="team@example.com", **extra)
    return str(answer["delivery_id"])


def metrics(cio: CustomerIO, delivery_id: str) -> dict[str, int]:
    return dict(cio.app.messages.get(message_id=delivery_id)["metrics"])


def test_a_send_an_hour_ahead_waits_for_the_clock(emu: Emulator, cio: CustomerIO, heard: list[dict[str, Any]]) -> None:
    send_at = int(emu.state.clock.now()) + HOUR
    delivery_id = send(cio, "later", send_at=send_at)
    assert set(metrics(cio, delivery_id)) == {"created"} and heard == []

    assert emu.advance_clock(HOUR - 60)["delivered"] == 0
    assert set(metrics(cio, delivery_id)) == {"created"} and heard == []

    moved = emu.advance_clock(60)
    assert moved["delivered"] == 1 and moved["offset"] >= HOUR
    # Delivered before advance_clock returned: its metrics are stored and every listener heard them.
    sent = metrics(cio, delivery_id)
    assert {"sent", "delivered"} <= set(sent) and sent["sent"] >= send_at
    assert [e["metric"] for e in heard][:3] == ["attempted", "sent", "delivered"]
    assert {e["delivery_id"] for e in heard} == {delivery_id}
    activities = cio.app.customers.activities(customer_id="later", type="sent_email").to_list()
    assert [a["delivery_id"] for a in activities] == [delivery_id]
    assert emu.store.counters["scheduled_sends"] == 1 and emu.store.counters["scheduled_sends_delivered"] == 1
    assert emu.advance_clock(HOUR)["delivered"] == 0  # sent once


def test_a_past_send_at_sends_now_and_a_draft_is_never_sent(emu: Emulator, cio: CustomerIO) -> None:
    past = send(cio, "past", send_at=int(emu.state.clock.now()) - 10)
    assert "sent" in metrics(cio, past)
    draft = send(cio, "draft", send_at=int(emu.state.clock.now()) + 60, queue_draft=True)
    emu.advance_clock(HOUR)
    assert set(metrics(cio, draft)) == {"created", "drafted"}


def test_the_admin_route_moves_the_clock_and_runs_what_fell_due(emu: Emulator, cio: CustomerIO) -> None:
    delivery_id = send(cio, "admin", send_at=int(emu.state.clock.now()) + 2 * HOUR)
    with httpx2.Client(base_url=emu.url, timeout=10) as admin:
        before = admin.get("/_emulator/clock").json()
        assert before["offset"] == 0
        assert admin.post("/_emulator/clock", json={"advance": HOUR}).json()["delivered"] == 0
        target = before["now"] + 2 * HOUR + 1
        moved = admin.post("/_emulator/clock", json={"now": target}).json()
        assert moved["delivered"] == 1 and moved["now"] >= target
        assert "sent" in metrics(cio, delivery_id)
        for bad, field in (({"advance": -1}, "body.advance"), ({"now": 0}, "body.now"),
                           ({"advance": 1, "now": target}, "body"), ({"later": 1}, "body.later"),
                           ({"advance": "soon"}, "body.advance")):
            answer = admin.post("/_emulator/clock", json=bad)
            assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == field, bad
        assert admin.post("/_emulator/clock", json=[1]).status_code == 400


def test_the_clock_is_every_now_of_the_workspace_and_reset_returns_to_real_time(
    emu: Emulator, cio: CustomerIO
) -> None:
    emu.advance_clock(30 * 86400)
    ahead = emu.state.clock.now()
    cio.track.customers.identify(id="future", email="future@example.com")
    cio.track.events.track(id="future", name="came_back")
    person = emu.store.find_person(id="future")
    assert person is not None and person["created_at"] >= ahead - 1
    [event] = emu.store.events(person_pk=person["pk"])
    assert event["timestamp"] >= ahead - 1
    emu.reset()
    assert emu.state.clock.offset == 0 and abs(emu.state.clock.now() - time.time()) < 60


def test_a_due_send_goes_out_in_real_time_without_an_advance(emu: Emulator, cio: CustomerIO) -> None:
    delivery_id = send(cio, "realtime", send_at=int(emu.state.clock.now()) + HOUR)
    # Moved behind the scheduler's back (no due work run): the serving loop's task finds it.
    emu.state.clock.advance(HOUR)
    deadline = time.monotonic() + 10
    while "sent" not in metrics(cio, delivery_id):
        assert time.monotonic() < deadline, "the background task never sent the due delivery"
        time.sleep(0.05)
    assert emu.store.counters["scheduled_sends_delivered"] == 1
