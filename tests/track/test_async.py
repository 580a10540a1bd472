"""AsyncTrackClient: the same operations, awaited, against the session emulator."""

from __future__ import annotations

import pytest

from cio_toolkit import AsyncCustomerIO
from cio_toolkit._exceptions import NotFoundError, ValidationError
from cio_toolkit.emulator import Emulator
from cio_toolkit.track import AsyncTrackClient, v2

from .conftest import uid


@pytest.fixture
async def atrack(emulator: Emulator):  # type: ignore[no-untyped-def]
    async with AsyncCustomerIO(**emulator.settings()) as cio:
        yield cio.track


async def test_async_v1_operations(atrack: AsyncTrackClient, emulator: Emulator) -> None:
    pid, other, name = uid(), uid(), uid("ev")
    await atrack.customers.identify(id=pid, email=f"{pid}@example.com", attributes={"plan": "pro"})
    await atrack.customers.identify(id=other, attributes={"city": "Rome"})
    event_id = await atrack.events.track(id=pid, name=name, data={"n": 1})
    await atrack.events.track(id=pid, name=name, event_id=event_id)
    await atrack.events.track_anonymous(anonymous_id=uid("anon"), name=name)
    await atrack.customers.add_device(id=pid, device_id="tok", platform="android")
    await atrack.customers.delete_device(id=pid, device_id="tok")
    await atrack.customers.merge(primary={"id": pid}, secondary={"id": other})
    await atrack.events.metric(delivery_id=uid("d"), metric="opened")
    with pytest.warns(DeprecationWarning) as warned:
        await atrack.events.push_metric(delivery_id=uid("d"), event="delivered", device_id="tok")
    assert warned[0].filename == __file__
    await atrack.customers.unsubscribe(delivery_id=uid("d"))
    await atrack.forms.submit(form_id="f1", data={"id": pid, "note": "hi"})
    rows = emulator.store.query("SELECT attributes FROM people WHERE id = ?", (pid,))
    assert rows[0]["attributes"] == {"plan": "pro", "city": "Rome", "email": f"{pid}@example.com", "note": "hi"}
    assert len(emulator.store.events(name=name)) == 2
    await atrack.customers.suppress(id=pid)
    await atrack.customers.unsuppress(id=pid)
    await atrack.customers.delete(id=pid)
    assert emulator.store.query("SELECT 1 FROM people WHERE id = ?", (pid,)) == []
    region = await atrack.region()
    assert region.region == "us"
    async with await atrack.with_account_region() as regional:
        assert (await regional.region()) == region


async def test_async_segments(atrack: AsyncTrackClient, emulator: Emulator) -> None:
    emulator.store.execute("INSERT INTO segments (name, type) VALUES (?, 'manual')", (uid("seg"),))
    seg = int(emulator.store.query("SELECT max(id) AS id FROM segments")[0]["id"])
    pid = uid()
    await atrack.customers.identify(id=pid)
    assert await atrack.segments.add_customers(segment_id=seg, ids=[pid]) == 1
    await atrack.segments.remove_customers(segment_id=seg, ids=[pid])
    assert emulator.store.query("SELECT 1 FROM segment_members WHERE segment_id = ?", (seg,)) == []
    with pytest.raises(NotFoundError):
        await atrack.segments.add_customers(segment_id=seg + 1000, ids=[pid])


async def test_async_v2(atrack: AsyncTrackClient, emulator: Emulator) -> None:
    pid = uid()
    sent = await atrack.v2.entity(v2.person_identify(id=pid, attributes={"a": 1}))
    assert sent["identifiers"] == {"id": pid}
    result = await atrack.v2.batch([v2.person_event(id=pid, name="x"), v2.person_event(id=pid, name="e" * 101)])
    assert [(e.index, e.field) for e in result.errors] == [(1, "name")] and result.delivered == 1
    with pytest.raises(ValidationError):
        await atrack.v2.entity(v2.person_identify(id=""))
