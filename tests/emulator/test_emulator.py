"""The in-process Emulator: settings, keys, lifecycle, admin endpoints, handler registry, speed."""

from __future__ import annotations

import threading
import time

import httpx2
import pytest

from cio_toolkit.emulator import Emulator, EmulatorHTTPError, EmulatorKeys, RequestContext, handler, registry

from ._util import pipelines_auth, track_auth


def test_settings_env_and_repr_never_show_keys() -> None:
    keys = EmulatorKeys("SECRET-pl", "SECRET-site", "SECRET-tk", "SECRET-ak", "SECRET-sk")
    with Emulator(keys=keys, log=False) as emu:
        assert emu.settings() == {
            "base_url": emu.url,
            "pipelines_api_key": "SECRET-pl",
            "site_id": "SECRET-site",
            "track_api_key": "SECRET-tk",
            "app_api_key": "SECRET-ak",
            "webhook_signing_key": "SECRET-sk",
        }
        assert emu.env() == {
            "CIO_BASE_URL": emu.url,
            "CIO_PIPELINES_API_KEY": "SECRET-pl",
            "CIO_SITE_ID": "SECRET-site",
            "CIO_TRACK_API_KEY": "SECRET-tk",
            "CIO_APP_API_KEY": "SECRET-ak",
            "CIO_WEBHOOK_SIGNING_KEY": "SECRET-sk",
        }
        assert emu.url in repr(emu)
        for text in (repr(emu), repr(emu.keys), repr(emu.config), str(emu.state.log), repr(emu.faults)):
            assert "SECRET" not in text, text


def test_keys_come_from_cio_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIO_SITE_ID", "env-site")
    monkeypatch.setenv("CIO_TRACK_API_KEY", "env-track")
    with Emulator(log=False) as emu:
        assert (emu.keys.site_id, emu.keys.track_api_key) == ("env-site", "env-track")
        assert emu.keys.generated == {"pipelines_api_key", "app_api_key", "webhook_signing_key"}
        r = httpx2.put(f"{emu.url}/api/v1/customers/u1", json={}, auth=("env-site", "env-track"))
        assert r.status_code != 401


def test_start_is_fast_and_stop_is_bounded_and_restartable() -> None:
    t0 = time.perf_counter()
    emu = Emulator(log=False).start()
    started = time.perf_counter() - t0
    assert started < 2.0
    assert httpx2.get(f"{emu.url}/_emulator/health").status_code == 200
    emu.store.upsert_person(id="kept")
    # A client holding a keep-alive connection must not make stop() hang.
    client = httpx2.Client(base_url=emu.url)
    client.get("/_emulator/health")
    t0 = time.perf_counter()
    emu.stop()
    assert time.perf_counter() - t0 < 3.0 and not emu.running
    assert emu.store.find_person(id="kept") is not None  # state stays readable after stop
    with pytest.raises(httpx2.ConnectError):
        httpx2.get(f"{emu.url}/_emulator/health")
    emu.start()
    assert emu.store.find_person(id="kept") is not None
    emu.stop()
    client.close()


def test_file_database_persists_between_runs(tmp_path) -> None:
    db = tmp_path / "state.sqlite"
    with Emulator(db=db, log=False) as emu:
        httpx2.post(f"{emu.url}/v1/identify", json={"userId": "p1"}, auth=pipelines_auth(emu))
    with Emulator(db=db, log=False) as emu:
        assert emu.store.find_person(id="p1") is not None


def test_admin_endpoints(emu: Emulator, client: httpx2.Client) -> None:
    client.post("/v1/identify", json={"userId": "a1", "traits": {"x": 1}}, auth=pipelines_auth(emu))
    client.post("/v1/track", json={"type": "track", "userId": "a1", "event": "E"}, auth=pipelines_auth(emu))
    assert client.get("/_emulator/health").json()["apis"] == [
        "pipelines_api",
        "track_api",
        "reporting_webhooks",
        "app_api",
    ]
    assert [p["id"] for p in client.get("/_emulator/people").json()] == ["a1"]
    assert [e["name"] for e in client.get("/_emulator/events").json()] == ["E"]
    assert client.get("/_emulator/counters").json()["requests"] == 2
    assert client.post("/_emulator/reset").json() == {"status": "reset"}
    assert client.get("/_emulator/people").json() == [] and emu.requests == []


def test_plugin_fixture_gives_a_fresh_emulator(cio_emulator: Emulator) -> None:
    assert cio_emulator.running and cio_emulator.store.people() == []
    r = httpx2.post(
        f"{cio_emulator.url}/v1/identify", json={"userId": "fx"}, auth=pipelines_auth(cio_emulator)
    )
    assert r.status_code == 200 and cio_emulator.store.find_person(id="fx") is not None


@pytest.fixture
def temporary_handlers():
    """Replace real handlers for the duration of a test, then put them back."""
    before = dict(registry._HANDLERS)
    for key in [("track_api", "delete"), ("track_api", "getRegion")]:
        registry._HANDLERS.pop(key, None)
    yield
    registry._HANDLERS.clear()
    registry._HANDLERS.update(before)


def test_registered_handler_gets_context_and_can_raise_api_errors(
    temporary_handlers, emu: Emulator, client: httpx2.Client
) -> None:
    seen: list[RequestContext] = []

    @handler("track_api", "delete")
    async def delete(ctx: RequestContext):
        seen.append(ctx)
        if not ctx.store.delete_person(id=ctx.path_params["identifier"]):
            raise EmulatorHTTPError(404, "no such person", field="path.identifier")
        return {}

    emu.store.upsert_person(id="a b")
    r = client.delete("/api/v1/customers/a%20b", auth=track_auth(emu))
    assert r.status_code == 200 and emu.store.people() == []
    assert (seen[0].api, seen[0].operation_id, seen[0].path_params) == (
        "track_api",
        "delete",
        {"identifier": "a b"},
    )
    assert seen[0].headers["authorization"].startswith("Basic ") and seen[0].strict is True
    r = client.delete("/api/v1/customers/a%20b", auth=track_auth(emu))
    assert r.status_code == 404 and r.json() == {"meta": {"errors": ["path.identifier: no such person"]}}


def test_handler_registration_rejects_unknown_operations_and_duplicates(temporary_handlers) -> None:
    with pytest.raises(ValueError, match="has no operation 'nope'"):
        handler("app_api", "nope")
    with pytest.raises(ValueError, match="already handled"):

        @handler("pipelines_api", "identify")
        async def other(ctx: RequestContext) -> dict:
            return {}


def test_crashing_handler_answers_500_json_and_is_logged(
    temporary_handlers, emu: Emulator, client: httpx2.Client
) -> None:
    @handler("track_api", "getRegion")
    async def boom(ctx: RequestContext) -> dict:
        raise RuntimeError("kaput")

    r = client.get("/api/v1/accounts/region", auth=track_auth(emu))
    assert r.status_code == 500 and "RuntimeError: kaput" in r.json()["meta"]["errors"][0]
    assert emu.requests[-1]["status"] == 500


def test_handler_responses_are_checked_against_the_spec(
    temporary_handlers, emu: Emulator, client: httpx2.Client
) -> None:
    @handler("track_api", "getRegion")
    async def region(ctx: RequestContext) -> dict:
        return {"url": 5}

    assert client.get("/api/v1/accounts/region", auth=track_auth(emu)).status_code == 200
    assert emu.requests[-1]["response_validation"][0] == "body.url: expected type string, got integer"
    assert emu.store.counters["invalid_responses"] == 1


@pytest.mark.slow
def test_concurrent_small_pipelines_requests_are_all_stored() -> None:
    with Emulator(log=False, rate_limits=False) as emu:
        n, workers = 300, 4

        def run() -> None:
            with httpx2.Client(base_url=emu.url) as c:
                for i in range(n):
                    c.post(
                        "/v1/track",
                        json={
                            "type": "track",
                            "userId": "u",
                            "event": "E",
                            "messageId": f"{threading.get_ident()}-{i}",
                        },
                        auth=pipelines_auth(emu),
                    )

        threads = [threading.Thread(target=run) for _ in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # Throughput is measured in benchmarks/bench_emulator.py; here: nothing lost under concurrency.
        assert len(emu.store.events()) == n * workers
