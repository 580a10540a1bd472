"""The production profile: HTTPS, the documented limits, no admin endpoints, writes visible only after a delay.

No test sleeps: a fixed long delay keeps writes pending while the test looks, and ``settle()`` or
the emulator's clock (``advance_clock``) makes them land.
"""

from __future__ import annotations

import asyncio
import ssl
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from cio_toolkit import AsyncCustomerIO, CustomerIO
from cio_toolkit._constants import APP_RATE
from cio_toolkit._exceptions import ConfigError
from cio_toolkit._wait import wait_until
from cio_toolkit.app.filters import segment
from cio_toolkit.emulator import Emulator
from cio_toolkit.emulator._pending import PendingWrites

from ._util import app_headers, pipelines_auth, track_auth

LONG = 60.0  # seconds of visibility delay: nothing lands by itself while a test runs


@pytest.fixture
def prod() -> Iterator[Emulator]:
    """A production emulator whose writes wait LONG seconds (on its clock) before they land."""
    with Emulator(profile="production", log=False, visibility_delay=LONG, visibility_seed=7) as emu:
        yield emu


@pytest.fixture
def http(prod: Emulator) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=prod.url, verify=_trust(prod), timeout=10) as client:
        yield client


def _trust(emu: Emulator) -> ssl.SSLContext:
    assert emu.tls is not None
    return ssl.create_default_context(cafile=emu.tls.ca_file)


def _identify(http: httpx2.Client, emu: Emulator, person: str, **attributes: Any) -> httpx2.Response:
    return http.put(f"/api/v1/customers/{person}", json=attributes, auth=track_auth(emu))


def _attributes(http: httpx2.Client, emu: Emulator, person: str) -> dict[str, Any] | None:
    r = http.get(f"/v1/customers/{person}/attributes", headers=app_headers(emu))
    return r.json()["customer"]["attributes"] if r.status_code == 200 else None


def test_admin_endpoints_answer_the_apis_404_while_the_object_reads_its_store(
    prod: Emulator, http: httpx2.Client
) -> None:
    for method, path in (("GET", "/_emulator/health"), ("GET", "/_emulator/people"),
                         ("POST", "/_emulator/reset"), ("POST", "/_emulator/clock")):
        r = http.request(method, path, headers=app_headers(prod))  # not even the App API key opens them
        assert r.status_code == 404, path
        assert r.json() == {"meta": {"error": f"path: no Customer.io API operation for {method} {path}"}}
    assert _identify(http, prod, "adm-1", plan="pro").status_code == 200
    prod.settle()
    assert [p["id"] for p in prod.store.people()] == ["adm-1"]  # in-process inspection still works


def test_a_track_write_is_answered_at_once_and_read_only_after_it_lands(prod: Emulator, http: httpx2.Client) -> None:
    r = _identify(http, prod, "vis-1", plan="pro")
    assert r.status_code == 200 and r.json() == {}
    assert _attributes(http, prod, "vis-1") is None  # right after the 200: not there yet
    assert prod.pending_writes == 1
    assert prod.settle() == 1
    assert (_attributes(http, prod, "vis-1") or {})["plan"] == "pro"


def test_the_emulator_clock_makes_writes_land_when_their_delay_has_passed(prod: Emulator, http: httpx2.Client) -> None:
    http.post("/v1/identify", json={"userId": "clk-1", "traits": {"plan": "pro"}}, auth=pipelines_auth(prod))
    assert prod.advance_clock(LONG / 2)["applied"] == 0
    assert _attributes(http, prod, "clk-1") is None
    assert prod.advance_clock(LONG / 2)["applied"] == 1
    assert (_attributes(http, prod, "clk-1") or {})["plan"] == "pro"
    applied = prod.requests[-2]  # the entry of the applied write, just before the read
    assert applied["applies"] and applied["status"] == 200 and applied["delay_s"] >= LONG
    assert prod.store.counters["writes_deferred"] == prod.store.counters["writes_applied"] == 1


def test_writes_land_in_the_order_they_were_answered() -> None:
    with Emulator(profile="production", log=False, visibility_delay=(1, LONG), visibility_seed=3) as emu:
        with httpx2.Client(base_url=emu.url, verify=_trust(emu)) as http:
            _identify(http, emu, "ord-1", step="created")
            _identify(http, emu, "ord-1", step="updated")
            http.delete("/api/v1/customers/ord-1", auth=track_auth(emu))
            seen = []
            while emu.pending_writes:
                emu.advance_clock(1)
                seen.append((_attributes(http, emu, "ord-1") or {}).get("step"))
    landed = [step for i, step in enumerate(seen) if i == 0 or step != seen[i - 1]]
    assert landed in (["created", "updated", None], [None, "created", "updated", None],
                      ["updated", None], [None, "updated", None], [None])  # steps may land together
    assert seen[-1] is None  # the delete, sent last, landed last


def test_each_write_falls_due_no_earlier_than_the_one_before() -> None:
    queue: PendingWrites[int] = PendingWrites((0.2, 3.0), seed=11)
    due = [queue.push(n, now=100.0 + n / 100) for n in range(200)]
    assert due == sorted(due) and len(set(due)) > 1
    again: PendingWrites[int] = PendingWrites((0.2, 3.0), seed=11)
    assert [again.push(n, now=100.0 + n / 100) for n in range(200)] == due  # one seed, the same delays


def test_synchronous_errors_are_answered_at_once(prod: Emulator, http: httpx2.Client) -> None:
    r = http.post("/api/v1/segments/999/add_customers", json={"ids": ["x"]}, auth=track_auth(prod))
    assert r.status_code == 404 and r.json() == "Segment not found"
    assert _identify(http, prod, "big", bio="x" * 1001).status_code == 400  # a documented limit
    body = {"batch": [
        {"type": "person", "identifiers": {"id": "b2-ok"}, "action": "identify", "attributes": {"a": 1}},
        {"type": "person", "identifiers": {"id": "b2-bad"}, "action": "identify", "attributes": {"bio": "x" * 1001}},
    ]}
    r = http.post("/api/v2/batch", json=body, auth=track_auth(prod))
    assert r.status_code == 207 and [e["batch_index"] for e in r.json()["errors"]] == [1]
    assert prod.pending_writes == 1  # only the accepted batch waits; refused requests wrote nothing
    assert _attributes(http, prod, "b2-ok") is None
    prod.settle()
    assert (_attributes(http, prod, "b2-ok") or {})["a"] == "1" and _attributes(http, prod, "b2-bad") is None
    assert prod.store.counters["writes_failed"] == 0


def test_a_strict_pipelines_batch_is_refused_at_once_and_its_valid_calls_still_land(
    prod: Emulator, http: httpx2.Client
) -> None:
    body = {"batch": [{"type": "identify", "userId": "sb-ok", "traits": {"a": 1}},
                      {"type": "identify", "userId": "sb-bad", "traits": {"x": "y" * 40_000}}]}
    r = http.post("/v1/batch", json=body, auth=pipelines_auth(prod), headers={"X-Strict-Mode": "1"})
    assert r.status_code == 400 and "batch[1]" in r.text
    assert _attributes(http, prod, "sb-ok") is None
    prod.settle()
    assert (_attributes(http, prod, "sb-ok") or {})["a"] == "1"
    assert prod.store.counters["writes_failed"] == 0  # it landed as it was answered


def test_a_write_that_fails_when_it_lands_is_recorded(prod: Emulator, http: httpx2.Client) -> None:
    merge = {"primary": {"id": "nobody"}, "secondary": {"id": "nobody-else"}}
    assert http.post("/api/v1/merge_customers", json=merge, auth=track_auth(prod)).status_code == 200
    prod.settle()
    assert prod.store.counters["writes_failed"] == 1
    failed = prod.requests[-1]
    assert failed["operationId"] == "merge" and failed["status"] == 400 and failed["answered"] == 200
    assert "primary" in str(failed["outcome"])


def test_pending_writes_land_at_shutdown_and_a_reset_forgets_them() -> None:
    emu = Emulator(profile="production", log=False, visibility_delay=LONG).start()
    with httpx2.Client(base_url=emu.url, verify=_trust(emu)) as http:
        _identify(http, emu, "gone", plan="x")
        emu.reset()
        assert emu.pending_writes == 0
        _identify(http, emu, "kept", plan="pro")
    emu.stop()  # the server's shutdown applies what was answered
    assert [p["id"] for p in emu.store.people()] == ["kept"] and emu.pending_writes == 0


def test_writes_land_in_real_time_too() -> None:
    with Emulator(profile="production", log=False, visibility_delay=0) as emu:
        with httpx2.Client(base_url=emu.url, verify=_trust(emu)) as http:
            _identify(http, emu, "rt-1", plan="pro")
            wait_until(lambda: _attributes(http, emu, "rt-1"), timeout=10, interval=0.01, message="never landed")


def test_the_documented_app_api_rate_limit_answers_429(prod: Emulator, http: httpx2.Client) -> None:
    budget, _ = APP_RATE
    statuses = [http.get("/v1/campaigns", headers=app_headers(prod)).status_code for _ in range(budget + 2)]
    assert statuses[:budget] == [200] * budget and 429 in statuses[budget:]


def test_tls_is_on_and_nothing_in_the_profile_relaxes_it(prod: Emulator) -> None:
    assert prod.url.startswith("https://") and "REQUESTS_CA_BUNDLE" in prod.env()
    with pytest.raises(httpx2.HTTPError):
        httpx2.get(prod.url.replace("https://", "http://") + "/v1/campaigns", timeout=5)
    for relaxed in ({"rate_limits": False}, {"strict": False}, {"admin": True}, {"tls": False}):
        with pytest.raises(ConfigError, match="production profile"):
            Emulator(profile="production", log=False, **relaxed)  # type: ignore[arg-type]


def test_the_default_profile_keeps_writes_visible_at_once() -> None:
    with Emulator(log=False) as emu, httpx2.Client(base_url=emu.url) as http:
        assert emu.url.startswith("http://") and emu.config.visibility_delay is None
        _identify(http, emu, "dflt-1", plan="pro")
        assert (_attributes(http, emu, "dflt-1") or {})["plan"] == "pro"
        assert emu.pending_writes == 0 and emu.settle() == 0
        assert http.get("/_emulator/health").status_code == 200


def test_cli_production_prints_what_it_switched_on(tmp_path) -> None:
    cmd = [sys.executable, "-m", "cio_toolkit.emulator", "--profile", "production", "--tls-dir", str(tmp_path),
           "--port", "0", "--visibility-delay", "0.5-1.5", "--visibility-seed", "42"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:  # the banner, then it serves until stopped
            lines.append(line.rstrip())
            if line.startswith("export NODE_EXTRA_CA_CERTS="):
                break
    finally:
        proc.terminate()
        proc.wait(10)
    text = "\n".join(lines)
    assert "profile production:" in text and "HTTPS only" in text and "admin endpoints /_emulator/... off" in text
    assert "0.5-1.5 s" in text and "--visibility-seed 42" in text and "app 10/1 s" in text
    assert any(line.startswith("export CIO_BASE_URL=https://") for line in lines)
    assert f"export CIO_CA_BUNDLE={tmp_path / 'ca.pem'}" in lines


def test_cli_refuses_to_relax_the_production_profile() -> None:
    from typer.testing import CliRunner

    from cio_toolkit.cli import app

    result = CliRunner().invoke(app, ["emulator", "--profile", "production", "--no-rate-limits", "--port", "0"])
    assert result.exit_code != 0 and "production profile does not allow rate_limits=False" in result.output


def test_an_export_downloads_over_tls_through_the_settings_ca_bundle() -> None:
    # The download is a second HTTP client; it must trust what the API client trusts.
    with Emulator(profile="production", seed="demo", log=False) as emu:
        settings: Any = emu.settings()
        with CustomerIO(**settings) as cio:
            seg_id = next(iter(cio.app.segments.list()))["id"]
            rows = len(cio.app.exports.fetch("customers", filters=segment(seg_id), poll_interval=0.05, timeout=30))
            fetched_async = asyncio.run(_export_async(settings, seg_id))
    assert rows > 0 and fetched_async == rows


async def _export_async(settings: Any, seg_id: int) -> int:
    async with AsyncCustomerIO(**settings) as acio:
        return len(await acio.app.exports.fetch("customers", filters=segment(seg_id), poll_interval=0.05, timeout=30))
