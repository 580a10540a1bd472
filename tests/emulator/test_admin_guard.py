"""Admin endpoints refuse what a web page could send; links never come from a forged Host header."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import httpx2
import pytest

from cio_toolkit.emulator import Emulator, EmulatorConfig

from ._util import serve

EVIL = "evil.example"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(log=False, rate_limits=False) as emulator:
        yield emulator


def test_state_changing_admin_posts_want_json_or_no_body(emu: Emulator) -> None:
    emu.faults.update(error_rate=0.5)
    for headers in ({"Content-Type": "text/plain"}, {"Content-Type": "application/x-www-form-urlencoded"}):
        for path in ("/_emulator/reset", "/_emulator/faults"):
            r = httpx2.post(f"{emu.url}{path}", content=b"{}", headers=headers)
            assert r.status_code == 415 and r.json()["errors"][0]["field"] == "headers.content-type"
    assert emu.faults.as_dict()["error_rate"] == 0.5  # nothing was changed
    r = httpx2.post(f"{emu.url}/_emulator/faults", json={"error_rate": 0})
    assert r.status_code == 200 and r.json()["error_rate"] == 0
    assert httpx2.post(f"{emu.url}/_emulator/reset").json() == {"status": "reset"}


def test_cross_origin_admin_requests_are_refused(emu: Emulator) -> None:
    emu.faults.update(error_rate=0.25)
    for origin in (f"http://{EVIL}", "null", "http://127.0.0.1:1"):  # the last: another local port
        r = httpx2.post(f"{emu.url}/_emulator/reset", headers={"Origin": origin})
        assert r.status_code == 403 and r.json()["errors"][0]["field"] == "headers.origin"
    assert emu.faults.as_dict()["error_rate"] == 0.25
    same = httpx2.post(f"{emu.url}/_emulator/faults", json={"error_rate": 0}, headers={"Origin": emu.url})
    assert same.status_code == 200


@pytest.mark.parametrize("path", ["/_emulator/requests", "/_emulator/people", "/_emulator/health"])
def test_a_foreign_host_header_is_refused_unless_the_app_key_is_sent(emu: Emulator, path: str) -> None:
    # What a DNS-rebinding page sends: our address, its own host name.
    r = httpx2.get(f"{emu.url}{path}", headers={"Host": f"{EVIL}:{emu.port}"})
    assert r.status_code == 403 and r.json()["errors"][0]["field"] == "headers.host"
    for host in (f"localhost:{emu.port}", f"127.0.0.1:{emu.port}", "localhost", f"[::1]:{emu.port}", "0.0.0.0"):
        assert httpx2.get(f"{emu.url}{path}", headers={"Host": host}).status_code == 200
    with_key = {"Host": f"{EVIL}:{emu.port}", "Authorization": f"Bearer {emu.keys.app_api_key}"}
    assert httpx2.get(f"{emu.url}{path}", headers=with_key).status_code == 200


def test_a_configured_host_name_is_accepted() -> None:
    config = EmulatorConfig.create(log=False, hosts=["emulator.test"], environ={})
    with serve(config) as url:
        assert httpx2.get(f"{url}/_emulator/health", headers={"Host": "emulator.test:8787"}).status_code == 200
        assert httpx2.get(f"{url}/_emulator/health", headers={"Host": "other.test:8787"}).status_code == 403


def test_emulator_hosts_parameter_names_extra_admin_host_names() -> None:
    with Emulator(host="127.0.0.1", hosts=("emulator.test",), log=False, rate_limits=False) as emu:
        ok = httpx2.get(f"{emu.url}/_emulator/health", headers={"Host": f"emulator.test:{emu.port}"})
        assert ok.status_code == 200
        refused = httpx2.get(f"{emu.url}/_emulator/health", headers={"Host": f"other.test:{emu.port}"})
        assert refused.status_code == 403 and refused.json()["errors"][0]["field"] == "headers.host"


def test_export_links_are_built_from_the_emulator_address_not_the_host_header() -> None:
    with Emulator(log=False, rate_limits=False, seed="demo") as emu:
        app = httpx2.Client(base_url=emu.url, headers={"Authorization": f"Bearer {emu.keys.app_api_key}"})
        export = app.post("/v1/exports/customers", json={"filters": {"segment": {"id": 6}}}).json()["export"]
        forged = app.get(f"/v1/exports/{export['id']}/download", headers={"Host": f"{EVIL}:{emu.port}"})
        url = forged.json()["url"]
        assert url.startswith(f"{emu.url}/_emulator/files/") and EVIL not in url
        assert gzip.decompress(httpx2.get(url).content).startswith(b"id,email,")
        via_localhost = app.get(f"/v1/exports/{export['id']}/download", headers={"Host": f"localhost:{emu.port}"})
        assert via_localhost.json()["url"].startswith(f"http://localhost:{emu.port}/_emulator/files/")
