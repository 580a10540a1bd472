"""customerio-cdp-analytics (``customerio.analytics``), unchanged, against the emulator over http and TLS.

The same calls as the Node CDP scenarios, read back by the same checks (_cdp.py). Over TLS the
SDK trusts the emulators through ``REQUESTS_CA_BUNDLE`` alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import customerio.analytics as analytics
import httpx2
import pytest
from customerio.analytics.request import APIError

from cio_toolkit.emulator import Emulator

from . import _cdp
from ._peers import AppReader, Peers, verify

pytestmark = pytest.mark.sdk

Sent = tuple[bool, dict[str, Any]]
Failures = list[tuple[Exception, list[dict[str, Any]]]]


def _user() -> str:
    return f"sdk-py-{uuid.uuid4().hex[:10]}"


def _run(emu: Emulator, send: Callable[[Any], list[Sent]], write_key: str | None = None) -> tuple[list[str], Failures]:
    """Send through a new client, flush and shut it down: the messageIds, and what ``on_error`` got."""
    failures: Failures = []
    client = analytics.Client(
        write_key or emu.keys.pipelines_api_key,
        host=emu.url,
        upload_interval=0.05,
        max_retries=0,  # an error is reported at once instead of after backoff
        on_error=lambda error, batch: failures.append((error, batch)),
    )
    try:
        sent = send(client)
    finally:
        client.shutdown()
    assert all(queued for queued, _ in sent), sent
    return [msg["messageId"] for _, msg in sent], failures


def _deliver(emu: Emulator, send: Callable[[Any], list[Sent]]) -> list[str]:
    """:func:`_run`, failing on any error the SDK reported."""
    ids, failures = _run(emu, send)
    assert failures == [], failures
    return ids


def test_identify(trusted: Peers, app_of: AppReader) -> None:
    user, emu = _user(), trusted.main
    _deliver(emu, lambda c: [c.identify(user, {"email": f"{user}@example.com", "plan": "pro"})])
    _cdp.check_identify(app_of(emu), user)


def test_track(trusted: Peers, app_of: AppReader) -> None:
    user, emu = _user(), trusted.main
    _, track_id = _deliver(emu, lambda c: [
        c.identify(user, {"plan": "free"}),
        c.track(user, "Order Completed", {"total": 42.5, "items": 2}),
    ])
    _cdp.check_track(emu, app_of(emu), user, track_id, _cdp.PYTHON_LIBRARY)


def test_page(trusted: Peers) -> None:
    user, emu = _user(), trusted.main
    [page_id] = _deliver(emu, lambda c: [c.page(user, name="Pricing", properties={"url": "https://example.com/pricing"})])
    _cdp.check_page(emu, user, page_id)


def test_screen(trusted: Peers) -> None:
    user, emu = _user(), trusted.main
    [screen_id] = _deliver(emu, lambda c: [c.screen(user, name="Settings", properties={"tab": "privacy"})])
    _cdp.check_screen(emu, user, screen_id)


def test_group(trusted: Peers, app_of: AppReader) -> None:
    user, emu = _user(), trusted.main
    _deliver(emu, lambda c: [c.group(user, f"{user}-team", {"name": "Team", "seats": 5})])
    _cdp.check_group(emu, app_of(emu), user)


def test_alias_merges_the_anonymous_profile(trusted: Peers, app_of: AppReader) -> None:
    # The SDK sends alias inside /v1/batch (src/cio_toolkit/specs/DIVERGENCES.md).
    user, emu = _user(), trusted.main
    _deliver(emu, lambda c: [
        c.identify(anonymous_id=f"{user}-anon", traits={"utm": "ads"}),
        c.identify(user, {"plan": "pro"}),
        c.alias(previous_id=f"{user}-anon", user_id=user),
    ])
    _cdp.check_alias(emu, app_of(emu), user)


def test_batch_of_several_calls(trusted: Peers, app_of: AppReader) -> None:
    user, emu = _user(), trusted.main
    ids = _deliver(emu, lambda c: [
        c.identify(user, {"source": "batch"}),
        c.track(user, "Signed Up"),
        c.page(user, name="Welcome"),
        c.screen(user, name="Home"),
        c.group(user, f"{user}-org", {"name": "Org"}),
    ])
    _cdp.check_batch(emu, app_of(emu), user, ids)


def test_wrong_write_key_reaches_on_error_with_the_message(trusted: Peers) -> None:
    user, emu = _user(), trusted.main
    [message_id], failures = _run(emu, lambda c: [c.track(user, "Never Stored")], write_key="not-the-write-key")
    [(error, batch)] = failures
    assert isinstance(error, APIError), repr(error)
    assert error.status == 401 and [m["messageId"] for m in batch] == [message_id]
    # What the emulator answers a wrong key is what the SDK's error says.
    answer = httpx2.post(f"{emu.url}/v1/batch", json={"batch": []}, auth=("not-the-write-key", ""), verify=verify(emu))
    assert answer.status_code == 401 and error.message and error.message in answer.text
    _cdp.check_nothing_stored(emu, user, message_id)
