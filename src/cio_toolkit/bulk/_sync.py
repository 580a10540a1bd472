"""Diff sync (reverse ETL): send only the people rows that are new or changed since the last sync.

The state is one SQLite table of (scope, key, hash) where the hash is the row's messageId:
it is derived from the key and the exact call content, so an unchanged row has the same hash
and a changed row a new one. The state of a row is updated only after the API acknowledged
it, so a crashed sync is resumed by simply running it again. People whose rows disappeared
can be deleted or suppressed, behind a safety cap.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Unpack

from .._exceptions import ValidationError
from .._options import with_options
from ._journal import DEFAULT_JOURNAL, AckedIds, SQLiteFile
from ._load import LoadReport, load
from ._mapping import COLUMN_DEFAULTS, ColumnMap, ColumnOptions, Encoded, Rejected, RowEncoder
from ._progress import make_progress
from ._sources import DEFAULT_BATCH_ROWS, open_source

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SyncState", "SyncPlan", "SyncReport", "counts_html", "plan_sync", "steps_frame", "sync"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sync_rows (
    scope TEXT NOT NULL, key TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_staged (
    scope TEXT NOT NULL, key TEXT NOT NULL, hash TEXT NOT NULL, row INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sync_staged_key ON sync_staged (scope, key);
CREATE INDEX IF NOT EXISTS sync_staged_hash ON sync_staged (scope, hash);
CREATE TABLE IF NOT EXISTS sync_held (
    scope TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (scope, key)
) WITHOUT ROWID;
"""
# Synced people whose key is gone from the source. A key whose row is only rejected this time is
# held (sync_held), never removed: a bad value must not delete or suppress a person.
_GONE = ("FROM sync_rows r WHERE r.scope = ? "
         "AND NOT EXISTS (SELECT 1 FROM sync_staged s WHERE s.scope = r.scope AND s.key = r.key) "
         "AND NOT EXISTS (SELECT 1 FROM sync_held h WHERE h.scope = r.scope AND h.key = r.key)")
REMOVAL_ACTIONS = ("delete", "suppress")
_DONE = {"delete": "deleted", "suppress": "suppressed"}


class SyncState(SQLiteFile):
    """Per-row hashes of what each sync scope last delivered (SQLite, thread-safe)."""

    SCHEMA = _SCHEMA
    LABEL = "sync state file"
    LOSS = "a new state knows no delivered rows: the next sync sends every row again"

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read query against the state (for plans and inspection)."""
        with self._locked("read the sync state") as db:
            return db.execute(sql, params).fetchall()

    def count(self, scope: str) -> int:
        """How many keys the scope holds."""
        return int(self.query("SELECT COUNT(*) FROM sync_rows WHERE scope = ?", (scope,))[0][0])

    def stage(self, scope: str, rows: Sequence[tuple[str, str, int]]) -> None:
        """Add (key, hash, row) of the current source to the scope's staging area."""
        with self._locked("stage the source's rows") as db:
            db.execute("BEGIN")
            db.executemany("INSERT INTO sync_staged (scope, key, hash, row) VALUES (?, ?, ?, ?)",
                           [(scope, k, h, r) for k, h, r in rows])
            db.execute("COMMIT")

    def hold(self, scope: str, keys: Sequence[str]) -> None:
        """Mark keys present in the source whose rows were rejected: kept, neither sent nor removed."""
        with self._locked("hold the rejected rows' keys") as db:
            db.executemany("INSERT OR IGNORE INTO sync_held (scope, key) VALUES (?, ?)", [(scope, k) for k in keys])

    def clear_stage(self, scope: str) -> None:
        """Forget the staged source of ``scope``."""
        with self._locked("clear the staged rows") as db:
            db.execute("DELETE FROM sync_staged WHERE scope = ?", (scope,))
            db.execute("DELETE FROM sync_held WHERE scope = ?", (scope,))

    def drop_duplicates(self, scope: str) -> list[tuple[str, int]]:
        """Keep the first staged row of each key; return (key, row) of the later ones, now dropped."""
        with self._locked("drop duplicate keys") as db:
            db.execute("BEGIN")
            later = db.execute(
                "SELECT key, row FROM sync_staged WHERE scope = ? AND rowid NOT IN "
                "(SELECT MIN(rowid) FROM sync_staged WHERE scope = ? GROUP BY key) ORDER BY row", (scope, scope),
            ).fetchall()
            if later:
                db.execute(
                    "DELETE FROM sync_staged WHERE scope = ? AND rowid NOT IN "
                    "(SELECT MIN(rowid) FROM sync_staged WHERE scope = ? GROUP BY key)", (scope, scope),
                )
            db.execute("COMMIT")
        return [(k, int(r)) for k, r in later]

    def delivered(self, scope: str, hashes: Sequence[str]) -> None:
        """Record that the rows with these hashes (messageIds) were acknowledged."""
        with self._locked("record delivered rows") as db:
            db.execute("BEGIN")
            db.execute(
                "INSERT OR REPLACE INTO sync_rows (scope, key, hash) SELECT scope, key, hash FROM sync_staged "
                "WHERE scope = ? AND hash IN (SELECT value FROM json_each(?))",
                (scope, json.dumps(list(hashes))),
            )
            db.execute("COMMIT")

    def removed(self, scope: str, keys: Sequence[str]) -> None:
        """Record that these keys were deleted/suppressed downstream."""
        with self._locked("record removed people") as db:
            db.execute("BEGIN")
            db.executemany("DELETE FROM sync_rows WHERE scope = ? AND key = ?", [(scope, k) for k in keys])
            db.execute("COMMIT")

    def reset(self, scope: str) -> None:
        """Forget everything about ``scope`` (the next sync sends every row)."""
        with self._locked("reset the sync state") as db:
            db.execute("DELETE FROM sync_rows WHERE scope = ?", (scope,))
            db.execute("DELETE FROM sync_staged WHERE scope = ?", (scope,))
            db.execute("DELETE FROM sync_held WHERE scope = ?", (scope,))


@dataclass
class SyncPlan:
    """What a sync would do: rows to add and change, people to remove; nothing has been sent."""

    scope: str
    key: str
    rows_read: int
    adds: int
    changes: int
    unchanged: int
    removals: int
    duplicates: int
    state: SyncState = field(repr=False)
    rejected: pd.DataFrame | None = field(default=None, repr=False)

    def _frame(self, sql: str, columns: list[str]) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.state.query(sql, (self.scope,)), columns=columns)

    def to_pandas(self) -> pd.DataFrame:
        """Every planned action: key, action (add/change/remove), row (position in the source)."""
        import pandas as pd

        frames = [
            self._frame(
                "SELECT s.key, CASE WHEN r.key IS NULL THEN 'add' ELSE 'change' END, s.row FROM sync_staged s "
                "LEFT JOIN sync_rows r ON r.scope = s.scope AND r.key = s.key WHERE s.scope = ? "
                "AND (r.key IS NULL OR r.hash != s.hash) ORDER BY s.row",
                ["key", "action", "row"],
            ),
            self._frame(
                f"SELECT r.key, 'remove', NULL {_GONE} ORDER BY r.key",
                ["key", "action", "row"],
            ),
        ]
        frames = [f for f in frames if len(f)]
        if not frames:
            return pd.DataFrame({"key": [], "action": [], "row": []})
        return pd.concat(frames, ignore_index=True)

    def removal_keys(self) -> list[str]:
        """Keys whose rows disappeared from the source since the last sync."""
        return [r[0] for r in self.state.query(
            f"SELECT r.key {_GONE} ORDER BY r.key", (self.scope,))]

    def send_hashes(self) -> AckedIds:
        """The messageIds of the rows to send (added or changed), as a compact set."""
        import numpy as np

        rows = self.state.query(
            "SELECT s.hash FROM sync_staged s LEFT JOIN sync_rows r ON r.scope = s.scope AND r.key = s.key "
            "WHERE s.scope = ? AND (r.key IS NULL OR r.hash != s.hash)", (self.scope,))
        prefixes = np.array([int(h[:8] + h[9:13] + h[14:18], 16) for (h,) in rows], dtype=np.uint64)
        return AckedIds(np.unique(prefixes))

    def summary(self) -> dict[str, Any]:
        """The counts as a plain dict."""
        return {"scope": self.scope, "rows_read": self.rows_read, "adds": self.adds, "changes": self.changes,
                "unchanged": self.unchanged, "removals": self.removals, "duplicates": self.duplicates,
                "rejected": 0 if self.rejected is None else len(self.rejected)}

    def _repr_html_(self) -> str:
        return counts_html(self.summary())


@dataclass
class SyncReport:
    """A finished sync: its plan, the upsert load and the removal load (when any)."""

    plan: SyncPlan
    upserts: LoadReport | None
    removals: LoadReport | None

    @property
    def ok(self) -> bool:
        """True when every planned row was acknowledged."""
        return all(r is None or r.ok for r in (self.upserts, self.removals))

    def to_pandas(self) -> pd.DataFrame:
        """One row per step with the counts."""
        return steps_frame({"upserts": self.upserts, "removals": self.removals})

    def _repr_html_(self) -> str:
        return self.plan._repr_html_() + str(self.to_pandas().to_html(index=False))

    def __repr__(self) -> str:
        return f"SyncReport(plan={self.plan!r}, upserts={self.upserts!r}, removals={self.removals!r})"


_STEP_COUNTS = ("status", "sent", "acknowledged", "failed", "requests", "seconds")


def steps_frame(steps: dict[str, LoadReport | None]) -> pd.DataFrame:
    """A sync's steps that ran (upserts, removals), one row each with its load's counts."""
    import pandas as pd

    rows = [{"step": step, **{k: rep.summary()[k] for k in _STEP_COUNTS}} for step, rep in steps.items()
            if rep is not None]
    return pd.DataFrame(rows, columns=["step", *_STEP_COUNTS])


def counts_html(counts: dict[str, Any]) -> str:
    """A plan's counts as a one-row HTML table."""
    import pandas as pd

    return str(pd.DataFrame([counts]).to_html(index=False))


def _scope(cio: Any, name: str) -> str:
    target = getattr(getattr(cio, "settings", None), "target", None) or getattr(cio, "base_url", "") or "default"
    return f"{name}@{target}"


@with_options(ColumnOptions, COLUMN_DEFAULTS)
def plan_sync(
    cio: Any,
    source: Any,
    *,
    key: str,
    name: str = "people",
    state: SyncState | str | os.PathLike[str] = DEFAULT_JOURNAL,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    progress: str | bool | None = None,
    **options: Unpack[ColumnOptions],
) -> SyncPlan:
    """Compare ``source`` (one row per person, ``key`` = their id) with the last sync; send nothing."""
    src = open_source(source, batch_rows=batch_rows)
    columns = ColumnMap.of(user_id=key, key=key, **options)
    encoder = RowEncoder("identify", src.schema, columns)
    st = state if isinstance(state, SyncState) else SyncState(state)
    scope = _scope(cio, name)
    st.clear_stage(scope)
    rejected: list[tuple[Any, ...]] = []
    ordinal = 0
    bar = make_progress(progress)
    bar.phase("plan", src.num_rows)
    try:
        for batch in src.batches():
            staged, held = [], []
            for item in encoder.encode(batch, ordinal):
                if isinstance(item, Encoded):
                    staged.append((item.key, item.message_id, item.ordinal))
                elif isinstance(item, Rejected):
                    rejected.append((item.ordinal, item.key, item.field, item.reason))
                    if item.key is not None:
                        held.append(str(item.key))
            st.stage(scope, staged)
            st.hold(scope, held)
            ordinal += batch.num_rows
            bar.update(batch.num_rows)
    finally:
        bar.close()
    # A key twice in one source is a data error: the first row wins, later ones are rejected.
    dupes = st.drop_duplicates(scope)
    rejected.extend((row, k, key, "duplicate key (an earlier row has it)") for k, row in dupes)
    adds, changes, unchanged = st.query(
        "SELECT COALESCE(SUM(r.key IS NULL), 0), COALESCE(SUM(r.key IS NOT NULL AND r.hash != s.hash), 0), "
        "COALESCE(SUM(r.hash = s.hash), 0) FROM sync_staged s "
        "LEFT JOIN sync_rows r ON r.scope = s.scope AND r.key = s.key WHERE s.scope = ?", (scope,))[0]
    (removals,) = st.query(f"SELECT COUNT(*) {_GONE}", (scope,))[0]
    import pandas as pd

    return SyncPlan(scope=scope, key=key, rows_read=ordinal, adds=int(adds), changes=int(changes),
                    unchanged=int(unchanged), removals=int(removals), duplicates=len(dupes), state=st,
                    rejected=pd.DataFrame(rejected, columns=["row", "key", "field", "reason"]))


def check_removal_options(removals: str | None, max_removals: int) -> None:
    """Refuse a removal action or a safety cap no sync (bulk's or Spark's) knows."""
    if removals is not None and removals not in REMOVAL_ACTIONS:
        raise ValidationError(f"removals: must be None, 'delete' or 'suppress', got {removals!r}",
                              field="removals", limit=REMOVAL_ACTIONS)
    if max_removals < 0:
        raise ValidationError("max_removals: must be >= 0", field="max_removals", limit=0, actual=max_removals)


def check_removals(removals: str | None, max_removals: int, force: bool, *, removing: int, kept: int) -> None:
    """Every sync's safety rules, before anything is sent: ``removing`` people would go, ``kept`` stay.

    More than ``max_removals``, or every person of the last sync (the source matches none of
    them: an empty or wrong extract), is refused unless ``force``.
    """
    if not removals or not removing or force:
        return
    if removing > max_removals:
        raise ValidationError(
            f"max_removals: {removing:,} people would be {_DONE[removals]}, over the safety cap of {max_removals:,}; "
            "nothing was sent. Check the source, then raise max_removals or pass force=True",
            field="max_removals", limit=max_removals, actual=removing)
    if not kept:
        raise ValidationError(
            f"removals: all {removing:,} people of the last sync would be {_DONE[removals]}: the source matches none "
            "of them (an empty or wrong extract?); nothing was sent. Check the source, or pass force=True to "
            "remove everyone", field="removals", limit="at least one person of the last sync in the source",
            actual=removing)


@with_options(ColumnOptions, COLUMN_DEFAULTS)
def sync(
    cio: Any,
    source: Any,
    *,
    key: str,
    name: str = "people",
    removals: str | None = None,
    max_removals: int = 100,
    force: bool = False,
    state: SyncState | str | os.PathLike[str] = DEFAULT_JOURNAL,
    concurrency: int = 4,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    progress: str | bool | None = "auto",
    **options: Unpack[ColumnOptions],
) -> SyncReport:
    """Send added and changed rows of ``source`` as identify calls; optionally remove vanished people.

    ``removals`` is None (keep them), "delete" or "suppress". More than ``max_removals`` removals
    abort with an error before anything is sent, unless ``force=True``.
    """
    check_removal_options(removals, max_removals)
    st = state if isinstance(state, SyncState) else SyncState(state)
    plan = plan_sync(cio, source, key=key, name=name, state=st, batch_rows=batch_rows, **options)
    check_removals(removals, max_removals, force, removing=plan.removals, kept=plan.changes + plan.unchanged)
    wanted = plan.send_hashes()
    scope = plan.scope

    def select(rows: list[Encoded]) -> list[Encoded]:
        keep = wanted.mask([e.message_id for e in rows])
        return [e for e, k in zip(rows, keep, strict=True) if k]

    upserts = None
    if plan.adds or plan.changes:
        upserts = load(cio, source, kind="identify", user_id=key, key=key, journal=None, concurrency=concurrency,
                       batch_rows=batch_rows, progress=progress, _select=select,
                       _on_ack=lambda ids: st.delivered(scope, ids), **options)
    removed = None
    if removals and plan.removals:
        gone = plan.removal_keys()
        import pyarrow as pa

        key_of: dict[str, str] = {}

        def remember(rows: list[Encoded]) -> list[Encoded]:
            key_of.update((e.message_id, e.key) for e in rows)
            return rows

        removed = load(cio, pa.table({"userId": gone}), kind=removals, user_id="userId", key="userId",
                       journal=None, concurrency=concurrency, progress=progress, _select=remember,
                       _on_ack=lambda ids: st.removed(scope, [key_of[i] for i in ids]))
    return SyncReport(plan=plan, upserts=upserts, removals=removed)
