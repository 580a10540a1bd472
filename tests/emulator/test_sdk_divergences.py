"""What the official SDKs send where the specs say otherwise (issue 12), as raw HTTP.

Each body is shaped exactly as the SDK builds it (customerio-node 4.4.0, @customerio/cdp-analytics-node
0.5.9; the sources are cited in src/cio_toolkit/specs/DIVERGENCES.md) and its effect is read back over
the App API. The ``sdk`` emulator joins the suite's conformance log, so these requests must also be
judged valid; requests that are invalid on purpose go to the ``quiet`` one.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from cio_toolkit import CustomerIO
from cio_toolkit._exceptions import ConfigError
from cio_toolkit.emulator import Emulator, EmulatorConfig

from .._errors import error_pairs
from ._util import app_headers, pipelines_auth, track_auth
from .test_cli import read_until, start

_CDP_HEADERS = {"Content-Type": "application/json", "User-Agent": "cdp-analytics-node/latest"}
_LIBRARY = {"library": {"name": "@customerio/cdp-analytics-node", "version": "1.0.0-beta.22"}}
_METADATA = {"nodeVersion": "20.20.2", "jsRuntime": "node"}


@pytest.fixture(scope="module")
def sdk() -> Iterator[Emulator]:
    with Emulator(seed="demo", rate_limits=False) as emu:
        yield emu


@pytest.fixture(scope="module")
def quiet() -> Iterator[Emulator]:
    with Emulator(seed="demo", rate_limits=False, log=False) as emu:
        yield emu


def _app(emu: Emulator) -> Any:
    return CustomerIO(**emu.settings()).app


def _call(type_: str, n: int, **fields: Any) -> dict[str, Any]:
    """One call as the CDP SDK's event factory builds it (publisher.ts:182 wraps them in ``batch``)."""
    return {"timestamp": "2026-05-02T07:30:24.777Z", "integrations": {}, "type": type_, **fields,
            "context": _LIBRARY, "messageId": f"node-next-{n}", "_metadata": _METADATA}


def _batch(emu: Emulator, calls: list[Any], *, strict: bool = False) -> httpx2.Response:
    headers = {**_CDP_HEADERS, **({"X-Strict-Mode": "1"} if strict else {})}
    return httpx2.post(f"{emu.url}/v1/batch", json={"batch": calls}, headers=headers, auth=pipelines_auth(emu))


def _attributes(emu: Emulator, user: str) -> dict[str, Any]:
    with _app(emu) as app:
        return dict(app.customers.attributes(customer_id=user, id_type="id")["attributes"])


def _app_post(emu: Emulator, path: str, body: dict[str, Any]) -> httpx2.Response:
    return httpx2.post(f"{emu.url}{path}", json=body, headers=app_headers(emu), timeout=10)


# ---------------------------------------------------------------- alias inside /v1/batch


def test_alias_inside_a_batch_merges_previous_id_into_user_id(sdk: Emulator) -> None:
    first = [_call("identify", 1, anonymousId="anon-div-1", traits={"plan": "pro"})]
    assert _batch(sdk, first).status_code == 200
    # The SDK's own batch: a track, the alias, an identify, in this order.
    calls = [
        _call("track", 2, event="Signed Up", properties={"plan": "pro"}, userId="div-1"),
        _call("alias", 3, userId="div-1", previousId="anon-div-1"),
        _call("identify", 4, userId="div-1", traits={"email": "div-1@example.com"}),
    ]
    r = _batch(sdk, calls)
    assert r.status_code == 200 and r.json() == {}
    attributes = _attributes(sdk, "div-1")
    assert attributes["plan"] == "pro" and attributes["email"] == "div-1@example.com"
    assert sdk.store.find_person(anonymous_id="anon-div-1")["id"] == "div-1"  # type: ignore[index]


def test_an_invalid_batch_item_is_dropped_alone(quiet: Emulator) -> None:
    calls = [
        _call("track", 10, event="Kept Before", userId="div-2"),
        _call("bogus", 11, userId="div-2"),
        "not a call",
        _call("identify", 12, userId="div-2", traits={"kept": "yes"}),
    ]
    r = _batch(quiet, calls)
    assert r.status_code == 200 and r.json() == {}
    assert _attributes(quiet, "div-2")["kept"] == "yes"
    assert any(e["message_id"] == "node-next-10" for e in quiet.store.events())
    dropped = httpx2.get(f"{quiet.url}/_emulator/dropped").json()[-2:]
    assert [d["messageId"] for d in dropped] == ["node-next-11", None]
    assert dropped[0]["errors"] == ["body.batch[1].type: must be one of ['identify']"]
    assert dropped[1]["errors"] == ["body.batch[2]: expected type object, got string"]


def test_strict_mode_names_the_failed_items_and_applies_the_valid_ones(quiet: Emulator) -> None:
    calls = [
        _call("alias", 20, userId="div-3"),  # no previousId
        _call("identify", 21, userId="div-3", traits={"tier": "gold"}),
        _call("track", 22, userId="div-3", event=5),
    ]
    r = _batch(quiet, calls, strict=True)
    assert r.status_code == 400
    assert error_pairs(r) == [
        ("body.batch[0].previousId", "is required"),
        ("body.batch[2].event", "expected type string, got integer"),
    ]
    assert _attributes(quiet, "div-3")["tier"] == "gold"


# ---------------------------------------------------------------- customerio-node's App API calls


def test_transactional_email_with_the_sdk_s_headers_object(sdk: Emulator) -> None:
    # lib/api/requests.ts:47-57: attachments {} and headers {} always, undefined fields left out.
    body = {"to": "div-4@example.com", "identifiers": {"id": "div-4"}, "attachments": {},
            "message_data": {"name": "Ada"}, "headers": {}, "transactional_message_id": "1"}
    r = _app_post(sdk, "/v1/send/email", body)
    assert r.status_code == 200, r.text
    tagged = _app_post(sdk, "/v1/send/email", {**body, "headers": {"X-Mailgun-Tag": "welcome"}})
    assert tagged.status_code == 200, tagged.text
    with _app(sdk) as app:
        message = app.messages.get(message_id=r.json()["delivery_id"])
    assert message["recipient"] == "div-4@example.com" and message["type"] == "email"


def test_email_headers_must_still_be_strings(quiet: Emulator) -> None:
    body = {"to": "div-5@example.com", "identifiers": {"id": "div-5"}, "headers": {"X-Count": 3},
            "transactional_message_id": "1"}
    r = _app_post(quiet, "/v1/send/email", body)
    assert r.status_code == 400
    assert error_pairs(r)[0][0] == "body.headers.X-Count"


def test_push_without_to(sdk: Emulator) -> None:
    # lib/api/requests.ts:146-162: ``to`` only when given; JSON.stringify drops the undefined ones.
    body = {"identifiers": {"id": "u1001"}, "transactional_message_id": "4", "title": "Hi", "message": "Hello"}
    r = _app_post(sdk, "/v1/send/push", body)
    assert r.status_code == 200, r.text
    with _app(sdk) as app:
        message = app.messages.get(message_id=r.json()["delivery_id"])
    assert message["type"] == "push" and message["customer_id"] == "u1001"


def _broadcast_messages(emu: Emulator, user: str) -> int:
    with _app(emu) as app:
        return sum(m["customer_id"] == user for m in app.broadcasts.messages(broadcast_id=1).to_list())


def test_broadcast_trigger_on_the_sdk_path_is_the_same_operation(sdk: Emulator, quiet: Emulator) -> None:
    # lib/api.ts:126-141: {data, ids} (or {data, recipients}) posted to ${apiRoot}/api/campaigns/${id}/triggers.
    before = _broadcast_messages(sdk, "u1001")
    r = _app_post(sdk, "/v1/api/campaigns/1/triggers", {"data": {"headline": "x"}, "ids": ["u1001"]})
    assert r.status_code == 200, r.text
    assert r.headers["x-cio-emulator-operation"] == "app_api.triggerBroadcast"
    with _app(sdk) as app:
        assert app.broadcasts.triggers.get(broadcast_id=1, trigger_id=r.json()["id"])["id"] == r.json()["id"]
    assert _broadcast_messages(sdk, "u1001") > before
    bad = {"data": "not an object"}
    answers = [_app_post(quiet, path, bad) for path in ("/v1/campaigns/1/triggers", "/v1/api/campaigns/1/triggers")]
    assert [a.status_code for a in answers] == [422, 422]  # the status the spec documents for it
    assert answers[0].json() == answers[1].json()


# ---------------------------------------------------------------- getRegion


def _region(emu: Emulator) -> dict[str, Any]:
    r = httpx2.get(f"{emu.url}/api/v1/accounts/region", auth=track_auth(emu), timeout=10)
    assert r.status_code == 200
    return dict(r.json())


def test_get_region_answers_the_configured_region(sdk: Emulator) -> None:
    assert _region(sdk)["region"] == "us"
    with Emulator(region="EU") as emu:
        answer = _region(emu)
    assert (answer["region"], answer["url"]) == ("eu", "https://track-eu.customer.io")
    with pytest.raises(ConfigError, match="region must be one of us, eu"):
        EmulatorConfig.create(region="mars")


def test_cli_region_flag() -> None:
    proc = start("--region", "eu")
    try:
        out = read_until(proc, r"^export CIO_TRACK_API_KEY")
        exports = dict(line[len("export "):].split("=", 1) for line in out if line.startswith("export "))
        r = httpx2.get(f"{exports['CIO_BASE_URL']}/api/v1/accounts/region",
                       auth=(exports["CIO_SITE_ID"], exports["CIO_TRACK_API_KEY"]), timeout=10)
        assert r.json()["region"] == "eu"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
