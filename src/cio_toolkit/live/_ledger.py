"""Run ids and the ledger: what one live run created, written down before each write is sent.

A run id (``cio-live-`` and 8 hex digits) goes into every identifier the run creates, and people
and objects also carry it as the ``cio_live_run`` attribute, so a cleanup can find them again by
search when the ledger is lost. The ledger is a JSON file, ``build/live/<run>.json`` by default,
rewritten atomically on every change, so an interrupted run leaves a readable file behind.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from .._exceptions import ValidationError

__all__ = ["DEFAULT_DIR", "KINDS", "RUN_ATTRIBUTE", "Entry", "Kind", "Ledger", "check_run_id", "in_cleanup_order", "new_run_id"]

DEFAULT_DIR = Path("build") / "live"
RUN_ATTRIBUTE = "cio_live_run"
_RUN_ID = re.compile(r"cio-live-[0-9a-f]{8}")
Kind = Literal["suppression", "webhook", "segment", "object", "person"]
# The order a cleanup removes things in: a suppressed identifier is lifted before its person is deleted.
KINDS: tuple[Kind, ...] = ("suppression", "webhook", "segment", "object", "person")


def in_cleanup_order(entries: Iterable[Entry]) -> list[Entry]:
    """``entries`` sorted by kind in the order a cleanup removes them (stable within a kind)."""
    return sorted(entries, key=lambda e: KINDS.index(e.kind))


def new_run_id() -> str:
    """A fresh run id, ``cio-live-`` followed by 8 random hex digits."""
    return f"cio-live-{secrets.token_hex(4)}"


def check_run_id(run_id: str) -> str:
    """``run_id`` if it has the shape :func:`new_run_id` makes, else ValidationError.

    The strict shape is what makes a search by run id safe: it can never match another run's, or
    an unrelated, name.
    """
    if not isinstance(run_id, str) or not _RUN_ID.fullmatch(run_id):
        raise ValidationError(f"run: a run id looks like cio-live-1a2b3c4d, got {run_id!r}", field="run",
                              limit="cio-live-<8 hex digits>", actual=run_id)
    return run_id


@dataclass(frozen=True)
class Entry:
    """One thing a run created: its ``kind`` and the identifiers that address it (``{"id": "..."}``...)."""

    kind: Kind
    key: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, kind: Kind, **key: str | int) -> Entry:
        """An entry from keyword identifiers (values kept as strings)."""
        if kind not in KINDS:
            raise ValidationError(f"kind: must be one of {', '.join(KINDS)}, got {kind!r}", field="kind", limit=KINDS)
        if not key:
            raise ValidationError("key: an entry needs at least one identifier", field="key")
        return cls(kind, tuple(sorted((k, str(v)) for k, v in key.items())))

    @property
    def ids(self) -> dict[str, str]:
        """The identifiers as a dict."""
        return dict(self.key)

    def __str__(self) -> str:
        return f"{self.kind} " + " ".join(f"{k}={v}" for k, v in self.key)


class Ledger:
    """What one run created and whether each is removed yet, kept in ``<directory>/<run>.json``.

    ``record`` writes the file before the caller sends the write it is about to make, so nothing
    can be created without being written down. The file appears with the first entry.
    """

    def __init__(self, run_id: str, directory: str | os.PathLike[str] = DEFAULT_DIR) -> None:
        self.run_id = check_run_id(run_id)
        self.path = Path(directory) / f"{run_id}.json"
        self._lock = threading.Lock()
        self._entries: dict[Entry, bool] = {}  # entry -> removed
        self._created = datetime.now(UTC).isoformat(timespec="seconds")
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text())
            self._created = str(data.get("created_at") or self._created)
            for row in data["entries"]:
                self._entries[Entry.of(row["kind"], **row["key"])] = bool(row.get("removed"))
        except (OSError, ValueError, KeyError, TypeError, ValidationError) as exc:
            raise ValidationError(f"ledger {self.path}: not a readable ledger ({exc})", field="ledger") from None

    def __repr__(self) -> str:
        return f"Ledger({self.run_id!r}, {len(self.pending())} pending of {len(self._entries)}, path={str(self.path)!r})"

    def record(self, kind: Kind, **key: str | int) -> Entry:
        """Write down that the run is about to create this (a no-op when already recorded)."""
        entry = Entry.of(kind, **key)
        with self._lock:
            if entry not in self._entries:
                self._entries[entry] = False
                self._save()
        return entry

    def mark_removed(self, entry: Entry) -> None:
        """Write down that ``entry`` is gone."""
        with self._lock:
            self._entries[entry] = True
            self._save()

    def pending(self) -> list[Entry]:
        """Entries not removed yet, in cleanup order (suppressions first, people last)."""
        return in_cleanup_order(e for e, removed in self._entries.items() if not removed)

    def __iter__(self) -> Iterator[Entry]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def _document(self) -> Mapping[str, Any]:
        return {
            "run": self.run_id, "created_at": self._created,
            "entries": [{"kind": e.kind, "key": e.ids, "removed": removed} for e, removed in self._entries.items()],
        }

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.run_id}.", suffix=".json", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w") as f:
                json.dump(self._document(), f, indent=1)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
