"""customerio-node (TrackClient, APIClient), unchanged, against the emulator.

The SDK only speaks https, so every scenario runs against an emulator serving TLS
(``Emulator(tls=True)``) and trusts its CA through NODE_EXTRA_CA_CERTS. Scenarios that hit a known
emulator gap of issue 12 are expected failures (strict, so they fail loudly once the gap is
closed and must be un-marked) and say which.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cio_toolkit import CustomerIO
from cio_toolkit.emulator import Emulator

from .conftest import run_scenario


def _gap(which: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"issue 12: {which}")


@pytest.fixture(scope="module")
def app(tls_emulator: Emulator) -> Iterator[Any]:
    with CustomerIO(**tls_emulator.settings()) as cio:
        yield cio.app


def _ok(out: dict[str, Any]) -> Any:
    assert out["error"] is None, out["error"]
    return out["result"]


def _templates(emu: Emulator) -> str:
    with CustomerIO(**emu.settings()) as cio:
        return ",".join(str(t["id"]) for t in cio.app.transactional.list().to_list())


def _person(emu: Emulator, user: str) -> dict[str, Any] | None:
    return emu.store.find_person(id=user)


def test_identify(node_modules: Path, tls_emulator: Emulator, app: Any) -> None:
    out = run_scenario(node_modules, tls_emulator, "node_identify")
    _ok(out)
    attributes = app.customers.attributes(customer_id=out["id"], id_type="id")["attributes"]
    assert attributes["email"] == f"{out['id']}@example.com" and attributes["plan"] == "pro"


def test_track_and_page_view(node_modules: Path, tls_emulator: Emulator) -> None:
    out = run_scenario(node_modules, tls_emulator, "node_track")
    _ok(out)
    pk = _person(tls_emulator, out["id"])["pk"]  # type: ignore[index]
    mine = [e for e in tls_emulator.store.events() if e["person_pk"] == pk]
    assert {(e["type"], e["name"]) for e in mine} >= {("page", "/pricing")}
    assert any(e["name"] == "Order Completed" and e["properties"] == {"total": 42.5} for e in mine)


def test_devices(node_modules: Path, tls_emulator: Emulator) -> None:
    out = run_scenario(node_modules, tls_emulator, "node_devices")
    _ok(out)
    tokens = {row["device_id"] for row in tls_emulator.store.query("SELECT device_id FROM devices")}
    assert f"{out['id']}-token" in tokens and f"{out['id']}-gone" not in tokens


def test_suppress_then_unsuppress(node_modules: Path, tls_emulator: Emulator) -> None:
    out = run_scenario(node_modules, tls_emulator, "node_suppress")
    _ok(out)
    # Suppressing deletes the profile, as Customer.io does; unsuppressing lets it be added again.
    assert _person(tls_emulator, out["id"]) is None


def test_merge(node_modules: Path, tls_emulator: Emulator) -> None:
    out = run_scenario(node_modules, tls_emulator, "node_merge")
    _ok(out)
    kept = _person(tls_emulator, out["id"])
    assert kept is not None and kept["attributes"].get("utm") == "ads"
    assert _person(tls_emulator, f"{out['id']}-dup") is None


def test_delete(node_modules: Path, tls_emulator: Emulator) -> None:
    out = run_scenario(node_modules, tls_emulator, "node_delete")
    _ok(out)
    assert _person(tls_emulator, out["id"]) is None


def test_anonymous_event(node_modules: Path, tls_emulator: Emulator) -> None:
    out = run_scenario(node_modules, tls_emulator, "node_anonymous")
    _ok(out)
    anon = f"{out['id']}-anon"
    assert any(
        e["anonymous_id"] == anon and e["name"] == "Viewed Pricing" for e in tls_emulator.store.events()
    )


@_gap('"headers": {} on transactional email is refused')
def test_transactional_email_as_the_sdk_builds_it(node_modules: Path, tls_gap_emulator: Emulator) -> None:
    out = run_scenario(
        node_modules, tls_gap_emulator, "node_email", CIO_SDK_TX_IDS=_templates(tls_gap_emulator)
    )
    assert _ok(out)["delivery_id"]


@_gap("push without `to` is refused")
def test_push_without_to(node_modules: Path, tls_gap_emulator: Emulator) -> None:
    out = run_scenario(
        node_modules, tls_gap_emulator, "node_push", CIO_SDK_TX_IDS=_templates(tls_gap_emulator)
    )
    assert _ok(out)["delivery_id"]


@_gap("/v1/api/campaigns/{id}/triggers answers 404")
def test_broadcast_trigger_on_the_sdk_path(node_modules: Path, tls_gap_emulator: Emulator) -> None:
    with CustomerIO(**tls_gap_emulator.settings()) as cio:
        broadcast = cio.app.broadcasts.list().to_list()[0]["id"]
    out = run_scenario(node_modules, tls_gap_emulator, "node_broadcast", CIO_SDK_BROADCAST_ID=str(broadcast))
    assert _ok(out)["id"]


@_gap('error bodies are not the real shapes (the SDK says "Unknown error")')
def test_wrong_key_reaches_the_error_object(node_modules: Path, tls_gap_emulator: Emulator) -> None:
    out = run_scenario(node_modules, tls_gap_emulator, "node_wrong_key")
    error = out["error"]
    assert error is not None and error["name"] == "CustomerIORequestError"
    assert error["statusCode"] == 401
    assert error["message"] != "Unknown error"
