"""The first slice: identify and track through the Pipelines API, sync and async, land in the emulator."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from cio_toolkit import AsyncCustomerIO, BadRequestError, PayloadTooLargeError
from cio_toolkit.pipelines import message_id_for


def uid() -> str:
    return f"qs-{uuid.uuid4().hex[:10]}"


def test_identify_and_track_are_stored(cio, emulator):
    user = uid()
    mid = cio.pipelines.identify(user_id=user, traits={"email": f"{user}@example.com", "plan": "pro"})
    tmid = cio.pipelines.track(
        user_id=user, event="Order Completed", properties={"revenue": 42.5},
        timestamp=dt.datetime(2024, 5, 1, tzinfo=dt.UTC),
    )
    person = emulator.store.find_person(id=user)
    assert person is not None and person["attributes"]["plan"] == "pro"
    assert person["attributes"]["email"] == f"{user}@example.com"
    events = [e for e in emulator.store.events() if e["message_id"] == tmid]
    assert len(events) == 1 and events[0]["name"] == "Order Completed"
    assert events[0]["properties"]["revenue"] == 42.5
    assert mid != tmid


def test_resending_the_same_message_id_is_stored_once(cio, emulator):
    user = uid()
    mids = {cio.pipelines.track(user_id=user, event="Clicked", idempotency_key=f"{user}-click-1") for _ in range(3)}
    assert mids == {message_id_for(f"{user}-click-1")}
    assert [e["message_id"] for e in emulator.store.events()].count(mids.pop()) == 1


async def test_async_identify_and_track(emulator):
    user = uid()
    async with AsyncCustomerIO(**emulator.settings()) as cio:
        await cio.pipelines.identify(user_id=user, traits={"first_name": "Ada"})
        mid = await cio.pipelines.track(user_id=user, event="Signed Up")
    assert emulator.store.find_person(id=user)["attributes"]["first_name"] == "Ada"
    assert any(e["message_id"] == mid for e in emulator.store.events())


def test_strict_mode_header_makes_invalid_data_an_error():
    from cio_toolkit import CustomerIO
    from cio_toolkit.emulator import Emulator

    with Emulator(log=False) as emu, CustomerIO(**emu.settings()) as cio:
        with pytest.raises(BadRequestError) as ei:
            cio.pipelines.track(user_id=uid(), event="x", properties={"n": 1}, context={"ip": 5})
        assert ei.value.status == 400


def test_oversized_call_is_rejected_before_sending(cio, emulator):
    before = len(emulator.requests)
    with pytest.raises(PayloadTooLargeError) as ei:
        cio.pipelines.track(user_id=uid(), event="Big", properties={"blob": "x" * 40_000})
    assert ei.value.limit == 32 * 1024
    assert len(emulator.requests) == before


def test_facade_bulk_load_delivers_a_dataframe(cio, emulator, tmp_path):
    import pandas as pd

    users = [uid() for _ in range(50)]
    df = pd.DataFrame({"user_id": users, "plan": ["pro"] * 50, "seats": range(50)})
    report = cio.bulk.load(df, kind="identify", user_id="user_id", key="user_id",
                           journal=tmp_path / "journal.sqlite", progress=False)
    assert report.rejected == 0 and report.acknowledged == 50
    stored = {p["id"]: p for p in emulator.store.people() if p["id"] in set(users)}
    assert len(stored) == 50 and stored[users[7]]["attributes"]["seats"] == 7
