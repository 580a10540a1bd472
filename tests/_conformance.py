"""Suite-wide conformance, checked once when the session finishes, whatever ran and in what order.

Every emulator started during the run appends to one JSONL request log (tests/conftest.py). At the
end of the session this plugin reads it and fails the run when:

- a request was judged invalid against the official spec (tests that send invalid requests on
  purpose start their emulator with ``log=False``);
- an answer failed response validation, or a 5xx was answered without an injected fault;
- an operation of an API was never exercised, when that API's suite ran in full (selecting a
  subset of its tests skips the coverage check, not the other checks).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cio_toolkit.specs import operations

# One file per test run, so two runs in one checkout cannot mix (or cut) each other's lines.
REQUEST_LOG = Path(__file__).resolve().parent.parent / "build" / f"test-emulator-log-{os.getpid()}.jsonl"
# An API's coverage is checked when every test file of its suite was collected.
SUITES = {"pipelines_api": "tests/pipelines", "track_api": "tests/track", "app_api": "tests/app"}
_ROOT = Path(__file__).resolve().parent.parent


def _entries() -> list[dict]:
    if not REQUEST_LOG.exists():
        return []
    return [json.loads(line) for line in REQUEST_LOG.read_text().splitlines() if line.strip()]


def _suite_ran_whole(session: pytest.Session, folder: str) -> bool:
    collected = {Path(str(item.path)).resolve() for item in session.items}
    files = set((_ROOT / folder).resolve().glob("test_*.py"))
    return bool(files) and files <= collected


def problems(session: pytest.Session) -> list[str]:
    """What the session's request log shows is wrong (empty when all is well)."""
    log = _entries()
    out: list[str] = []
    invalid = [e for e in log if e.get("validation") not in (None, "ok")]
    if invalid:
        out.append(f"{len(invalid)} requests failed spec validation, e.g. {invalid[:3]}")
    off_schema = [e for e in log if e.get("response_validation")]
    if off_schema:
        out.append(f"{len(off_schema)} answers failed response validation, e.g. {off_schema[:3]}")
    crashed = [e for e in log if (e.get("status") or 0) >= 500 and not e.get("fault")]
    if crashed:
        out.append(f"{len(crashed)} requests got a 5xx without an injected fault, e.g. {crashed[:3]}")
    for spec, folder in SUITES.items():
        if not _suite_ran_whole(session, folder):
            continue
        # The reporting-webhook management paths are in both the App spec and the webhooks spec.
        apis = {spec, "reporting_webhooks"} if spec == "app_api" else {spec}
        seen = {e.get("operationId") for e in log if e.get("api") in apis and (e.get("status") or 500) < 400}
        missing = sorted(op["operationId"] for _, _, op in operations(spec) if op["operationId"] not in seen)
        if missing:
            out.append(f"{spec}: operations never exercised: {missing}")
    return out


_FOUND = pytest.StashKey[list[str]]()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if hasattr(session.config, "workerinput") or session.config.option.collectonly:
        return
    found = problems(session)
    session.config.stash[_FOUND] = found
    if found and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if not found:
        REQUEST_LOG.unlink(missing_ok=True)  # kept only when it shows a problem


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    found = config.stash.get(_FOUND, [])
    if found:
        terminalreporter.section("emulator request-log conformance", red=True)
        for line in found:
            terminalreporter.line(line)
