"""What the Track scenarios leave in the emulator, checked the same way for both Track SDKs.

customerio-node's TrackClient (node/scenarios/track_*.js) and the Python ``customerio.track``
client (tests/track/test_official_client.py) make the same calls with the same data; these
read it back over the App API (people, devices, activities) or, where the App API shows nothing
(anonymous events, reported metrics), from the store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import pytest

from cio_toolkit import NotFoundError
from cio_toolkit.app import AppClient
from cio_toolkit.emulator import Emulator

TOO_LONG = "x" * 1100  # the value of the attribute "too_long", over the 1000-byte limit


def _customer(app: AppClient, ref: str, id_type: Literal["id", "email"] = "id") -> dict[str, Any]:
    return dict(app.customers.attributes(customer_id=ref, id_type=id_type))


def _absent(app: AppClient, user: str) -> None:
    with pytest.raises(NotFoundError):
        app.customers.attributes(customer_id=user, id_type="id")


def check_identify_id(emu: Emulator, app: AppClient, user: str) -> None:
    """identify by id: the person with their email and plan."""
    attributes = _customer(app, user)["attributes"]
    assert (attributes["email"], attributes["plan"]) == (f"{user}@example.com", "pro")


def check_identify_email(emu: Emulator, app: AppClient, user: str) -> None:
    """identify by email: one person known by that email only, with their plan."""
    email = f"{user}@example.com"
    [found] = app.customers.find(email=email).to_list()
    assert found["email"] == email and not found.get("id")
    assert _customer(app, email, "email")["attributes"]["plan"] == "basic"


def check_devices(emu: Emulator, app: AppClient, user: str) -> None:
    """Two devices added, one deleted: the other one is left, with its attributes."""
    devices = [{k: d[k] for k in ("id", "platform", "attributes")} for d in _customer(app, user)["devices"]]
    assert devices == [{"id": f"{user}-token", "platform": "ios", "attributes": {"app_version": "1.2.3"}}]


def check_merge(emu: Emulator, app: AppClient, user: str) -> None:
    """The secondary person merged into the primary: its attributes kept, its profile gone."""
    attributes = _customer(app, user)["attributes"]
    assert (attributes["plan"], attributes["utm"]) == ("pro", "ads")
    _absent(app, f"{user}-dup")


def check_suppressed(emu: Emulator, app: AppClient, user: str) -> None:
    """Suppressed, then added again: the profile is deleted, and stays so until unsuppressed."""
    _absent(app, user)


def check_unsuppressed(emu: Emulator, app: AppClient, user: str) -> None:
    """Suppressed, unsuppressed, added again: the person is back with their new attributes."""
    assert _customer(app, user)["attributes"]["plan"] == "back"


def check_deleted(emu: Emulator, app: AppClient, user: str) -> None:
    """Deleted: the profile is gone."""
    _absent(app, user)


def check_anonymous(emu: Emulator, app: AppClient, user: str) -> None:
    """An anonymous event: stored under its anonymous id, with its data, for nobody yet."""
    mine = [e for e in emu.store.events(name="Viewed Pricing") if e["anonymous_id"] == f"{user}-anon"]
    assert [(e["person_pk"], e["properties"]) for e in mine] == [(None, {"plan": "pro"})]


def check_events(emu: Emulator, app: AppClient, user: str) -> None:
    """An event and a page view, as the person's activities of those types."""
    activities = {
        (kind, a["name"]): a["data"]
        for kind in ("event", "page")
        for a in app.customers.activities(customer_id=user, type=kind).to_list()
    }
    assert activities == {("event", "Order Completed"): {"total": 42.5}, ("page", "/pricing"): {}}


def check_metrics(emu: Emulator, app: AppClient, user: str) -> None:
    """A push metric and a delivery metric for one delivery, each recorded with what it said."""
    rows = emu.store.query(
        "SELECT metric, timestamp, device, href, source FROM track_metrics WHERE delivery_id = ? ORDER BY timestamp",
        (f"{user}-delivery",),
    )
    assert rows == [
        {"metric": "opened", "timestamp": 1700000000, "device": f"{user}-token", "href": None, "source": "push"},
        {"metric": "clicked", "timestamp": 1700000060, "device": None, "href": "https://example.com/offer",
         "source": "metrics"},
    ]


def check_nobody(emu: Emulator, app: AppClient, user: str) -> None:
    """A refused identify created nobody."""
    _absent(app, user)


Check = Callable[[Emulator, AppClient, str], None]

# The check of each scenario that must succeed, by the scenario's name (node/scenarios/track_<name>.js).
CHECKS: dict[str, Check] = {
    "identify_id": check_identify_id,
    "identify_email": check_identify_email,
    "devices": check_devices,
    "merge": check_merge,
    "suppress": check_suppressed,
    "unsuppress": check_unsuppressed,
    "delete": check_deleted,
    "anonymous": check_anonymous,
    "events": check_events,
    "metrics": check_metrics,
}
