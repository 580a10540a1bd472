"""The official Python Track client (``customerio.track``), unchanged, against the emulator over TLS.

It builds only https URLs, so it talks to emulators serving TLS and trusts them through
``REQUESTS_CA_BUNDLE`` alone. The scenarios and their checks are those of customerio-node's
TrackClient (tests/sdk/_track.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from customerio.client_base import CustomerIOException
from customerio.track import CustomerIO as OfficialTrack

from cio_toolkit.emulator import Emulator
from tests.sdk import _track
from tests.sdk._peers import AppReader, Peers, open_peers, requests_trust

pytestmark = pytest.mark.sdk


@pytest.fixture(scope="module")
def peers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peers]:
    """The TLS emulator pair: ``main`` logged, ``refused`` for requests refused on purpose."""
    folder: Path = tmp_path_factory.mktemp("track-sdk")
    with open_peers(folder, tls=True) as found:
        yield found


@pytest.fixture(scope="module")
def app_of() -> Iterator[AppReader]:
    reader = AppReader()
    yield reader
    reader.close()


@pytest.fixture(autouse=True)
def _trusted(peers: Peers) -> Iterator[None]:
    with requests_trust(peers):
        yield


def _user() -> str:
    return f"sdk-py-{uuid.uuid4().hex[:10]}"


def _official(emu: Emulator, api_key: str | None = None) -> Any:
    """The official client pointed at ``emu`` by host and port, as its README shows; no retries."""
    return OfficialTrack(site_id=emu.keys.site_id, api_key=api_key or emu.keys.track_api_key,
                         host=emu.host, port=emu.port, retries=0)


# Each scenario's calls, by the name of its check in _track.CHECKS (the twins of node/scenarios/track_*.js).


def _identify_id(official: Any, user: str) -> None:
    official.identify(id=user, email=f"{user}@example.com", plan="pro")


def _identify_email(official: Any, user: str) -> None:
    official.identify(id=f"{user}@example.com", plan="basic")


def _devices(official: Any, user: str) -> None:
    official.identify(id=user)
    official.add_device(user, f"{user}-token", "ios", attributes={"app_version": "1.2.3"})
    official.add_device(user, f"{user}-gone", "android")
    official.delete_device(user, f"{user}-gone")


def _merge(official: Any, user: str) -> None:
    official.identify(id=user, plan="pro")
    official.identify(id=f"{user}-dup", utm="ads")
    official.merge_customers("id", user, "id", f"{user}-dup")


def _suppress_cycle(*, unsuppress: bool) -> Callable[[Any, str], None]:
    def calls(official: Any, user: str) -> None:
        official.identify(id=user, email=f"{user}@example.com")
        official.suppress(user)
        if unsuppress:
            official.unsuppress(user)
        official.identify(id=user, plan="back")

    return calls


def _delete(official: Any, user: str) -> None:
    official.identify(id=user)
    official.delete(user)


def _anonymous(official: Any, user: str) -> None:
    official.track_anonymous(f"{user}-anon", "Viewed Pricing", {"plan": "pro"})


def _events(official: Any, user: str) -> None:
    official.identify(id=user, plan="free")
    official.track(user, "Order Completed", {"total": 42.5})
    official.pageview(user, "/pricing")


def _metrics(official: Any, user: str) -> None:
    # The client has no metrics methods; its own send_request posts to the two endpoints.
    official.send_request("POST", f"{official.base_url}/push/events", {
        "delivery_id": f"{user}-delivery", "event": "opened", "device_id": f"{user}-token", "timestamp": 1700000000,
    })
    official.send_request("POST", f"{official.base_url}/metrics", {
        "delivery_id": f"{user}-delivery", "metric": "clicked", "timestamp": 1700000060,
        "href": "https://example.com/offer",
    })


_CALLS: dict[str, Callable[[Any, str], None]] = {
    "identify_id": _identify_id,
    "identify_email": _identify_email,
    "devices": _devices,
    "merge": _merge,
    "suppress": _suppress_cycle(unsuppress=False),
    "unsuppress": _suppress_cycle(unsuppress=True),
    "delete": _delete,
    "anonymous": _anonymous,
    "events": _events,
    "metrics": _metrics,
}


@pytest.mark.parametrize("name", list(_track.CHECKS))
def test_scenario_lands(name: str, peers: Peers, app_of: AppReader) -> None:
    user = _user()
    with _official(peers.main) as official:
        _CALLS[name](official, user)
    _track.CHECKS[name](peers.main, app_of(peers.main), user)


def test_v2_batch(peers: Peers, app_of: AppReader) -> None:
    user = _user()
    with _official(peers.main) as official:
        official.batch([
            {"type": "person", "identifiers": {"id": user}, "action": "identify", "attributes": {"plan": "basic"}},
            {"type": "person", "identifiers": {"id": user}, "action": "event", "name": "batched",
             "attributes": {"n": 1}},
        ])
    app = app_of(peers.main)
    assert app.customers.attributes(customer_id=user, id_type="id")["attributes"]["plan"] == "basic"
    assert [a["name"] for a in app.customers.activities(customer_id=user, type="event").to_list()] == ["batched"]


def test_wrong_key_reaches_the_exception(peers: Peers, app_of: AppReader) -> None:
    user = _user()
    with _official(peers.main, api_key="not-the-key") as official, pytest.raises(CustomerIOException) as info:
        official.identify(id=user)
    # The client's text is "<status>: <url> <data> <body>".
    text = str(info.value)
    assert text.startswith("401: ") and text.endswith("Unauthorized request"), text
    _track.check_nobody(peers.main, app_of(peers.main), user)


def test_validation_error_names_the_field(peers: Peers, app_of: AppReader) -> None:
    user = _user()
    with _official(peers.refused) as official, pytest.raises(CustomerIOException) as info:
        official.identify(id=user, too_long=_track.TOO_LONG)
    # The client's text is "<status>: <url> <data> <body>": the field must be named in the body.
    text = str(info.value)
    body = text.split(str({"too_long": _track.TOO_LONG}), 1)[1]
    assert text.startswith("400: ") and "too_long" in body, text
    _track.check_nobody(peers.refused, app_of(peers.refused), user)
