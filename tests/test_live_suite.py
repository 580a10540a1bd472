"""The live suite skips cleanly: without CIO_LIVE=1, without keys, without permission to write, and
inside the whole suite; every skip names the variable to set."""

from __future__ import annotations

from pathlib import Path

import pytest

from cio_toolkit import Settings
from cio_toolkit._config import Secret
from cio_toolkit.emulator import Emulator
from tests.live._gate import Needs, skip_reason
from tests.live._runner import ROOT, run_suite

KEYS = {"pipelines": "CIO_PIPELINES_API_KEY", "track": "CIO_SITE_ID", "app": "CIO_APP_API_KEY"}


def test_without_cio_live_every_scenario_skips_naming_it(tmp_path: Path) -> None:
    run = run_suite({}, tmp_path)
    assert run.returncode == 0, run.output
    assert len(run.outcomes) >= 20 and run.with_status("skipped") == run.outcomes, run.output
    assert all("set CIO_LIVE=1" in o.message for o in run.outcomes.values())
    assert not list(tmp_path.glob("build/live/*.json"))  # nothing ran, nothing was recorded


def test_without_keys_each_scenario_names_the_keys_it_needs(tmp_path: Path) -> None:
    run = run_suite({"CIO_LIVE": "1"}, tmp_path)
    assert run.returncode == 0 and run.with_status("skipped") == run.outcomes, run.output
    people = run.outcomes["test_people.py::test_merge_two_people"].message
    assert "CIO_SITE_ID and CIO_TRACK_API_KEY" in people and "CIO_APP_API_KEY" in people
    assert "CIO_PIPELINES_API_KEY" in run.outcomes["test_bulk.py::test_diff_sync"].message
    assert run.outcomes["test_app_reads.py::test_campaign_metrics"].message.startswith("the app API needs CIO_APP_API_KEY")


def test_with_keys_but_no_permission_only_the_reads_run(tmp_path: Path) -> None:
    with Emulator(seed="demo") as emu:  # a workspace with segments, campaigns and newsletters to read
        run = run_suite({"CIO_LIVE": "1", **emu.env()}, tmp_path)
    assert run.returncode == 0, run.output
    assert not run.with_status("failed") and not run.with_status("error"), run.output
    assert set(run.with_status("passed")) == {f"test_app_reads.py::test_{name}" for name in (
        "segments_and_their_members", "campaign_metrics", "newsletter_metrics")}
    writes = [o for o in run.with_status("skipped").values() if "CIO_LIVE_ALLOW_WRITES=1" in o.message]
    assert len(writes) == len(run.outcomes) - 3  # all but the three read-only scenarios


def test_inside_the_whole_suite_it_never_runs(tmp_path: Path) -> None:
    run = run_suite({"CIO_LIVE": "1"}, tmp_path, ROOT / "tests" / "live" / "test_people.py", ROOT / "tests" / "test_wait.py")
    assert run.returncode == 0, run.output
    live = {k: v for k, v in run.outcomes.items() if k.startswith("test_people.py::")}
    assert live and all("runs on its own: make test-live" in o.message for o in live.values())


@pytest.mark.parametrize(("env", "expected"), [
    ({"CIO_LIVE": "1", "CIO_LIVE_ALLOW_WRITES": "1"}, "needs CIO_LIVE_EMAIL, CIO_LIVE_TRANSACTIONAL_ID: set them"),
    ({"CIO_LIVE": "1"}, "writes to the workspace: set CIO_LIVE_ALLOW_WRITES=1"),
    ({"CIO_LIVE": "yes"}, "CIO_LIVE is not 1: set CIO_LIVE=1"),
])
def test_scenario_variables_are_asked_for_last(env: dict[str, str], expected: str) -> None:
    needs = Needs(("app",), writes=True, env=("CIO_LIVE_EMAIL", "CIO_LIVE_TRANSACTIONAL_ID"))
    settings = Settings(app_api_key=Secret("k"), base_url="http://127.0.0.1:9")
    assert expected in (skip_reason(needs, env, settings, alone=True) or "")
    assert skip_reason(needs, {**env, "CIO_LIVE": "1", "CIO_LIVE_ALLOW_WRITES": "1", "CIO_LIVE_EMAIL": "a@b.c",
                               "CIO_LIVE_TRANSACTIONAL_ID": "1"}, settings, alone=True) is None
