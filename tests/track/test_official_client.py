"""The official ``customerio`` package, pointed at the emulator, is served like the real API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from requests.adapters import HTTPAdapter

from cio_toolkit.emulator import Emulator

from .conftest import uid

track_mod = pytest.importorskip("customerio.track")


class _PlainHTTP(HTTPAdapter):
    """The package always builds https:// URLs; the emulator speaks plain HTTP on loopback."""

    def send(self, request: Any, **kwargs: Any) -> Any:
        request.url = request.url.replace("https://", "http://", 1)
        return super().send(request, **kwargs)


@pytest.fixture
def official(emulator: Emulator) -> Iterator[Any]:
    client = track_mod.CustomerIO(site_id=emulator.keys.site_id, api_key=emulator.keys.track_api_key,
                                  host="127.0.0.1", port=emulator.port, retries=0)
    client.base_url = client.base_url.replace("https://", "http://", 1)
    client.http.mount("https://127.0.0.1", _PlainHTTP())
    yield client
    client.close()


def test_official_client_identify_track_devices_suppress_merge(official: Any, emulator: Emulator) -> None:
    a, b, name = uid("off"), uid("off"), uid("ev")
    official.identify(id=a, email=f"{a}@example.com", plan="pro")
    official.identify(id=b, city="Paris")
    official.track(customer_id=a, name=name, data={"amount": 5})
    official.track_anonymous(anonymous_id=uid("anon"), name=name)
    official.add_device(customer_id=a, device_id="tok-official", platform="ios")
    official.merge_customers("id", a, "id", b)
    row = emulator.store.query("SELECT * FROM people WHERE id = ?", (a,))[0]
    assert row["attributes"]["plan"] == "pro" and row["attributes"]["city"] == "Paris"
    assert len(emulator.store.events(name=name)) == 2
    assert emulator.store.query("SELECT device_id FROM devices WHERE person_pk = ?", (row["pk"],)) == [
        {"device_id": "tok-official"}
    ]
    official.delete_device(customer_id=a, device_id="tok-official")
    official.suppress(customer_id=a)
    assert emulator.store.query("SELECT 1 FROM people WHERE id = ?", (a,)) == []
    official.unsuppress(customer_id=a)
    official.delete(customer_id=b)


def test_official_client_v2_batch(official: Any, emulator: Emulator) -> None:
    pid = uid("off")
    official.batch([
        {"type": "person", "identifiers": {"id": pid}, "action": "identify", "attributes": {"plan": "basic"}},
        {"type": "person", "identifiers": {"id": pid}, "action": "event", "name": "batched",
         "attributes": {"n": 1}},
    ])
    row = emulator.store.query("SELECT pk, attributes FROM people WHERE id = ?", (pid,))[0]
    assert row["attributes"] == {"plan": "basic"}
    assert [e["name"] for e in emulator.store.events(person_pk=row["pk"])] == ["batched"]
