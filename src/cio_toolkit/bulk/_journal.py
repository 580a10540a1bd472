"""The load journal: which rows of a job the API has acknowledged, durable across kill -9.

One SQLite file (WAL mode) holds every job. Each acknowledged request adds one row with the
16-byte messageIds it carried, committed before the next acknowledgement is recorded, so an
interruption at any instant loses at most the acknowledgements of requests still in flight
(which a resume sends again; the API deduplicates them by messageId).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from .._exceptions import ValidationError

__all__ = ["Journal", "JobInfo", "AckedIds", "DEFAULT_JOURNAL"]

DEFAULT_JOURNAL = Path(".cio") / "bulk.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    api TEXT NOT NULL,
    target TEXT NOT NULL,
    source TEXT NOT NULL,
    mapping TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    runs INTEGER NOT NULL DEFAULT 0,
    summary TEXT
);
CREATE TABLE IF NOT EXISTS acks (
    job TEXT NOT NULL,
    seq INTEGER NOT NULL,
    n INTEGER NOT NULL,
    ids BLOB NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (job, seq)
) WITHOUT ROWID;
"""


def _pack_ids(message_ids: Iterable[str]) -> bytes:
    # 16 bytes per id; one hex decode for the whole request instead of one UUID object per id.
    return bytes.fromhex("".join(message_ids).replace("-", ""))


@dataclass
class JobInfo:
    """A job's record: what it loads, its status and how many rows are acknowledged."""

    job: str
    kind: str
    api: str
    target: str
    source: str
    status: str
    created_at: float
    updated_at: float
    runs: int
    acknowledged: int
    summary: dict[str, Any] | None = None


class AckedIds:
    """The acknowledged messageIds of a job, held compactly (8 bytes each) for membership tests."""

    def __init__(self, prefixes: Any) -> None:
        self._sorted = prefixes
        self._set: set[int] | None = None

    def __len__(self) -> int:
        return len(self._sorted)

    def __contains__(self, message_id: object) -> bool:
        if not isinstance(message_id, str) or not len(self._sorted):
            return False
        import numpy as np

        value = np.uint64(uuid.UUID(message_id).int >> 64)
        i = int(np.searchsorted(self._sorted, value))
        return i < len(self._sorted) and self._sorted[i] == value

    def mask(self, message_ids: Sequence[str]) -> list[bool]:
        """For each messageId, whether it was acknowledged (vectorized)."""
        if not len(self._sorted) or not message_ids:
            return [False] * len(message_ids)
        import numpy as np

        probe = np.array([int(m[:8] + m[9:13] + m[14:18], 16) for m in message_ids], dtype=np.uint64)
        idx = np.searchsorted(self._sorted, probe)
        idx[idx >= len(self._sorted)] = 0
        return (self._sorted[idx] == probe).tolist()  # type: ignore[no-any-return]


class SQLiteFile:
    """One SQLite file shared by threads behind a lock; subclasses set ``SCHEMA``."""

    SCHEMA = ""

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_JOURNAL) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        # WAL + NORMAL: a committed ack survives the process being killed (only power loss can drop one).
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(self.SCHEMA)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Journal(SQLiteFile):
    """A SQLite journal of bulk jobs and their acknowledged rows (safe to share between threads)."""

    SCHEMA = _SCHEMA

    # ------------------------------------------------------------ jobs

    def start(
        self, job: str, *, kind: str, api: str, target: str, source: str, mapping: dict[str, Any], resume: bool
    ) -> JobInfo:
        """Open ``job`` for a run: create it, or (``resume=True``) continue it after checking it matches."""
        with self._lock:
            row = self._db.execute("SELECT kind, api, target FROM jobs WHERE job = ?", (job,)).fetchone()
            now = time.time()
            if row is None:
                self._db.execute(
                    "INSERT INTO jobs (job, kind, api, target, source, mapping, status, created_at, updated_at, runs) "
                    "VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, 1)",
                    (job, kind, api, target, source, json.dumps(mapping, sort_keys=True), now, now),
                )
            else:
                if not resume:
                    raise ValidationError(
                        f"job: {job!r} already exists in {self.path}; pass resume=True (--resume) to continue it, "
                        "or choose another job name", field="job",
                    )
                if (row[0], row[1]) != (kind, api):
                    raise ValidationError(
                        f"job: {job!r} was a {row[0]} load on the {row[1]} API, not {kind} on {api}", field="job",
                    )
                if row[2] != target:
                    # Acknowledgements from one workspace (or emulator) say nothing about another.
                    raise ValidationError(
                        f"job: {job!r} was sent to {row[2]}, not {target}; use a new job name for this target",
                        field="job",
                    )
                self._db.execute(
                    "UPDATE jobs SET status = 'running', updated_at = ?, runs = runs + 1, mapping = ? WHERE job = ?",
                    (now, json.dumps(mapping, sort_keys=True), job),
                )
        info = self.job(job)
        assert info is not None
        return info

    def finish(self, job: str, *, status: str, summary: dict[str, Any]) -> None:
        """Record the outcome of a run."""
        with self._lock:
            self._db.execute(
                "UPDATE jobs SET status = ?, updated_at = ?, summary = ? WHERE job = ?",
                (status, time.time(), json.dumps(summary, default=str), job),
            )

    def job(self, job: str) -> JobInfo | None:
        """One job's record (None when unknown)."""
        with self._lock:
            row = self._db.execute(
                "SELECT j.job, j.kind, j.api, j.target, j.source, j.status, j.created_at, j.updated_at, j.runs, "
                "COALESCE((SELECT SUM(n) FROM acks a WHERE a.job = j.job), 0), j.summary FROM jobs j WHERE j.job = ?",
                (job,),
            ).fetchone()
        if row is None:
            return None
        return JobInfo(job=row[0], kind=row[1], api=row[2], target=row[3], source=row[4], status=row[5],
                       created_at=row[6], updated_at=row[7], runs=row[8], acknowledged=row[9],
                       summary=json.loads(row[10]) if row[10] else None)

    def jobs(self) -> list[JobInfo]:
        """Every job, newest first."""
        with self._lock:
            names = [r[0] for r in self._db.execute("SELECT job FROM jobs ORDER BY updated_at DESC")]
        return [info for n in names if (info := self.job(n)) is not None]

    def drop(self, job: str) -> None:
        """Forget a job and its acknowledgements."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM acks WHERE job = ?", (job,))
            self._db.execute("DELETE FROM jobs WHERE job = ?", (job,))
            self._db.execute("COMMIT")

    # ------------------------------------------------------------ acknowledgements

    def ack(self, job: str, message_ids: Sequence[str]) -> None:
        """Durably record that the API acknowledged ``message_ids`` (one commit per call)."""
        if not message_ids:
            return
        blob = _pack_ids(message_ids)
        with self._lock:
            # The sequence is taken inside the INSERT, so two writers can never collide.
            self._db.execute(
                "INSERT INTO acks (job, seq, n, ids, at) VALUES "
                "(?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM acks WHERE job = ?), ?, ?, ?)",
                (job, job, len(message_ids), blob, time.time()),
            )

    def acked(self, job: str) -> AckedIds:
        """Every messageId acknowledged for ``job`` so far."""
        import numpy as np

        with self._lock:
            blobs = [r[0] for r in self._db.execute("SELECT ids FROM acks WHERE job = ?", (job,))]
        if not blobs:
            return AckedIds(np.zeros(0, dtype=np.uint64))
        # The first 8 bytes of each 16-byte id, as big-endian integers: 1,000,000 ids take 8 MB.
        raw = np.frombuffer(b"".join(blobs), dtype=">u8").reshape(-1, 2)[:, 0].astype(np.uint64)
        return AckedIds(np.unique(raw))

    def acked_ids(self, job: str) -> list[str]:
        """Every acknowledged messageId of ``job`` as strings (for checks and small jobs)."""
        with self._lock:
            blobs = [r[0] for r in self._db.execute("SELECT ids FROM acks WHERE job = ? ORDER BY seq", (job,))]
        out: list[str] = []
        for blob in blobs:
            out.extend(str(uuid.UUID(bytes=blob[i : i + 16])) for i in range(0, len(blob), 16))
        return out
