"""The demo seed (deterministic, fast, consistent) and the App API's server-side rate limits."""

from __future__ import annotations

import httpx2

from cio_toolkit.emulator import Emulator, Store
from cio_toolkit.emulator._limits import limit_class
from cio_toolkit.emulator.registry import registered_seeds, run_seed
from cio_toolkit.specs import operations

from .conftest import AppHTTP


def _fingerprint(store: Store) -> tuple[object, ...]:
    people = store.query("SELECT cio_id, id, email, attributes FROM people ORDER BY pk")
    messages = store.query("SELECT id, type, recipient, sent IS NOT NULL AS s, opened IS NOT NULL AS o,"
                           " clicked IS NOT NULL AS c, bounced IS NOT NULL AS b FROM app_messages ORDER BY id")
    docs = store.query("SELECT kind, key, data FROM app_docs WHERE kind NOT IN ('esp_bounces') ORDER BY kind, key")
    return len(people), people[:50], len(messages), messages[::97], len(docs), docs[:80]


def test_demo_seed_is_registered_and_deterministic() -> None:
    assert "demo" in registered_seeds()
    first, second = Store(), Store()
    run_seed("demo", first)
    run_seed("demo", second)
    assert _fingerprint(first) == _fingerprint(second)
    counts = first.query("SELECT COUNT(*) AS n, COUNT(DISTINCT person_pk) AS p FROM app_messages")[0]
    assert counts["n"] > 4000 and counts["p"] > 250
    assert first.query("SELECT COUNT(*) AS n FROM people")[0]["n"] == 300


def test_seeded_metrics_cover_thirty_days_and_agree_with_messages(app: AppHTTP) -> None:
    series = app.get("/v1/campaigns/2/metrics", params={"version": "1", "period": "days", "steps": 45})["metric"]
    created = series["series"]["created"]
    assert sum(1 for n in created[-31:] if n) >= 25 and not any(created[:10])
    total_sent = sum(series["series"]["sent"])
    counted = 0
    start = None
    while True:
        params: dict[str, object] = {"limit": 1000, "metric": "sent"}
        if start:
            params["start"] = start
        page = app.get("/v1/campaigns/2/messages", params=params)
        counted += sum(1 for m in page["messages"] if m["metrics"]["sent"] >= 0)
        start = page["next"]
        if not start:
            break
    assert counted == total_sent


def test_app_operations_draw_from_the_documented_budgets() -> None:
    classes = {op["operationId"]: limit_class("app_api", op["operationId"]) for _, _, op in operations("app_api")}
    assert {k for k, v in classes.items() if v == "app_transactional"} == {"sendEmail", "sendPush", "sendSMS"}
    assert {k for k, v in classes.items() if v == "app_broadcast_trigger"} == {"triggerBroadcast"}
    assert sum(v == "app" for v in classes.values()) == 111


def test_second_broadcast_trigger_within_ten_seconds_is_refused() -> None:
    with Emulator(log=False) as emu:  # rate limits on; a fresh budget
        headers = {"Authorization": f"Bearer {emu.keys.app_api_key}"}
        with httpx2.Client(base_url=emu.url, headers=headers, timeout=10) as http:
            first = http.post("/v1/campaigns/1/triggers", json={})
            assert first.status_code == 404  # no broadcast in an empty workspace, but the budget was used
            second = http.post("/v1/campaigns/1/triggers", json={})
            assert second.status_code == 429 and int(second.headers["retry-after"]) >= 1
            assert http.get("/v1/segments").status_code == 200  # the general budget is separate


def test_emulator_answered_no_invalid_or_failed_app_responses(app: AppHTTP, app_emu: Emulator) -> None:
    app.get("/v1/workspaces")
    entries = [e for e in app_emu.requests if e.get("api") in ("app_api", "reporting_webhooks")]
    assert entries
    assert not [e for e in entries if e.get("response_validation")], "a handler answered outside the spec"
    assert not [e for e in entries if (e.get("status") or 0) >= 500]
    assert all(e.get("validation") == "ok" for e in entries)
