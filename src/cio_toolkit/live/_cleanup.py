"""Remove what a live run created: every pending ledger entry, plus what a search by run id finds.

Order matters: suppressed identifiers are lifted first (a suppression outlives its profile),
then reporting webhooks, segments, objects and people. A thing already gone (404) counts as
removed; any other failure is reported and left pending in the ledger, so running the cleanup
again retries exactly what is left.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .._exceptions import ConfigError, CustomerIOError, NotFoundError, ValidationError
from ..app.filters import attr, object_attr
from ..track import v2
from ._ledger import DEFAULT_DIR, RUN_ATTRIBUTE, Entry, Ledger, check_run_id, in_cleanup_order

if TYPE_CHECKING:
    from .._client import CustomerIO

__all__ = ["CleanupReport", "Outcome", "cleanup", "find_by_run"]

Status = Literal["removed", "gone", "failed", "would remove"]


@dataclass(frozen=True)
class Outcome:
    """What the cleanup did with one entry."""

    entry: Entry
    status: Status
    detail: str = ""


@dataclass
class CleanupReport:
    """A cleanup's outcome per entry, and how the run's leftovers were found."""

    run_id: str
    ledger: Path
    ledger_found: bool
    searched: str  # what the search by run id covered, or why it did not run
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failed

    @property
    def failed(self) -> list[Outcome]:
        """The entries that could not be removed (still pending in the ledger)."""
        return [o for o in self.outcomes if o.status == "failed"]

    def counts(self) -> dict[str, int]:
        """Outcomes per status."""
        return dict(Counter(o.status for o in self.outcomes))

    def __str__(self) -> str:
        lines = [f"run {self.run_id}: ledger {self.ledger} ({'read' if self.ledger_found else 'not found'}); "
                 f"search: {self.searched}"]
        lines += [f"  {o.status:<12} {o.entry}" + (f": {o.detail}" if o.detail else "") for o in self.outcomes]
        counts = ", ".join(f"{n} {status}" for status, n in sorted(self.counts().items())) or "nothing to remove"
        return "\n".join([*lines, f"  total: {counts}"])


def _has(cio: Any, api: str) -> bool:
    try:
        cio.settings.require(api)
    except ConfigError:
        return False
    return True


def _who(ids: dict[str, str]) -> dict[str, str]:
    # Track addresses a person by exactly one identifier.
    for name in ("id", "email", "cio_id"):
        if name in ids:
            return {name: ids[name]}
    raise ValidationError(f"ledger entry {ids}: no person identifier (id, email or cio_id)", field="key")


def _person_call(cio: Any, ids: dict[str, str], track: str, pipelines: str) -> None:
    """Send Track's ``customers.<track>`` for the person, else the Pipelines ``<pipelines>`` semantic event."""
    who = _who(ids)
    if _has(cio, "track"):
        getattr(cio.track.customers, track)(**who)
    elif "id" in who and _has(cio, "pipelines"):
        getattr(cio.pipelines, pipelines)(user_id=who["id"])
    else:
        cio.settings.require("track")  # raises, naming the variables to set
        raise ConfigError(f"{track} of a person known only by email or cio_id needs the Track API")


def _remove_person(cio: Any, ids: dict[str, str]) -> None:
    _person_call(cio, ids, "delete", "delete_person")


def _lift_suppression(cio: Any, ids: dict[str, str]) -> None:
    _person_call(cio, ids, "unsuppress", "unsuppress_person")


def _remove_object(cio: Any, ids: dict[str, str]) -> None:
    if _has(cio, "pipelines"):
        cio.pipelines.delete_object(object_id=ids["object_id"], object_type_id=ids["object_type_id"])
    else:
        cio.track.v2.entity(v2.object_delete(object_type_id=ids["object_type_id"], object_id=ids["object_id"]))


def _remove_segment(cio: Any, ids: dict[str, str]) -> None:
    cio.app.segments.delete(segment_id=int(ids["segment_id"]))


def _remove_webhook(cio: Any, ids: dict[str, str]) -> None:
    cio.app.reporting_webhooks.delete(webhook_id=int(ids["webhook_id"]))


_REMOVERS: dict[str, Callable[[Any, dict[str, str]], None]] = {
    "suppression": _lift_suppression, "webhook": _remove_webhook, "segment": _remove_segment,
    "object": _remove_object, "person": _remove_person,
}


def _person_entry(found: Mapping[str, Any]) -> Entry | None:
    for name in ("id", "email", "cio_id"):
        if found.get(name):
            return Entry.of("person", **{name: str(found[name])})
    return None


def find_by_run(cio: CustomerIO, run_id: str) -> list[Entry]:
    """Everything the App API finds carrying ``run_id``: people and objects by their ``cio_live_run``
    attribute, segments and reporting webhooks by name. Needs CIO_APP_API_KEY."""
    run = check_run_id(run_id)
    app = cio.app
    found = [e for p in app.customers.search(filter=attr(RUN_ATTRIBUTE) == run) if (e := _person_entry(p))]
    for kind in app.objects.types():
        type_id = str(kind["id"])
        for obj in app.objects.search(object_type_id=type_id, filter=object_attr(RUN_ATTRIBUTE, type_id=type_id) == run):
            object_id = obj.get("object_id") if isinstance(obj, dict) else obj
            found.append(Entry.of("object", object_type_id=type_id, object_id=str(object_id)))
    found += [Entry.of("segment", segment_id=s["id"]) for s in app.segments.list() if run in str(s.get("name", ""))]
    found += [Entry.of("webhook", webhook_id=w["id"]) for w in app.reporting_webhooks.list()
              if run in str(w.get("name", ""))]
    return found


def _search(cio: CustomerIO, run: str) -> tuple[list[Entry], str]:
    if not _has(cio, "app"):
        return [], "not run: CIO_APP_API_KEY is not set"
    found = find_by_run(cio, run)
    return found, f"found {len(found)} by run id (people, objects, segments, webhooks)"


def _remove(cio: Any, entry: Entry) -> Outcome:
    try:
        _REMOVERS[entry.kind](cio, entry.ids)
    except NotFoundError:
        return Outcome(entry, "gone")
    except CustomerIOError as exc:  # ConfigError included: the keys it needs are named
        return Outcome(entry, "failed", str(exc))
    return Outcome(entry, "removed")


def _to_remove(ledger: Ledger, found: Iterable[Entry]) -> list[Entry]:
    # What a search finds is removed again even when the ledger says it is gone: a delete that has
    # not reached the read side yet is harmless to repeat, one that was lost is not.
    return in_cleanup_order(dict.fromkeys([*ledger.pending(), *found]))


def cleanup(
    cio: CustomerIO, run_id: str, *, directory: str | os.PathLike[str] = DEFAULT_DIR, search: bool = True,
    dry_run: bool = False,
) -> CleanupReport:
    """Remove what run ``run_id`` left in the workspace ``cio`` points at (a :class:`~cio_toolkit.CustomerIO`).

    Reads ``<directory>/<run>.json``; with ``search`` (and an App API key) also removes what a
    search by run id finds. Each removal is written to the ledger as it happens. ``dry_run``
    lists what would be removed and changes nothing.
    """
    run = check_run_id(run_id)
    path = Path(directory) / f"{run}.json"
    found_file = path.exists()
    ledger = Ledger(run, directory)
    found, searched = _search(cio, run) if search else ([], "not run (search=False)")
    report = CleanupReport(run, path, found_file, searched)
    for entry in _to_remove(ledger, found):
        if dry_run:
            report.outcomes.append(Outcome(entry, "would remove"))
            continue
        ledger.record(entry.kind, **entry.ids)
        outcome = _remove(cio, entry)
        if outcome.status != "failed":
            ledger.mark_removed(entry)
        report.outcomes.append(outcome)
    return report
