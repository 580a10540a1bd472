"""Retries, backoff, Retry-After, timeouts, dropped connections and error mapping, over real HTTP."""

from __future__ import annotations

import logging

import pytest

import cio_toolkit as cio
from cio_toolkit._config import Settings
from cio_toolkit._transport import (
    AsyncTransport,
    RequestSpec,
    RetryPolicy,
    SyncTransport,
    parse_retry_after,
    retry_delay,
)
from tests._servers import Action, ScriptedServer

KEY = "app-key-SECRET-1234567"
FAST = RetryPolicy(max_retries=4, backoff_base=0.01, backoff_cap=0.05, budget=10)


def transport(url: str, api: str = "app", **kw) -> SyncTransport:
    s = Settings(base_url=url, app_api_key=KEY, pipelines_api_key=KEY, site_id="site", track_api_key=KEY)
    return SyncTransport(s, api, retry=kw.pop("retry", FAST), rate_limits=False, **kw)


GET = RequestSpec("GET", "/v1/campaigns", operation_id="listCampaigns")
POST = RequestSpec("POST", "/v1/send/email", operation_id="sendEmail", json={"to": "a@b.c"})


def _retry_waits(caplog) -> list[float]:
    # The transport logs each wait it is about to sleep: its own clock, not server arrival gaps.
    return [float(r.getMessage().rsplit(" in ", 1)[1].rstrip("s")) for r in caplog.records
            if r.name == "cio_toolkit" and "; retry " in r.getMessage()]


def test_429_with_retry_after_waits_at_least_that_long(caplog):
    caplog.set_level(logging.INFO, logger="cio_toolkit")
    with ScriptedServer(Action(429, headers={"Retry-After": "1"})) as srv:
        r = transport(srv.url).send(POST)
        assert r.status == 200 and r.attempts == 2 and len(srv.seen) == 2
    assert _retry_waits(caplog) == [1.0]


def test_429_without_retry_after_backs_off_and_retries_non_idempotent_post():
    with ScriptedServer(Action(429), Action(429)) as srv:
        r = transport(srv.url).send(POST)
    assert r.attempts == 3 and len(srv.seen) == 3


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
def test_retryable_statuses_are_retried_for_idempotent_requests(status):
    with ScriptedServer(Action(status), Action(status)) as srv:
        r = transport(srv.url).send(GET)
    assert r.status == 200 and len(srv.seen) == 3


def test_non_idempotent_post_is_not_retried_on_500():
    with ScriptedServer(Action(500, {"errors": [{"message": "boom"}]})) as srv:
        with pytest.raises(cio.ServerError) as ei:
            transport(srv.url).send(POST)
    assert len(srv.seen) == 1
    assert ei.value.status == 500


def test_idempotency_key_makes_post_retryable():
    spec = RequestSpec("POST", "/batch", operation_id="batch", json={"batch": []}, idempotent=True)
    with ScriptedServer(Action(503), Action(500)) as srv:
        r = transport(srv.url, "pipelines").send(spec)
    assert r.attempts == 3


def test_501_is_not_retried():
    with ScriptedServer(Action(501)) as srv, pytest.raises(cio.ServerError):
        transport(srv.url).send(GET)
    assert len(srv.seen) == 1


def test_gives_up_after_max_retries_with_last_error():
    with ScriptedServer(*[Action(503)] * 10) as srv, pytest.raises(cio.ServerError) as ei:
        transport(srv.url).send(GET)
    assert len(srv.seen) == 1 + FAST.max_retries
    assert ei.value.attempts == 1 + FAST.max_retries and ei.value.status == 503


def test_413_is_payload_too_large_and_409_a_conflict_as_the_tree_says():
    with ScriptedServer(Action(413, {"errors": [{"message": "too big"}]}), Action(409)) as srv:
        t = transport(srv.url)
        with pytest.raises(cio.PayloadTooLargeError) as too_large:
            t.send(POST)
        with pytest.raises(cio.ConflictError) as conflict:
            t.send(POST)
    assert too_large.value.status == 413 and isinstance(too_large.value, cio.APIError)
    assert conflict.value.status == 409 and isinstance(conflict.value, cio.BadRequestError)
    assert len(srv.seen) == 2  # neither is retried


def test_total_time_budget_stops_retries():
    policy = RetryPolicy(max_retries=50, backoff_base=0.2, backoff_cap=0.2, budget=0.6)
    with ScriptedServer(*[Action(503, headers={"Retry-After": "0.25"})] * 50) as srv:
        with pytest.raises(cio.ServerError) as ei:
            transport(srv.url, retry=policy).send(GET)
    assert 2 <= len(srv.seen) <= 4 and ei.value.attempts == len(srv.seen)  # 50 retries allowed; the budget ended them


def test_read_timeout_is_retried_then_raises_timeout_error():
    with ScriptedServer(*[Action(delay=0.5)] * 3) as srv:
        with pytest.raises(cio.TimeoutError):
            transport(srv.url, retry=RetryPolicy(max_retries=2, backoff_base=0.01, budget=5), timeout=0.15).send(GET)
    assert len(srv.seen) == 3


def test_timeout_then_success_for_idempotent_request():
    with ScriptedServer(Action(delay=0.5)) as srv:
        r = transport(srv.url, timeout=0.15).send(GET)
    assert r.attempts == 2


def test_dropped_connection_is_retried_for_idempotent_request():
    with ScriptedServer(Action(drop=True), Action(drop=True)) as srv:
        r = transport(srv.url).send(GET)
    assert r.attempts == 3


def test_dropped_connection_is_not_retried_for_non_idempotent_post():
    with ScriptedServer(Action(drop=True)) as srv, pytest.raises(cio.NetworkError):
        transport(srv.url).send(POST)
    assert len(srv.seen) == 1


def test_connection_refused_is_retried_even_for_post_because_nothing_was_sent(caplog):
    import socket

    caplog.set_level(logging.INFO, logger="cio_toolkit")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(cio.NetworkError) as ei:
        transport(f"http://127.0.0.1:{port}", retry=RetryPolicy(max_retries=2, backoff_base=0.01)).send(POST)
    assert ei.value.attempts == 3 and len(_retry_waits(caplog)) == 2


@pytest.mark.parametrize(
    ("status", "exc"),
    [(401, cio.AuthenticationError), (403, cio.PermissionDeniedError), (404, cio.NotFoundError),
     (400, cio.BadRequestError), (422, cio.BadRequestError)],
)
def test_error_mapping(status, exc):
    body = {"errors": [{"field": "email", "message": "is invalid"}], "echo": f"Bearer {KEY}"}
    with ScriptedServer(Action(status, body, headers={"X-Request-Id": "req-42"})) as srv:
        with pytest.raises(exc) as ei:
            transport(srv.url).send(GET)
    err = ei.value
    assert err.status == status and err.request_id == "req-42"
    assert KEY not in str(err) and KEY not in repr(err) and KEY not in (err.body or "")
    if status in (400, 422):
        assert "email: is invalid" in str(err)


def test_rate_limit_error_carries_retry_after_when_retries_are_exhausted():
    with ScriptedServer(Action(429, headers={"Retry-After": "7"})) as srv:
        with pytest.raises(cio.RateLimitError) as ei:
            transport(srv.url, retry=RetryPolicy(max_retries=0)).send(GET)
    assert ei.value.retry_after == 7


def test_per_call_retry_override():
    with ScriptedServer(Action(503), Action(503)) as srv:
        t = transport(srv.url)
        with pytest.raises(cio.ServerError):
            t.send(GET, retry=RetryPolicy(max_retries=1, backoff_base=0.01))
    assert len(srv.seen) == 2


def test_auth_headers_per_api():
    import base64

    with ScriptedServer() as srv:
        transport(srv.url, "app").send(GET)
        transport(srv.url, "track").send(RequestSpec("PUT", "/api/v1/customers/1", operation_id="identify", json={}))
        transport(srv.url, "pipelines").send(RequestSpec("POST", "/identify", operation_id="identify", json={}))
    assert srv.seen[0].headers["Authorization"] == f"Bearer {KEY}"
    assert base64.b64decode(srv.seen[1].headers["Authorization"].split()[1]).decode() == f"site:{KEY}"
    assert base64.b64decode(srv.seen[2].headers["Authorization"].split()[1]).decode() == f"{KEY}:"
    assert srv.seen[2].path == "/v1/identify"  # Pipelines paths hang off /v1 of the base URL


def test_large_pipelines_bodies_are_gzipped_and_small_ones_are_not():
    big = {"batch": [{"type": "track", "event": "e", "userId": str(i), "properties": {"x": "y" * 50}} for i in range(200)]}
    with ScriptedServer() as srv:
        t = transport(srv.url, "pipelines")
        t.send(RequestSpec("POST", "/batch", operation_id="batch", json=big))
        t.send(RequestSpec("POST", "/identify", operation_id="identify", json={"userId": "1"}))
    assert srv.seen[0].headers.get("Content-Encoding") == "gzip"
    assert b'"userId":"199"' in srv.seen[0].body  # the server decompressed the original body
    assert "Content-Encoding" not in srv.seen[1].headers


def test_debug_logs_never_contain_keys(caplog):
    caplog.set_level(logging.DEBUG, logger="cio_toolkit")
    with ScriptedServer(Action(503), Action(401)) as srv, pytest.raises(cio.AuthenticationError):
        transport(srv.url).send(GET)
    text = caplog.text
    assert "listCampaigns" in text or "/v1/campaigns" in text
    assert KEY not in text


def test_parse_retry_after_forms():
    assert parse_retry_after("3") == 3
    assert parse_retry_after("0.5") == 0.5
    assert parse_retry_after(None) is None
    assert parse_retry_after("garbage") is None
    import email.utils

    date = "Sun, 29 Nov 2026 00:00:10 GMT"
    now = email.utils.parsedate_to_datetime(date).timestamp() - 10
    assert parse_retry_after(date, now=now) == 10


def test_retry_delay_full_jitter_is_capped_and_honours_retry_after():
    import random

    p = RetryPolicy(max_retries=10, backoff_base=1, backoff_cap=4, budget=100)
    rng = random.Random(1)
    delays = [retry_delay(p, attempt=a, elapsed=0, idempotent=True, status=503, rng=rng) for a in range(10)]
    assert all(d is not None and 0 <= d <= 4 for d in delays)
    assert retry_delay(p, attempt=0, elapsed=0, idempotent=True, status=429, retry_after=9, rng=rng) == 9
    assert retry_delay(p, attempt=10, elapsed=0, idempotent=True, status=503) is None
    assert retry_delay(p, attempt=0, elapsed=99.5, idempotent=True, status=429, retry_after=2) is None


async def test_async_transport_retries_and_maps_errors():
    s = Settings(base_url="http://x", app_api_key=KEY)
    with ScriptedServer(Action(503), Action(429, headers={"Retry-After": "0"}), Action(404)) as srv:
        t = AsyncTransport(s.with_overrides(base_url=srv.url), "app", retry=FAST, rate_limits=False)
        with pytest.raises(cio.NotFoundError):
            await t.send(GET)
        await t.aclose()
    assert len(srv.seen) == 3


async def test_async_timeout_and_drop():
    s = Settings(app_api_key=KEY)
    with ScriptedServer(Action(delay=0.4), Action(drop=True)) as srv:
        t = AsyncTransport(s.with_overrides(base_url=srv.url), "app", retry=FAST, rate_limits=False, timeout=0.1)
        r = await t.send(GET)
        await t.aclose()
    assert r.attempts == 3


def test_a_redirect_is_an_error_not_an_acknowledgement():
    with ScriptedServer(Action(307, headers={"Location": "http://elsewhere.invalid/v1/send/email"})) as srv:
        with pytest.raises(cio.APIError) as ei:
            transport(srv.url).send(POST)
    assert ei.value.status == 307 and "unexpected redirect" in str(ei.value) and len(srv.seen) == 1


def test_an_undecodable_answer_maps_into_the_tree():
    # A body that claims gzip but is not: httpx2 raises DecodingError, not a TransportError.
    with ScriptedServer(Action(200, headers={"Content-Encoding": "gzip"})) as srv:
        with pytest.raises(cio.NetworkError, match="DecodingError"):
            transport(srv.url).send(POST)
    assert len(srv.seen) == 1  # a write whose answer was garbled may have been applied: not retried


@pytest.mark.parametrize(("status", "body", "said"), [
    (400, {"meta": {"errors": ["value for attribute 'plan' cannot be longer than 1000 bytes"]}},
     "value for attribute 'plan' cannot be longer than 1000 bytes"),
    (400, {"meta": {"error": "to: is required"}}, "to: is required"),
    (422, {"errors": [{"detail": "is not a valid email", "source": {"pointer": "/data/email"}}]},
     "data/email: is not a valid email"),
    (400, {"errors": [{"detail": "must be gzip or identity", "source": {"header": "content-encoding"}}]},
     "content-encoding: must be gzip or identity"),
    (413, {"code": "request_too_large", "message": "body: is 600000 bytes; the limit is 512000 bytes"},
     "body: is 600000 bytes; the limit is 512000 bytes"),
    (400, {"errors": [{"reason": "invalid_request", "field": "body.identifiers", "message": "is required"}]},
     "body.identifiers: is required"),
    (404, "Segment not found", "Segment not found"),
    (401, b"Unauthorized request", "Unauthorized request"),
    (502, b"<html><body>Bad gateway</body></html>", None),
])
def test_error_messages_carry_the_services_words_in_every_shape(status, body, said):
    action = Action(status, raw=body) if isinstance(body, bytes) else Action(status, body)
    with ScriptedServer(action) as srv, pytest.raises(cio.APIError) as ei:
        transport(srv.url, retry=RetryPolicy(max_retries=0)).send(GET)
    assert ei.value.status == status
    if said is None:
        assert ei.value.message.startswith(f"listCampaigns: HTTP {status}") and "<html>" not in ei.value.message
    else:
        assert said in ei.value.message
