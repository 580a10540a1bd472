"""Per-call configuration: ``with_options`` gives a copy with another retry policy or timeout."""

from __future__ import annotations

import pytest

import cio_toolkit as cio
from cio_toolkit import CustomerIO, RetryPolicy
from tests._servers import Action, ScriptedServer

KEY = "k-1234567890"
FAST = RetryPolicy(max_retries=3, backoff_base=0.01)


def test_with_options_changes_retries_for_that_copy_only():
    with ScriptedServer(Action(503), Action(503), Action(503)) as srv:
        client = CustomerIO(base_url=srv.url, app_api_key=KEY, retry=FAST).app
        no_retry = client.with_options(retry=RetryPolicy(max_retries=0))
        with pytest.raises(cio.ServerError):
            no_retry.campaigns.list()
        assert len(srv.seen) == 1
        client.campaigns.list()  # the original still retries: 2 more 503s, then the default 200
        assert len(srv.seen) == 4
    assert type(no_retry) is type(client) and no_retry.settings == client.settings


def test_with_options_keeps_pipelines_strict_mode_and_sets_a_timeout():
    with ScriptedServer(Action(delay=0.5)) as srv:
        client = CustomerIO(base_url=srv.url, pipelines_api_key=KEY, strict=False).pipelines
        quick = client.with_options(timeout=0.1, retry=RetryPolicy(max_retries=0))
        assert quick.strict is False
        with pytest.raises(cio.TimeoutError):
            quick.identify(user_id="u1")
        client.identify(user_id="u1")
    assert "X-Strict-Mode" not in srv.seen[-1].headers


def test_with_options_per_call_reuses_the_parents_connections_and_closing_a_copy_leaves_them_open():
    with ScriptedServer() as srv:
        with CustomerIO(base_url=srv.url, app_api_key=KEY, retry=FAST, rate_limits=False) as cio_client:
            app = cio_client.app
            for _ in range(20):
                copy = app.with_options(timeout=5)
                copy.campaigns.list()
                copy.close()
            app.campaigns.list()
    assert len(srv.seen) == 21
    assert len({s.peer for s in srv.seen}) == 1  # one keep-alive connection, not a pool per copy


async def test_async_with_options_shares_the_pool_too():
    from cio_toolkit import AsyncCustomerIO

    with ScriptedServer() as srv:
        async with AsyncCustomerIO(base_url=srv.url, app_api_key=KEY, retry=FAST, rate_limits=False) as client:
            for _ in range(5):
                await client.app.with_options(timeout=5).campaigns.list()
    assert len(srv.seen) == 5 and len({s.peer for s in srv.seen}) == 1
