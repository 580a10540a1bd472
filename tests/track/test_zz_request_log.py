"""Runs last in this directory: every Track request our tests sent validated against track_api.json."""

from __future__ import annotations

from cio_toolkit.emulator import Emulator


def test_track_requests_validated_and_answers_matched_the_spec(emulator: Emulator) -> None:
    track = [e for e in emulator.requests if e["api"] == "track_api"]
    assert len({e["operationId"] for e in track}) == 18  # every operation was exercised
    failures = [(e["operationId"], e["validation"]) for e in track if e["validation"] != "ok"]
    assert failures == [], [e for e in track if e["validation"] != "ok"]
    assert [e for e in track if e.get("response_validation")] == []
    assert not [e for e in track if e["status"] and e["status"] >= 500]
