"""Server-side rate limits like the real service: 429 with Retry-After once a budget is spent."""

from __future__ import annotations

import httpx2

from cio_toolkit.emulator import Emulator
from cio_toolkit.emulator._limits import TokenBucket

from ._util import app_headers


def test_app_api_allows_10_per_second_then_429_with_retry_after() -> None:
    with Emulator(log=False) as emu, httpx2.Client(base_url=emu.url) as client:
        statuses = [client.get("/v1/campaigns", headers=app_headers(emu)).status_code for _ in range(12)]
        assert statuses[:10] == [200] * 10
        assert 429 in statuses[10:]
        limited = client.get("/v1/campaigns", headers=app_headers(emu))
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert limited.json() == {"meta": {"error": "rate limit exceeded: 10 requests per 1 s"}}
        # Transactional sends have their own budget of 100/s.
        r = client.post(
            "/v1/send/email",
            json={"transactional_message_id": 1, "to": "a@example.com", "identifiers": {"id": "u1"}},
            headers=app_headers(emu),
        )
        assert r.status_code == 400  # no transactional message 1 in an empty workspace, but not limited
        assert emu.store.counters["rate_limited"] >= 2


def test_broadcast_trigger_is_limited_to_one_per_10_seconds() -> None:
    with Emulator(log=False) as emu, httpx2.Client(base_url=emu.url) as client:
        first = client.post("/v1/campaigns/1/triggers", json={}, headers=app_headers(emu))
        second = client.post("/v1/campaigns/1/triggers", json={}, headers=app_headers(emu))
        assert first.status_code != 429
        assert second.status_code == 429 and 9 <= int(second.headers["retry-after"]) <= 10


def test_rate_limits_can_be_turned_off(emu: Emulator, client: httpx2.Client) -> None:
    statuses = {client.get("/v1/campaigns", headers=app_headers(emu)).status_code for _ in range(25)}
    assert statuses == {200}


def test_token_bucket_never_exceeds_its_budget() -> None:
    bucket = TokenBucket(5, 1.0)
    granted = sum(1 for _ in range(50) if bucket.take() == 0.0)
    assert granted == 5
    assert 0 < bucket.take() <= 0.2 + 1e-9


def test_archived_messages_are_limited_to_100_a_day_besides_10_per_second() -> None:
    from cio_toolkit.emulator._limits import RateLimits

    now = [0.0]
    limits = RateLimits(clock=lambda: now[0])
    answers = []
    for _ in range(101):
        now[0] += 0.2  # slow enough for the 10/s budget
        answers.append(limits.check("app_api", "getArchivedMessage"))
    assert answers[:100] == [None] * 100
    assert answers[100] is not None and answers[100][1] == "app_archived_message" and answers[100][0] > 600  # one a day refills every 864 s
    assert limits.check("app_api", "listCampaigns") is None  # other App API calls keep their own budget
