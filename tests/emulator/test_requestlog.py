"""The JSONL request log: one line per request, credentials masked, shared safely by several emulators."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx2
import orjson
import pytest

from cio_toolkit.emulator import Emulator

from ._util import pipelines_auth, track_auth


def lines(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_log_file_lines_with_masked_credentials_and_bodies(tmp_path: Path) -> None:
    log = tmp_path / "requests.jsonl"
    with Emulator(log=log, log_bodies=True) as emu, httpx2.Client(base_url=emu.url) as client:
        client.post("/v1/identify?x=1", json={"userId": "u1", "traits": {"a": 1}}, auth=pipelines_auth(emu))
        client.put("/api/v1/customers/u1", json={"email": 5}, auth=track_auth(emu))
        client.put("/api/v1/customers/u1", json={}, auth=(emu.keys.site_id, emu.keys.pipelines_api_key))
        secrets = emu.keys.secrets()
    text = log.read_text()
    assert all(s not in text for s in secrets)
    first, second, third = lines(log)
    assert {k: first[k] for k in ("api", "operationId", "method", "path", "status", "validation")} == {
        "api": "pipelines_api",
        "operationId": "identify",
        "method": "POST",
        "path": "/v1/identify",
        "status": 200,
        "validation": "ok",
    }
    assert first["duration_ms"] > 0 and first["time"].endswith("Z")
    assert first["headers"]["authorization"] == "Basic ***"
    assert first["query"] == {"x": "1"} and first["body"] == {"userId": "u1", "traits": {"a": 1}}
    assert second["status"] == 400 and second["validation"] == [
        "body.email: expected type string, got integer"
    ]
    # Rejected before validation: no verdict, and the wrong key is masked like any other.
    assert (third["status"], third["validation"], third["auth"]) == (401, None, "invalid")
    assert third["headers"]["authorization"] == "Basic ***"


def test_no_bodies_unless_asked(tmp_path: Path) -> None:
    log = tmp_path / "requests.jsonl"
    with Emulator(log=log) as emu, httpx2.Client(base_url=emu.url) as client:
        client.post("/v1/identify", json={"userId": "u1"}, auth=pipelines_auth(emu))
    [entry] = lines(log)
    assert "body" not in entry and "headers" not in entry


def test_environment_variables_enable_the_log_and_log_false_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "env.jsonl"
    monkeypatch.setenv("CIO_EMULATOR_LOG", str(log))
    monkeypatch.setenv("CIO_EMULATOR_LOG_BODIES", "1")
    with Emulator() as emu, httpx2.Client(base_url=emu.url) as client:
        client.post("/v1/identify", json={"userId": "u1"}, auth=pipelines_auth(emu))
    assert lines(log)[0]["body"] == {"userId": "u1"}
    with Emulator(log=False) as emu, httpx2.Client(base_url=emu.url) as client:
        client.post("/v1/identify", json={"userId": "u2"}, auth=pipelines_auth(emu))
        assert emu.requests[-1]["operationId"] == "identify"  # still kept in memory
    assert len(lines(log)) == 1


def test_two_emulators_append_whole_lines_to_one_file(tmp_path: Path) -> None:
    log = tmp_path / "shared.jsonl"
    with Emulator(log=log, rate_limits=False) as a, Emulator(log=log, rate_limits=False) as b:

        def hammer(emu: Emulator) -> None:
            with httpx2.Client(base_url=emu.url) as client:
                for i in range(60):
                    client.post(
                        "/v1/identify",
                        json={"userId": f"u{i}", "traits": {"pad": "x" * 500}},
                        auth=pipelines_auth(emu),
                    )

        threads = [threading.Thread(target=hammer, args=(e,)) for e in (a, b, a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    entries = lines(log)
    assert len(entries) == 240 and all(e["status"] == 200 for e in entries)


def test_requests_admin_endpoint(emu: Emulator, client: httpx2.Client) -> None:
    client.post("/v1/identify", json={"userId": "u1"}, auth=pipelines_auth(emu))
    recent = client.get("/_emulator/requests", params={"limit": 1}).json()
    assert [e["operationId"] for e in recent] == ["identify"]
