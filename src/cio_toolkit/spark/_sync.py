"""Diff sync on Spark: ``plan_sync(df, key=..., state=...)`` and ``sync(...)``, bulk's sync at Spark's scale.

The hash of a row is the messageId bulk derives for it (its key and exact identify content,
computed on the executors by bulk's encoder through :mod:`._encode`), so Spark and
``bulk.plan_sync`` agree on what changed. The state is the last-synced (key, hash) of every
person, as Parquet written by Spark under ``{state}/v{n:06d}``: each sync writes a new version
and never overwrites the one it reads. The plan is a full outer join of the source's (key, hash)
with the state. ``sync`` sends added and changed rows through :func:`load` (job
``sync-v{n}`` under the checkpoint), removes vanished people (delete or suppress) behind
``max_removals``, and writes version n from what was acknowledged only: a sync that crashed
before writing it runs as the same job again, with ``resume``, and sends only what is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Unpack

from .._exceptions import ValidationError
from .._options import with_options
from ..bulk import ColumnOptions
from ..bulk._columns import ColumnEncoder
from ..bulk._sync import check_removal_options, check_removals, counts_html, steps_frame
from ._checkpoint import Checkpoint, store_for
from ._encode import MESSAGE_ID, encoder_for, keys_and_ids
from ._load import load
from ._options import WriteOptions
from ._source import arrow_schema

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

    from ..bulk import LoadReport

__all__ = ["SparkSyncReport", "plan_sync", "sync"]

_KEY = "__cio_key"
_VERSION = re.compile(r"^v(\d{6})$")
_KEEP_VERSIONS = 2  # the one just written and the one it was planned against


def _roles(key: str, api: str, options: dict[str, Any]) -> dict[str, Any]:
    """The column roles exactly as :func:`load` parses them (so the hash is the id load sends)."""
    strings = {k: v if isinstance(v, str) else ",".join(v) for k, v in options.items() if v is not None}
    parsed = WriteOptions.parse({**strings, "kind": "identify", "api": api, "user_id": key, "key": key,
                                 "job": "plan", "checkpoint": "."})
    return parsed.roles


def _hashed(df: DataFrame, roles: dict[str, Any], api: str, kind: str = "identify") -> DataFrame:
    """``df`` with each row's key (as bulk names it) and messageId (None for a row the encoder rejects)."""
    from pyspark.sql.types import StringType, StructField, StructType

    arrow = arrow_schema(df.schema)
    encoder_for(kind, api, arrow, roles)  # bad roles fail here, on the driver

    def with_ids(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        encoder = ColumnEncoder(encoder_for(kind, api, arrow, roles))  # a load's encoder: the same ids
        for batch in batches:
            keys, ids = keys_and_ids(encoder, batch)
            yield batch.append_column(_KEY, keys).append_column(MESSAGE_ID, ids)

    schema = StructType([*df.schema.fields, StructField(_KEY, StringType()), StructField(MESSAGE_ID, StringType())])
    return df.mapInArrow(with_ids, schema)


def _versions(state: str) -> list[int]:
    store = store_for(state, field="state")
    return sorted(int(m.group(1)) for name in store.folders("") if (m := _VERSION.match(name))
                  and "_SUCCESS" in store.files(name))


def _read_state(spark: SparkSession, state: str) -> tuple[DataFrame, int]:
    """The last state written (key, hash) and its version (0: no sync yet, an empty state)."""
    versions = _versions(state)
    if not versions:
        return spark.createDataFrame([], "key string, hash string"), 0
    return spark.read.parquet(f"{state.rstrip('/')}/v{versions[-1]:06d}").select("key", "hash"), versions[-1]


def _acked(spark: SparkSession, ckpt: Checkpoint) -> DataFrame:
    """Every id acknowledged under the job, as one column ``hash``."""
    from pyspark.sql import functions as F

    if not ckpt.has_acks():
        return spark.createDataFrame([], "hash string")
    return spark.read.text(ckpt.acks_uri()).select(F.col("value").alias("hash")).distinct()


@dataclass
class _Plan:
    hashed: DataFrame
    plan: DataFrame
    state: DataFrame
    everything: DataFrame
    version: int
    counts: dict[str, int]


def _plan(df: DataFrame, key: str, state: str, api: str, options: dict[str, Any]) -> _Plan:
    from pyspark.sql import functions as F

    if key not in df.columns:
        raise ValidationError(f"key: {key!r} is not a column of the DataFrame ({', '.join(df.columns)})",
                              field="key", limit=df.columns)
    # Cached: the duplicate check, the plan and the upsert load each read it, and hashing is a Python pass.
    hashed = _hashed(df, _roles(key, api, options), api).cache()
    source = hashed.select(F.col(_KEY).alias("key"), F.col(MESSAGE_ID).alias("new"), F.lit(True).alias("present"))
    dupes = source.where(F.col("key").isNotNull()).groupBy("key").count().where("count > 1").limit(3).collect()
    if dupes:
        hashed.unpersist()
        named = ", ".join(repr(r["key"]) for r in dupes)
        raise ValidationError(f"key: duplicate keys in the source ({named}, ...): one row per person; nothing was "
                              "sent", field="key", actual=[r["key"] for r in dupes])
    old, version = _read_state(df.sparkSession, state)
    joined = source.join(old.withColumnRenamed("hash", "old"), on="key", how="full_outer")
    action = (F.when(F.col("present").isNull(), "remove").when(F.col("new").isNull(), "rejected")
              .when(F.col("old").isNull(), "add").when(F.col("old") != F.col("new"), "change").otherwise("unchanged"))
    everything = joined.select("key", action.alias("action"), F.coalesce("new", "old").alias("hash")).cache()
    counts = {r["action"]: int(r["count"]) for r in everything.groupBy("action").count().collect()}
    plan = everything.where(F.col("action").isin("add", "change", "remove"))
    return _Plan(hashed, plan, old, everything, version, counts)


@with_options(ColumnOptions)
def plan_sync(df: DataFrame, *, key: str, state: str, api: str = "pipelines",
              **options: Unpack[ColumnOptions]) -> DataFrame:
    """What a sync of ``df`` (one row per person) would do: a DataFrame of (key, action, hash); sends nothing.

    ``action`` is add, change or remove; ``hash`` is the row's messageId (for a removal, the last
    synced one). Unchanged and rejected rows are left out. Duplicate keys are refused.
    """
    p = _plan(df, key, state, api, dict(options))
    p.hashed.unpersist()  # the plan reads only the cached join
    return p.plan


@dataclass
class SparkSyncReport:
    """A finished Spark sync: the plan's counts, the upsert and removal loads, the state version written."""

    adds: int
    changes: int
    unchanged: int
    removals: int
    rejected: int
    upserts: LoadReport | None
    removed: LoadReport | None
    state_version: int
    state_rows: int

    @property
    def status(self) -> str:
        """complete when every step's load is complete (or had nothing to send), else the first other status."""
        return next((r.status for r in (self.upserts, self.removed) if r is not None and not r.ok), "complete")

    @property
    def ok(self) -> bool:
        """True when every planned row and removal was acknowledged."""
        return self.status == "complete"

    def _steps(self) -> dict[str, LoadReport | None]:
        return {"upserts": self.upserts, "removals": self.removed}

    def summary(self) -> dict[str, Any]:
        """The counts and the status as a plain dict."""
        loads = [r for r in self._steps().values() if r is not None]
        return {"status": self.status, "adds": self.adds, "changes": self.changes, "unchanged": self.unchanged,
                "removals": self.removals, "rejected": self.rejected, "sent": sum(r.sent for r in loads),
                "acknowledged": sum(r.acknowledged for r in loads), "state_version": self.state_version,
                "state_rows": self.state_rows}

    def to_pandas(self) -> pd.DataFrame:
        """One row per step that ran (upserts, removals) with its load's counts, as bulk's sync report."""
        return steps_frame(self._steps())

    def _repr_html_(self) -> str:
        return counts_html(self.summary()) + str(self.to_pandas().to_html(index=False))

    def __str__(self) -> str:
        s = self.summary()
        lines = [f"sync -> state v{self.state_version:06d} ({self.state_rows:,} people): {self.status}",
                 "  " + "  ".join(f"{k} {s[k]:,}" for k in ("adds", "changes", "unchanged", "removals", "rejected"))]
        for step, rep in self._steps().items():
            if rep is not None:
                lines += [f"  {step}: " + "\n    ".join(str(rep).splitlines())]
        return "\n".join(lines)


@with_options(ColumnOptions)
def sync(
    df: DataFrame,
    *,
    key: str,
    state: str,
    removals: str | None = None,
    max_removals: int = 100,
    force: bool = False,
    checkpoint: str | None = None,
    api: str = "pipelines",
    requests_per_second: float | None = None,
    concurrency: int = 4,
    **options: Unpack[ColumnOptions],
) -> SparkSyncReport:
    """Send the added and changed rows of ``df`` as identify calls; optionally remove vanished people.

    ``removals`` is None (keep them), "delete" or "suppress"; more than ``max_removals`` refuse the
    sync before anything is sent, unless ``force=True``. Acknowledgements go under ``checkpoint``
    (default ``{state}/checkpoint``); the new state holds only what was acknowledged.
    """
    from pyspark.sql import functions as F

    check_removal_options(removals, max_removals)
    spark = df.sparkSession
    p = _plan(df, key, state, api, dict(options))
    gone = p.counts.get("remove", 0)
    try:
        check_removals(removals, max_removals, force, removing=gone,
                       kept=p.counts.get("change", 0) + p.counts.get("unchanged", 0))
    except ValidationError:
        p.everything.unpersist()
        p.hashed.unpersist()
        raise
    version = p.version + 1
    ckpt_root = checkpoint or f"{state.rstrip('/')}/checkpoint"
    job = f"sync-v{version:06d}"
    common: dict[str, Any] = {"checkpoint": ckpt_root, "api": api, "resume": True,
                              "requests_per_second": requests_per_second, "concurrency": concurrency}
    wanted = p.plan.where(F.col("action").isin("add", "change")).select(F.col("hash").alias(MESSAGE_ID))
    upserts = removed = None
    if p.counts.get("add", 0) or p.counts.get("change", 0):
        rows = p.hashed.join(wanted, on=MESSAGE_ID, how="left_semi").select(*df.columns)
        upserts = load(rows, kind="identify", user_id=key, key=key, job=job, **common, **options)
    acked_keys = p.plan.where(F.col("action").isin("add", "change")).join(
        _acked(spark, Checkpoint(ckpt_root, job)), on="hash", how="left_semi").select("key", "hash")
    new_state = p.state.join(acked_keys, on="key", how="left_anti")
    if removals and gone:
        people = p.plan.where(F.col("action") == "remove").select(F.col("key").alias("userId"))
        removed = load(people, kind=removals, user_id="userId", key="userId", job=f"{job}-{removals}", **common)
        done = _hashed(people, {"user_id": "userId", "key": ("userId",)}, api, removals).join(
            _acked(spark, Checkpoint(ckpt_root, f"{job}-{removals}")).withColumnRenamed("hash", MESSAGE_ID),
            on=MESSAGE_ID, how="left_semi").select(F.col(_KEY).alias("key"))
        new_state = new_state.join(done, on="key", how="left_anti")
    target = f"{state.rstrip('/')}/v{version:06d}"
    new_state.unionByName(acked_keys).write.mode("overwrite").parquet(target)
    p.everything.unpersist()
    p.hashed.unpersist()
    for old in _versions(state)[:-_KEEP_VERSIONS]:
        store_for(state, field="state").remove(f"v{old:06d}")
    written = spark.read.parquet(target).count()
    c = p.counts
    return SparkSyncReport(adds=c.get("add", 0), changes=c.get("change", 0), unchanged=c.get("unchanged", 0),
                           removals=gone, rejected=c.get("rejected", 0), upserts=upserts, removed=removed,
                           state_version=version, state_rows=written)
