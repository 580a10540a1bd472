"""customerio-node's TrackClient, unchanged, against the emulator over TLS (it speaks nothing else).

All scenarios run in one node process (node/harness.js); the checks are shared with the Python
Track SDK's tests (_track.py).
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from . import _track
from ._peers import AppReader, Peers
from .conftest import Outcome, PlanRunner, Scenario

pytestmark = pytest.mark.sdk


@pytest.fixture
def transport() -> str:
    """customerio-node always uses https.request."""
    return "tls"


def _plan(peers: Peers) -> Mapping[str, Scenario]:
    # An attribute over the limit is refused by the spec's rules: kept out of the conformance log.
    plan = {name: Scenario(f"track_{name}") for name in [*_track.CHECKS, "wrong_key"]}
    return {**plan, "invalid": Scenario("track_invalid", refused=True)}


@pytest.fixture
def runs(node_runs: PlanRunner, peers: Peers) -> dict[str, Outcome]:
    return node_runs("track-node", peers, _plan)


@pytest.mark.parametrize("name", list(_track.CHECKS))
def test_scenario_lands(name: str, runs: dict[str, Outcome], app_of: AppReader) -> None:
    out = runs[name]
    out.ok()
    _track.CHECKS[name](out.emu, app_of(out.emu), out.id)


def test_wrong_key_reaches_the_error_object(runs: dict[str, Outcome], app_of: AppReader) -> None:
    out = runs["wrong_key"]
    # The service's 401 is plain text, which customerio-node 4.4.0 fails to parse as JSON: its
    # error is a plain Error whose message ends with the body (and has no statusCode),
    # customerio-node issue 71.
    assert out.error is not None and out.error["message"].endswith("Unauthorized request"), out.error
    _track.check_nobody(out.emu, app_of(out.emu), out.id)


def test_validation_error_names_the_field(runs: dict[str, Outcome], app_of: AppReader) -> None:
    out = runs["invalid"]
    assert out.error is not None and out.error["name"] == "CustomerIORequestError", out.error
    assert out.error["statusCode"] == 400 and "too_long" in out.error["message"], out.error
    _track.check_nobody(out.emu, app_of(out.emu), out.id)
