"""Injected faults, as a real HTTP client sees them."""

from __future__ import annotations

import time

import httpx2
import pytest

from cio_toolkit._exceptions import ValidationError
from cio_toolkit.emulator import Emulator

from ._util import pipelines_auth

IDENTIFY = {"userId": "f1"}


def identify(emu: Emulator, client: httpx2.Client) -> httpx2.Response:
    return client.post("/v1/identify", json=IDENTIFY, auth=pipelines_auth(emu))


def test_error_rate_answers_the_chosen_5xx(emu: Emulator, client: httpx2.Client) -> None:
    emu.faults.update(error_rate=1.0, error_status=503)
    assert {identify(emu, client).status_code for _ in range(5)} == {503}
    emu.faults.update(error_rate=0.5, error_status=500, seed=7)
    statuses = [identify(emu, client).status_code for _ in range(60)]
    assert 10 < statuses.count(500) < 50 and statuses.count(200) == 60 - statuses.count(500)
    logged = emu.requests[-60:]
    assert [e["status"] for e in logged] == statuses
    assert all((e.get("fault") == "error") == (e["status"] == 500) for e in logged)


def test_latency_is_added(emu: Emulator, client: httpx2.Client) -> None:
    identify(emu, client)
    emu.faults.update(latency_ms=150)
    t0 = time.perf_counter()
    assert identify(emu, client).status_code == 200
    assert time.perf_counter() - t0 >= 0.15


def test_forced_429_with_retry_after_for_the_next_n_requests(emu: Emulator, client: httpx2.Client) -> None:
    emu.faults.update(force_429=2, retry_after=3)
    first, second, third = (identify(emu, client) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (429, 429, 200)
    assert first.headers["retry-after"] == "3"
    assert emu.faults.settings.force_429 == 0


def test_dropped_connection_gives_no_http_response_at_all(emu: Emulator, client: httpx2.Client) -> None:
    emu.faults.update(drop_rate=1.0)
    with pytest.raises((httpx2.RemoteProtocolError, httpx2.ReadError)):
        identify(emu, client)
    emu.faults.reset()
    # The server survives and the next connection works.
    assert identify(emu, client).status_code == 200
    assert emu.store.find_person(id="f1") is not None
    dropped = [e for e in emu.requests if e.get("fault") == "drop"]
    assert len(dropped) == 1 and dropped[0]["status"] is None


def test_path_filter_limits_faults_to_matching_paths(emu: Emulator, client: httpx2.Client) -> None:
    emu.faults.update(error_rate=1.0, path="/api/*")
    assert identify(emu, client).status_code == 200
    r = client.put("/api/v1/customers/x", json={}, auth=(emu.keys.site_id, emu.keys.track_api_key))
    assert r.status_code == 500


def test_faults_over_http_and_admin_endpoints_are_never_faulted(emu: Emulator, client: httpx2.Client) -> None:
    r = client.post("/_emulator/faults", json={"error_rate": 1, "error_status": 502})
    assert r.status_code == 200 and r.json()["error_rate"] == 1
    assert identify(emu, client).status_code == 502
    assert client.get("/_emulator/health").status_code == 200
    assert client.get("/_emulator/faults").json()["injected"]["error"] == 1
    r = client.post("/_emulator/faults", json={"error_rate": 2})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "body.error_rate"
    assert client.delete("/_emulator/faults").json()["error_rate"] == 0
    assert identify(emu, client).status_code == 200


def test_bad_fault_settings_name_the_field_and_limit(emu: Emulator) -> None:
    with pytest.raises(ValidationError) as err:
        emu.faults.update(error_status=404)
    assert err.value.field == "error_status" and err.value.limit == "500..599"
    with pytest.raises(ValidationError, match="unknown setting"):
        emu.faults.update(eror_rate=0.1)


def test_faults_from_constructor() -> None:
    with Emulator(log=False, faults={"error_rate": 1.0}) as emu, httpx2.Client(base_url=emu.url) as client:
        assert identify(emu, client).status_code == 500
