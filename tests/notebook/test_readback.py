"""The notebooks' read-backs wait for deferred writes: against the production-profile emulator a write
is not readable when answered, and each helper returns only once it shows what was written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cio_toolkit import ConfigError, CustomerIO, NotFoundError, NotReadyError
from cio_toolkit.notebook import (
    activities_frame,
    can_read_back,
    devices_frame,
    object_frame,
    people_frame,
    relationships_frame,
    segment_members_frame,
    wait_until_gone,
)

# Long enough that a read made right after the write cannot see it; short enough for a quick test.
DELAY = "0.4-0.6"


@pytest.fixture(scope="module")
def prod() -> Iterator[Any]:
    from cio_toolkit.emulator import Emulator

    with Emulator(profile="production", seed=None, visibility_delay=DELAY) as emu:
        yield emu


@pytest.fixture
def cio(prod: Any) -> Iterator[CustomerIO]:
    with CustomerIO(**prod.settings()) as client:
        yield client


def test_people_frame_waits_for_the_expected_attributes(cio: CustomerIO, prod: Any) -> None:
    cio.pipelines.identify(user_id="rb-ada", traits={"email": "rb-ada@example.com", "plan": "trial", "seats": 3})
    cio.pipelines.identify(user_id="rb-ada", traits={"plan": "pro", "seats": None, "beta": True})
    assert prod.pending_writes > 0
    with pytest.raises(NotFoundError):
        cio.app.customers.attributes(customer_id="rb-ada")  # what a read without a wait sees
    frame = people_frame(cio, {"rb-ada": {"plan": "pro", "seats": None, "beta": True}}, timeout=10)
    assert frame.to_dict("records") == [{"id": "rb-ada", "email": "rb-ada@example.com",
                                         "cio_id": frame.loc[0, "cio_id"], "plan": "pro", "beta": "true"}]


def test_a_read_back_that_never_matches_raises_naming_the_person(cio: CustomerIO) -> None:
    cio.pipelines.identify(user_id="rb-never", traits={"plan": "free"})
    with pytest.raises(NotReadyError, match="'rb-never'"):
        people_frame(cio, ["rb-never"], expect={"plan": "enterprise"}, timeout=1.5)


def test_activities_and_devices_show_once_all_are_readable(cio: CustomerIO) -> None:
    cio.pipelines.identify(user_id="rb-dev", traits={"email": "rb-dev@example.com"})
    for n in range(3):
        cio.pipelines.track(user_id="rb-dev", event="Clicked", properties={"n": n})
    cio.pipelines.page(user_id="rb-dev", name="Home")
    cio.pipelines.add_device(user_id="rb-dev", token="rb-tok", type="ios", properties={"app_version": "1.0"})
    events = activities_frame(cio, "rb-dev", type="event", name="Clicked", at_least=3, timeout=10)
    assert sorted(d["n"] for d in events["data"]) == [0, 1, 2]
    both = activities_frame(cio, "rb-dev", type=("event", "page"), at_least=4, timeout=10)
    assert sorted(set(both["type"])) == ["event", "page"] and str(both["timestamp"].dtype).startswith("datetime64")
    devices = devices_frame(cio, "rb-dev", expect={"rb-tok": {"app_version": "1.0"}}, timeout=10)
    assert devices[["id", "platform"]].to_dict("records") == [{"id": "rb-tok", "platform": "ios"}]
    cio.pipelines.delete_device(user_id="rb-dev", token="rb-tok", type="ios")
    assert devices_frame(cio, "rb-dev", expect={"rb-tok": None}, timeout=10).empty


def test_objects_relationships_and_removal(cio: CustomerIO) -> None:
    for who in ("rb-m1", "rb-m2"):
        cio.pipelines.group(user_id=who, group_id="rb-org", object_type_id=1, traits={"name": "Org", "seats": 5})
    assert object_frame(cio, 1, "rb-org", expect={"seats": 5}, timeout=10).loc["name", "rb-org"] == "Org"
    members = relationships_frame(cio, object_type_id=1, object_id="rb-org", count=2, timeout=10)
    assert sorted(members["identifiers.id"]) == ["rb-m1", "rb-m2"]
    mine = relationships_frame(cio, customer_id="rb-m1", count=1, timeout=10)
    assert list(mine["identifiers.object_id"]) == ["rb-org"]
    cio.pipelines.delete_person(user_id="rb-m2")
    assert wait_until_gone(cio, "rb-m2", timeout=10) is True
    with pytest.raises(ConfigError, match="customer_id, or object_type_id and object_id"):
        relationships_frame(cio, object_id="rb-org", count=1)


def test_segment_members_wait_for_every_id(cio: CustomerIO) -> None:
    cio.track.customers.identify(id="rb-s1", email="rb-s1@example.com")
    cio.track.customers.identify(id="rb-s2")
    segment_id = int(cio.app.segments.create(name="rb segment")["id"])
    people_frame(cio, ["rb-s1", "rb-s2"], timeout=10)
    cio.track.segments.add_customers(segment_id=segment_id, ids=["rb-s1", "rb-s2"])
    members = segment_members_frame(cio, segment_id, expect=["rb-s1@example.com", "rb-s2"], timeout=10)
    assert sorted(members["id"]) == ["rb-s1", "rb-s2"]


def test_without_an_app_key_the_notebooks_say_what_to_set(prod: Any, capsys: pytest.CaptureFixture[str]) -> None:
    settings = {k: v for k, v in prod.settings().items() if k != "app_api_key"}
    with CustomerIO(**settings) as client:
        assert can_read_back(client) is False
        assert "CIO_APP_API_KEY" in capsys.readouterr().out
        with pytest.raises(ConfigError, match="CIO_APP_API_KEY"):
            people_frame(client, ["anyone"])
