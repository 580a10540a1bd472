"""@customerio/cdp-analytics-node, unchanged, against the emulator over http and over TLS.

All scenarios run in one node process per transport (node/harness.js); each test reads back what
its scenario sent (see _cdp.py, shared with the Python SDK's tests).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from . import _cdp
from ._peers import AppReader, Peers
from .conftest import Outcome, PlanRunner, Scenario

pytestmark = pytest.mark.sdk


def _plan(peers: Peers) -> Mapping[str, Scenario]:
    names = ("identify", "track", "page", "screen", "group", "alias", "batch", "wrong_key")
    return {name: Scenario(f"cdp_{name}") for name in names}


@pytest.fixture
def runs(node_runs: PlanRunner, peers: Peers) -> dict[str, Outcome]:
    return node_runs("cdp-node", peers, _plan)


def _sent(out: Outcome) -> list[str]:
    """The messageIds of the calls the SDK reports as delivered (fails on any reported error)."""
    result: dict[str, Any] = out.ok()
    assert result["emitted"] == [], result["emitted"]
    assert all(r["error"] is None for r in result["results"]), result["results"]
    return [r["messageId"] for r in result["results"]]


def test_identify(runs: dict[str, Outcome], app_of: AppReader) -> None:
    out = runs["identify"]
    _sent(out)
    _cdp.check_identify(app_of(out.emu), out.id)


def test_track(runs: dict[str, Outcome], app_of: AppReader) -> None:
    out = runs["track"]
    _, track_id = _sent(out)
    _cdp.check_track(out.emu, app_of(out.emu), out.id, track_id, _cdp.NODE_LIBRARY)


def test_page(runs: dict[str, Outcome]) -> None:
    out = runs["page"]
    [page_id] = _sent(out)
    _cdp.check_page(out.emu, out.id, page_id)


def test_screen(runs: dict[str, Outcome]) -> None:
    out = runs["screen"]
    [screen_id] = _sent(out)
    _cdp.check_screen(out.emu, out.id, screen_id)


def test_group(runs: dict[str, Outcome], app_of: AppReader) -> None:
    out = runs["group"]
    _sent(out)
    _cdp.check_group(out.emu, app_of(out.emu), out.id)


def test_alias_merges_the_anonymous_profile(runs: dict[str, Outcome], app_of: AppReader) -> None:
    out = runs["alias"]
    _sent(out)
    _cdp.check_alias(out.emu, app_of(out.emu), out.id)


def test_batch_of_several_calls_is_one_request(runs: dict[str, Outcome], app_of: AppReader) -> None:
    out = runs["batch"]
    ids = _sent(out)
    assert out.result["requests"] == 1  # the SDK's own count of the HTTP requests it made
    _cdp.check_batch(out.emu, app_of(out.emu), out.id, ids)


def test_wrong_write_key_is_reported_with_its_status(runs: dict[str, Outcome]) -> None:
    out = runs["wrong_key"]
    [result] = out.ok()["results"]
    # The SDK's delivery error carries the status and its reason phrase, never the body.
    assert result["error"]["message"] == "[401] Unauthorized"
    assert [(e["code"], e["reason"]["message"]) for e in out.result["emitted"]] == [
        ("delivery_failure", "[401] Unauthorized")
    ]
    _cdp.check_nothing_stored(out.emu, out.id, result["messageId"])
