"""Every "now" of the workspace follows the emulator's clock: event times and content ``updated`` stamps."""

from __future__ import annotations

import httpx2

from cio_toolkit.emulator import Emulator

from ._util import app_headers, pipelines_auth

DAY = 86_400


def test_an_event_without_a_timestamp_is_stamped_with_the_emulators_now() -> None:
    with Emulator(log=False) as emu, httpx2.Client(base_url=emu.url, timeout=10) as http:
        emu.advance_clock(30 * DAY)
        before = emu.state.clock.now()
        r = http.post("/v1/track", json={"type": "track", "userId": "clocked", "event": "Tick"}, auth=pipelines_auth(emu))
        assert r.status_code == 200
        (event,) = [e for e in emu.store.events() if e["name"] == "Tick"]
        assert before <= event["timestamp"] <= emu.state.clock.now()


def test_a_content_update_is_stamped_with_the_emulators_now() -> None:
    with Emulator(seed="demo", log=False) as emu, httpx2.Client(base_url=emu.url, headers=app_headers(emu),
                                                               timeout=10) as http:
        tx = http.get("/v1/transactional").json()["messages"][0]["id"]
        content = http.get(f"/v1/transactional/{tx}/contents").json()["contents"][0]
        emu.advance_clock(30 * DAY)
        r = http.put(f"/v1/transactional/{tx}/content/{content['id']}", json={"preheader_text": "later"})
        assert r.status_code == 200
        assert r.json()["content"][0]["updated"] >= int(emu.state.clock.now()) - 1 >= content["updated"] + 29 * DAY
