"""The official customerio-cdp-analytics package, pointed at the emulator, delivers and its data lands."""

from __future__ import annotations

import customerio.analytics as analytics

from .conftest import uid


def test_official_client_identify_track_page_group_reach_the_store(emulator):
    user, org = uid("official"), uid("org")
    client = analytics.Client(emulator.keys.pipelines_api_key, host=emulator.url, upload_interval=0.05)
    try:
        client.identify(user, {"email": f"{user}@example.com", "plan": "pro"})
        _, track = client.track(user, "Report Viewed", {"report": "weekly"})
        _, page = client.page(user, name="Docs", properties={"url": "https://example.com/docs"})
        client.group(user, org, {"name": "Org", "objectTypeId": "1"})
        client.flush()
    finally:
        client.shutdown()
    person = emulator.store.find_person(id=user)
    assert person is not None and person["attributes"]["plan"] == "pro"
    by_id = {e["message_id"]: e for e in emulator.store.events()}
    assert by_id[track["messageId"]]["name"] == "Report Viewed"
    assert by_id[track["messageId"]]["properties"] == {"report": "weekly"}
    assert by_id[page["messageId"]]["type"] == "page"
    assert emulator.store.query("SELECT person_pk FROM relationships WHERE object_id = ?", (org,)) == [
        {"person_pk": person["pk"]}
    ]
    # It sent valid /v1/batch requests (it never uses strict mode, so an invalid one would be dropped silently).
    sent = [r for r in emulator.requests if r["operationId"] == "batch" and r["status"] == 200]
    assert sent and all(r["validation"] == "ok" for r in sent)
