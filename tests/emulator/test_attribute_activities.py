"""A person's attribute changes are activities (type ``attribute_change``), whichever API made them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cio_toolkit import CustomerIO
from cio_toolkit.emulator import Emulator

from .._servers import Action, ScriptedServer


@pytest.fixture
def cio(emu: Emulator) -> Iterator[CustomerIO]:
    with CustomerIO(**emu.settings()) as client:
        yield client


def changes(cio: CustomerIO, person: str) -> list[dict[str, Any]]:
    """The person's attribute_change data, oldest first (one attribute each)."""
    found = cio.app.customers.activities(customer_id=person, type="attribute_change", limit=100).to_list()
    assert all(a["type"] == "attribute_change" and a["customer_id"] == person for a in found)
    return [a["data"] for a in sorted(found, key=lambda a: (a["timestamp"], int(a["id"][1:])))]


def test_track_identify_records_each_change_once(emu: Emulator, cio: CustomerIO) -> None:
    cio.track.customers.identify(id="t1", attributes={"plan": "free", "seats": 3})
    assert changes(cio, "t1") == [{"plan": {"from": "", "to": "free"}}, {"seats": {"from": "", "to": "3"}}]
    cio.track.customers.identify(id="t1", attributes={"plan": "pro", "seats": 3})  # seats unchanged
    cio.track.customers.identify(id="t1", attributes={"plan": "pro"})  # nothing changes
    cio.track.customers.identify(id="t1", attributes={"seats": ""})  # the Track API: "" removes
    assert changes(cio, "t1")[2:] == [{"plan": {"from": "free", "to": "pro"}}, {"seats": {"from": "3", "to": ""}}]
    [newest] = cio.app.customers.activities(customer_id="t1", type="attribute_change", limit=1).to_list()[:1]
    assert newest["data"] == {"seats": {"from": "3", "to": ""}}
    assert newest["timestamp"] >= int(emu.state.clock.now()) - 5
    # Other activity types do not include them, and workspace-wide listing does.
    assert cio.app.customers.activities(customer_id="t1", type="event").to_list() == []
    everywhere = cio.app.activities.list(type="attribute_change", customer_id="t1").to_list()
    assert len(everywhere) == 4


def test_pipelines_identify_and_an_app_import_are_recorded_too(emu: Emulator, cio: CustomerIO) -> None:
    cio.pipelines.identify(user_id="p1", traits={"tier": "silver"})
    cio.pipelines.identify(user_id="p1", traits={"tier": "gold", "city": None})
    assert changes(cio, "p1") == [{"tier": {"from": "", "to": "silver"}}, {"tier": {"from": "silver", "to": "gold"}}]
    with ScriptedServer(Action(raw=b"id,tier\np1,platinum\n")) as files:
        cio.app.imports.create(name="tiers", data_file_url=f"{files.url}/tiers.csv", type="people", identifier="id")
    assert changes(cio, "p1")[-1] == {"tier": {"from": "gold", "to": "platinum"}}


def test_an_unsubscribe_by_delivery_is_an_attribute_change(emu: Emulator, cio: CustomerIO) -> None:
    cio.track.customers.identify(id="u1", email="u1@example.com")
    sent = cio.app.send.email(identifiers={"id": "u1"}, to="u1@example.com", subject="Hi", body="<p>hi</p>",
                              from_="team@example.com")
    cio.track.customers.unsubscribe(delivery_id=sent["delivery_id"])
    cio.track.customers.unsubscribe(delivery_id=sent["delivery_id"])  # already true: no second change
    assert changes(cio, "u1")[-1] == {"unsubscribed": {"from": "", "to": "true"}}
    assert [c for c in changes(cio, "u1") if "unsubscribed" in c] == [{"unsubscribed": {"from": "", "to": "true"}}]
