"""Each reporting webhook has its own signing key: answered once at creation, used for its deliveries only."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import orjson
import pytest

from cio_toolkit import CustomerIO
from cio_toolkit._exceptions import WebhookSignatureError
from cio_toolkit.emulator import Emulator
from cio_toolkit.emulator.models.content import doc_put
from cio_toolkit.emulator.services.webhooks import delivery_report
from cio_toolkit.webhooks import Receiver, register_receiver, sign, verify, wait_for_events

from .._servers import ScriptedServer


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(log=False, log_bodies=True, rate_limits=False) as e:
        yield e


@pytest.fixture
def cio(emu: Emulator) -> Iterator[CustomerIO]:
    with CustomerIO(**emu.settings()) as client:
        yield client


def send_email(cio: CustomerIO, person: str) -> None:
    cio.track.customers.identify(id=person, email=f"{person}@example.com")
    cio.app.send.email(identifiers={"id": person}, to=f"{person}@example.com", subject="Hi", body="<p>hi</p>",
                       from_="team@example.com")


def wait_for(server: ScriptedServer, n: int) -> None:
    deadline = time.monotonic() + 10
    while len(server.seen) < n:
        assert time.monotonic() < deadline, f"{len(server.seen)} of {n} deliveries arrived"
        time.sleep(0.02)


def test_the_key_is_answered_once_and_never_again(emu: Emulator, cio: CustomerIO) -> None:
    hooks = cio.app.reporting_webhooks
    first = hooks.create(name="a", endpoint="http://127.0.0.1:9/a", events=["email_sent"])
    second = hooks.create(name="b", endpoint="http://127.0.0.1:9/b", events=["email_sent"])
    key = first["signing_key"]
    assert re.fullmatch(r"[0-9a-f]{64}", key) and second["signing_key"] != key
    updated = hooks.update(webhook_id=first["id"], name="a2", endpoint="http://127.0.0.1:9/a2", events=["email_sent"])
    seen = [hooks.get(webhook_id=first["id"]), updated, *hooks.list()]
    assert all("signing_key" not in w for w in seen) and updated["name"] == "a2"
    with httpx2.Client(base_url=emu.url, timeout=10) as admin:
        shown = [admin.get(p).text for p in ("/_emulator/webhook_deliveries", "/_emulator/requests?limit=100")]
    # Not in the request log (bodies logged), the admin views, reprs or the store's public views.
    for text in [*shown, orjson.dumps(emu.requests).decode(), repr(emu.state), repr(emu.store),
                 orjson.dumps(delivery_report(emu.store)).decode()]:
        assert key not in text and second["signing_key"] not in text


def test_each_webhook_is_signed_with_its_own_key(emu: Emulator, cio: CustomerIO) -> None:
    with ScriptedServer() as one, ScriptedServer() as two, ScriptedServer() as seeded:
        hook_one = register_receiver(cio, one.url, events=["email_sent"])
        hook_two = register_receiver(cio, two.url, events=["email_sent"])
        # The key survives an update of the webhook.
        cio.app.reporting_webhooks.update(webhook_id=hook_one["id"], name="renamed", endpoint=one.url,
                                          events=["email_sent"])
        # As a seed writes a webhook the emulator configures itself: no key of its own.
        doc_put(emu.store, "webhook", 900, {"id": 900, "name": "seeded", "endpoint": seeded.url,
                                            "events": ["email_sent"], "disabled": False})
        send_email(cio, "keyed")
        for server in (one, two, seeded):
            wait_for(server, 1)
        configured = {"signing_key": emu.keys.webhook_signing_key}
        for server, own, others in ((one, hook_one, (hook_two, configured)), (two, hook_two, (hook_one, configured)),
                                    (seeded, configured, (hook_one, hook_two))):
            [request] = server.seen
            verify(request.body, request.headers, own["signing_key"])
            for wrong in others:
                with pytest.raises(WebhookSignatureError):
                    verify(request.body, request.headers, wrong["signing_key"])


def test_a_receiver_given_to_register_receiver_accepts_the_new_key(
    emu: Emulator, cio: CustomerIO, tmp_path: Path
) -> None:
    with Receiver("a-key-from-another-webhook", tmp_path / "events.duckdb") as receiver:
        register_receiver(cio, receiver, events=["email_sent"])
        send_email(cio, "received")
        assert wait_for_events(receiver, 1, timeout=10) == 1


def test_a_receiver_accepts_any_of_several_keys(tmp_path: Path) -> None:
    body = orjson.dumps({"event_id": "01HX", "object_type": "email", "metric": "sent", "timestamp": int(time.time()),
                         "data": {"delivery_id": "d1", "recipient": "a@example.com"}})
    with Receiver(["old-key", "new-key"], tmp_path / "events.duckdb") as receiver:
        answers = [httpx2.post(receiver.url, content=body, headers=sign(body, key), timeout=10).status_code
                   for key in ("old-key", "new-key", "third-key")]
        receiver.add_signing_key("third-key")
        answers.append(httpx2.post(receiver.url, content=body, headers=sign(body, "third-key"), timeout=10).status_code)
    assert answers == [200, 200, 401, 200]
    with pytest.raises(ValueError, match="at least one"):
        verify(body, sign(body, "k"), [])
