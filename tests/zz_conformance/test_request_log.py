"""Runs last: the request log of the whole suite shows no validation failure and full coverage.

Every emulator started during the run appended to one JSONL log (see tests/conftest.py). A request
our clients sent that the emulator judged invalid against the official spec fails here. Coverage
is checked only when the suites of that API ran in this session.
"""

from __future__ import annotations

import json

import pytest

from cio_toolkit.specs import operations
from tests.conftest import REQUEST_LOG

SUITES = {"pipelines_api": "tests/pipelines/", "track_api": "tests/track/", "app_api": "tests/app/"}


def entries() -> list[dict]:
    if not REQUEST_LOG.exists():
        return []
    return [json.loads(line) for line in REQUEST_LOG.read_text().splitlines() if line.strip()]


def test_no_request_failed_spec_validation():
    log = entries()
    if not log:
        pytest.skip("no emulator traffic in this session")
    bad = [e for e in log if e.get("validation") not in (None, "ok")]
    assert not bad, f"{len(bad)} requests failed validation, e.g. {bad[:3]}"


@pytest.mark.parametrize("spec", list(SUITES))
def test_every_operation_was_exercised(spec, request):
    ran = {str(item.path) for item in request.session.items}
    if not any(SUITES[spec] in p for p in ran):
        pytest.skip(f"{SUITES[spec]} did not run in this session")
    # The reporting-webhook management paths are in both the App spec and the webhooks spec.
    apis = {spec, "reporting_webhooks"} if spec == "app_api" else {spec}
    seen = {e.get("operationId") for e in entries() if e.get("api") in apis and (e.get("status") or 500) < 400}
    missing = sorted(op["operationId"] for _, _, op in operations(spec) if op["operationId"] not in seen)
    assert not missing, f"{spec}: operations never exercised: {missing}"
