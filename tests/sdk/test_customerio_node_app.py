"""customerio-node's APIClient, unchanged, against the emulator over TLS: everything 4.4.0 exposes
that the spec describes (sendInboxMessage and sendInApp have no spec operation; see
src/cio_toolkit/specs/DIVERGENCES.md).

All scenarios run in one node process (node/harness.js) and are read back over our App client.
"""

from __future__ import annotations

import gzip
from collections.abc import Mapping
from typing import Any

import httpx2
import pytest

from cio_toolkit import CustomerIO

from . import _app
from ._peers import AppReader, Peers, verify
from .conftest import Outcome, PlanRunner, Scenario

pytestmark = pytest.mark.sdk


@pytest.fixture
def transport() -> str:
    """customerio-node always uses https.request."""
    return "tls"


def _plan(peers: Peers) -> Mapping[str, Scenario]:
    with CustomerIO(**peers.main.settings()) as cio:
        t = {**_app.targets(cio.app), "phone": _app.PHONE}
    return {
        # "headers": {}, push without `to`, the SDK's trigger path: see specs/DIVERGENCES.md.
        "email": Scenario("app_email", args={"template": t["email"]}),
        "push": Scenario("app_push", args={"template": t["push"]}),
        "broadcast_sdk": Scenario("app_broadcast_sdk", args=t),
        "sms": Scenario("app_sms", args={**t, "template": t["sms"]}),
        "broadcast_spec": Scenario("app_broadcast_spec", args=t),
        "lookups": Scenario("app_lookups"),
        "exports": Scenario("app_exports", args=t),
        "wrong_key": Scenario("app_wrong_key"),
        "invalid": Scenario("app_invalid", refused=True, args={"template": t["email"]}),
    }


@pytest.fixture
def runs(node_runs: PlanRunner, peers: Peers) -> dict[str, Outcome]:
    return node_runs("app-node", peers, _plan)


@pytest.mark.parametrize("channel", ["email", "push", "sms"])
def test_transactional_send(channel: str, runs: dict[str, Outcome], app_of: AppReader) -> None:
    out = runs[channel]
    _app.check_delivery(app_of(out.emu), out.ok()["delivery_id"], out.id, channel)


@pytest.mark.parametrize("path", ["sdk", "spec"])
def test_broadcast_trigger(path: str, runs: dict[str, Outcome], app_of: AppReader) -> None:
    out = runs[f"broadcast_{path}"]
    _app.check_trigger(app_of(out.emu), out.ok()["id"], out.id)


def test_customer_lookups(runs: dict[str, Outcome], app_of: AppReader) -> None:
    out = runs["lookups"]
    got, app, email = out.ok(), app_of(out.emu), f"{out.id}@example.com"
    # The SDK reads what our client reads, over the same operations.
    assert got["byEmail"]["results"] == app.customers.find(email=email).to_list()
    assert got["attributes"]["customer"] == app.customers.attributes(customer_id=out.id, id_type="id")
    assert got["attributesByEmail"]["customer"] == got["attributes"]["customer"]
    assert got["attributes"]["customer"]["attributes"]["plan"] == "pro"


def test_exports(runs: dict[str, Outcome], app_of: AppReader) -> None:
    out = runs["exports"]
    got: dict[str, Any] = out.ok()
    app, customers, deliveries = app_of(out.emu), got["customers"]["export"], got["deliveries"]["export"]
    assert (customers["type"], deliveries["type"]) == ("customers", "deliveries")
    assert {customers["id"], deliveries["id"]} <= {e["id"] for e in got["list"]["exports"]}
    assert got["get"]["export"]["id"] == customers["id"]
    assert app.exports.get(export_id=customers["id"])["total"] == 1
    # The download link the SDK got serves the export: the one tagged person.
    file = httpx2.get(got["download"]["url"], verify=verify(out.emu))
    assert out.id in gzip.decompress(file.content).decode()


def test_wrong_key_reaches_the_error_object(runs: dict[str, Outcome]) -> None:
    out = runs["wrong_key"]
    # The service's 401 is plain text, which customerio-node 4.4.0 fails to parse as JSON: its
    # error is a plain Error whose message ends with the body (and has no statusCode),
    # customerio-node issue 71.
    assert out.error is not None and out.error["message"].endswith("Unauthorized request"), out.error


def test_validation_error_names_the_field(runs: dict[str, Outcome]) -> None:
    out = runs["invalid"]
    assert out.error is not None and out.error["name"] == "CustomerIORequestError", out.error
    assert out.error["statusCode"] == 400 and "identifiers" in out.error["message"], out.error
