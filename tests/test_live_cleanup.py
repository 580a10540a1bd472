"""Run ids, the ledger, and ``cio live cleanup``: what an interrupted live run left is found (ledger
and search by run id) and removed, against a running emulator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cio_toolkit import CustomerIO, NotFoundError, ValidationError
from cio_toolkit.app import attr
from cio_toolkit.cli import app as cli
from cio_toolkit.live import RUN_ATTRIBUTE, Ledger, check_run_id, cleanup, find_by_run, new_run_id


def test_run_ids_have_one_strict_shape() -> None:
    run = new_run_id()
    assert check_run_id(run) == run and run.startswith("cio-live-") and len(run) == 17
    assert new_run_id() != run
    for bad in ("", "cio-live-", "cio-live-XYZ12345", "cio-live-1a2b3c4d/../x", "other-1a2b3c4d"):
        with pytest.raises(ValidationError):
            check_run_id(bad)


def test_the_ledger_is_written_before_use_and_read_back(tmp_path: Path) -> None:
    run = new_run_id()
    ledger = Ledger(run, tmp_path)
    assert not ledger.path.exists()  # nothing recorded, no file
    person = ledger.record("person", id=f"{run}-1")
    ledger.record("webhook", webhook_id=7)
    assert ledger.record("person", id=f"{run}-1") == person and len(ledger) == 2
    ledger.mark_removed(person)
    again = Ledger(run, tmp_path)
    assert [str(e) for e in again.pending()] == ["webhook webhook_id=7"]
    assert json.loads(ledger.path.read_text())["entries"][0] == {"kind": "person", "key": {"id": f"{run}-1"},
                                                                 "removed": True}
    with pytest.raises(ValidationError):
        ledger.record("bucket", id="x")  # type: ignore[arg-type]


def _leftovers(cio: CustomerIO, run: str, directory: Path) -> dict[str, int]:
    """What an interrupted run leaves: some things in its ledger, some only findable by run id."""
    ledger = Ledger(run, directory)
    ledger.record("person", id=f"{run}-in-ledger")
    cio.track.customers.identify(id=f"{run}-in-ledger", attributes={"plan": "x"})
    ledger.record("suppression", id=f"{run}-suppressed")
    cio.track.customers.identify(id=f"{run}-suppressed")
    cio.track.customers.suppress(id=f"{run}-suppressed")
    cio.pipelines.identify(user_id=f"{run}-searched", traits={RUN_ATTRIBUTE: run})  # not in the ledger
    cio.pipelines.group(user_id=f"{run}-searched", group_id=f"{run}-account", object_type_id=1,
                        traits={RUN_ATTRIBUTE: run})
    segment = cio.app.segments.create(name=f"{run}-segment")
    webhook = cio.app.reporting_webhooks.create(name=f"{run}-webhook", endpoint="https://hooks.example.com/x",
                                                events=["email_sent"], disabled=True)
    return {"segment": int(segment["id"]), "webhook": int(webhook["id"])}


def test_cleanup_command_removes_the_ledger_entries_and_what_search_finds(emulator, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    run = new_run_id()
    with CustomerIO(**emulator.settings()) as cio:
        made = _leftovers(cio, run, tmp_path)
        assert len(find_by_run(cio, run)) == 4  # the searched person, its object, the segment, the webhook
        for name, value in emulator.env().items():
            monkeypatch.setenv(name, value)
        dry = CliRunner().invoke(cli, ["live", "cleanup", "--run", run, "--dir", str(tmp_path), "--dry-run"])
        assert dry.exit_code == 0 and "total: 6 would remove" in dry.output, dry.output
        assert cio.app.customers.attributes(customer_id=f"{run}-in-ledger")  # a dry run changes nothing

        done = CliRunner().invoke(cli, ["live", "cleanup", "--run", run, "--dir", str(tmp_path)])
        assert done.exit_code == 0, done.output
        assert "total: 6 removed" in done.output and f"target: {emulator.url}" in done.output
        assert not find_by_run(cio, run) and not Ledger(run, tmp_path).pending()
        for person in (f"{run}-in-ledger", f"{run}-searched"):
            with pytest.raises(NotFoundError):
                cio.app.customers.attributes(customer_id=person)
        with pytest.raises(NotFoundError):
            cio.app.segments.get(segment_id=int(made["segment"]))
        cio.track.customers.identify(id=f"{run}-suppressed", attributes={RUN_ATTRIBUTE: run})  # lifted: accepted
        assert cio.app.customers.search(filter=attr(RUN_ATTRIBUTE) == run).to_list()
        cio.track.customers.delete(id=f"{run}-suppressed")

        again = CliRunner().invoke(cli, ["live", "cleanup", "--run", run, "--dir", str(tmp_path)])
        assert again.exit_code == 0 and "nothing to remove" in again.output, again.output


def test_what_cannot_be_removed_stays_pending_and_the_command_says_so(emulator, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    run = new_run_id()
    Ledger(run, tmp_path).record("webhook", webhook_id=12345)
    env = emulator.env()
    for name in ("CIO_BASE_URL", "CIO_SITE_ID", "CIO_TRACK_API_KEY"):  # no App API key
        monkeypatch.setenv(name, env[name])
    result = CliRunner().invoke(cli, ["live", "cleanup", "--run", run, "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "search: not run: CIO_APP_API_KEY is not set" in result.output
    assert "failed" in result.output and "CIO_APP_API_KEY" in result.output
    assert [str(e) for e in Ledger(run, tmp_path).pending()] == ["webhook webhook_id=12345"]
    with CustomerIO(**emulator.settings()) as cio:
        report = cleanup(cio, run, directory=tmp_path, search=False)
    assert report.ok and report.counts() == {"gone": 1}  # a 404 counts as removed


def test_a_bad_run_id_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["live", "cleanup", "--run", "*", "--dir", str(tmp_path)])
    assert result.exit_code == 2 and "a run id looks like cio-live-1a2b3c4d" in result.output
