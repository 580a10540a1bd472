"""What the CDP scenarios leave in the emulator, checked the same way for both CDP SDKs.

Node (node/scenarios/cdp_*.js) and Python (test_cdp_analytics_python.py) send the same calls
with the same data; these read it back: people, relationships and activities over the App API,
each event by the messageId the SDK reported from the store.
"""

from __future__ import annotations

from typing import Any

from cio_toolkit.app import AppClient
from cio_toolkit.emulator import Emulator

NODE_LIBRARY = "@customerio/cdp-analytics-node"
PYTHON_LIBRARY = "analytics-python"


def attributes(app: AppClient, user: str) -> dict[str, Any]:
    """The person's attributes, over the App API."""
    return dict(app.customers.attributes(customer_id=user, id_type="id")["attributes"])


def events(emu: Emulator, message_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The stored events of these messageIds, by messageId."""
    wanted = set(message_ids)
    return {e["message_id"]: e for e in emu.store.events() if e["message_id"] in wanted}


def _object_ids(app: AppClient, user: str) -> set[str]:
    return {r["identifiers"]["object_id"] for r in app.customers.relationships(customer_id=user).to_list()}


def _owner(emu: Emulator, user: str) -> int:
    person = emu.store.find_person(id=user)
    assert person is not None, f"{user} was never stored"
    return int(person["pk"])


def check_identify(app: AppClient, user: str) -> None:
    """identify: the user with their email and plan."""
    got = attributes(app, user)
    assert (got["email"], got["plan"]) == (f"{user}@example.com", "pro")


def check_track(emu: Emulator, app: AppClient, user: str, message_id: str, library: str) -> None:
    """identify then track: the event with its properties, the SDK named in its context, the user's plan."""
    [event] = events(emu, [message_id]).values()
    assert (event["type"], event["name"], event["properties"]) == (
        "track",
        "Order Completed",
        {"total": 42.5, "items": 2},
    )
    assert event["context"]["library"]["name"] == library
    assert event["person_pk"] == _owner(emu, user)
    assert attributes(app, user)["plan"] == "free"
    activity = app.customers.activities(customer_id=user, type="event", name="Order Completed").to_list()
    assert [a["data"] for a in activity] == [{"total": 42.5, "items": 2}]


def check_page(emu: Emulator, user: str, message_id: str) -> None:
    """page: a named page view with its URL, for the user."""
    [event] = events(emu, [message_id]).values()
    assert (event["type"], event["name"]) == ("page", "Pricing")
    assert event["properties"]["url"] == "https://example.com/pricing"
    assert event["person_pk"] == _owner(emu, user)


def check_screen(emu: Emulator, user: str, message_id: str) -> None:
    """screen: a named screen view with its properties, for the user."""
    [event] = events(emu, [message_id]).values()
    assert (event["type"], event["name"], event["properties"]) == ("screen", "Settings", {"tab": "privacy"})
    assert event["person_pk"] == _owner(emu, user)


def check_group(emu: Emulator, app: AppClient, user: str) -> None:
    """group: the object (type 1) with its traits, and the user related to it."""
    team = f"{user}-team"
    [obj] = emu.store.query("SELECT * FROM objects WHERE object_id = ?", (team,))
    assert (obj["object_type_id"], obj["attributes"]) == ("1", {"name": "Team", "seats": 5})
    assert _object_ids(app, user) == {team}


def check_alias(emu: Emulator, app: AppClient, user: str) -> None:
    """identify anonymously, identify, alias: one person holding both profiles' traits."""
    assert {k: v for k, v in attributes(app, user).items() if k in ("utm", "plan")} == {"utm": "ads", "plan": "pro"}
    anonymous = emu.store.find_person(anonymous_id=f"{user}-anon")
    assert anonymous is not None and anonymous["id"] == user


def check_batch(emu: Emulator, app: AppClient, user: str, message_ids: list[str]) -> None:
    """identify, track, page, screen and group flushed together: all stored, all the user's."""
    stored = events(emu, message_ids)
    assert sorted(e["type"] for e in stored.values()) == ["page", "screen", "track"]
    assert {e["person_pk"] for e in stored.values()} == {_owner(emu, user)}
    assert attributes(app, user)["source"] == "batch"
    assert _object_ids(app, user) == {f"{user}-org"}


def check_nothing_stored(emu: Emulator, user: str, message_id: str) -> None:
    """A refused call left no person and no event behind."""
    assert emu.store.find_person(id=user) is None
    assert events(emu, [message_id]) == {}
