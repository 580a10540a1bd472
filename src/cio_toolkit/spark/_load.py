"""``load(df, kind=..., job=..., checkpoint=...)``: the data source's write, returning its report.

The write runs as ``df.write.format("customerio")...save()``; the report is read back from the
run manifest ``commit()`` wrote, so it holds exactly what the tasks reported. ``resume=True``
joins the source with the ids acknowledged under ``checkpoint`` (any earlier run of the job): the
messageId of every row is computed on the executors by bulk's encoder, rows found acknowledged are
counted as skipped and not sent. When the Spark job fails, :class:`SparkLoadError` carries the
report of what was acknowledged, counted once every task attempt that started closed its ack file
(a bounded wait: an attempt lost with its executor is counted as found, and named).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any, Unpack

from .._exceptions import CustomerIOError
from .._options import with_options
from ..bulk._columns import ColumnEncoder
from ._budget import Coordinator
from ._checkpoint import Checkpoint
from ._encode import ACKED, MESSAGE_ID, encoder_for, from_manifest, keys_and_ids
from ._options import LoadOptions, WriteOptions, task_rate
from ._source import _parallelism, arrow_schema, check_job, register

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

    from ..bulk import LoadReport

__all__ = ["SparkLoadError", "load"]

log = logging.getLogger("cio_toolkit.spark")


class SparkLoadError(CustomerIOError):
    """The Spark job of a load failed; ``report`` says what was acknowledged (resume sends the rest)."""

    def __init__(self, message: str, *, report: LoadReport | None, unclosed_attempts: list[str] | None = None) -> None:
        super().__init__(message)
        self.report = report
        self.unclosed_attempts = list(unclosed_attempts or [])  # task attempts counted without their close mark


@with_options(LoadOptions)
def load(
    df: DataFrame,
    *,
    kind: str,
    job: str,
    checkpoint: str,
    key: str | Sequence[str],
    api: str = "pipelines",
    resume: bool = False,
    requests_per_second: float | None = None,
    concurrency: int = 4,
    **options: Unpack[LoadOptions],
) -> LoadReport:
    """Load a Spark DataFrame into Customer.io as ``kind`` calls (bulk.load's column roles); return the report.

    ``key`` names the column(s) identifying a row (messageIds derive from it and the row's
    content). Acknowledgements and the run manifest go under ``checkpoint``/``job``;
    ``resume=True`` sends only rows no earlier run acknowledged. ``requests_per_second`` is the
    whole job's budget (default: the API's documented limit): a coordinator on the driver grants
    every task's requests from it, and a 429 seen by one task slows them all.
    The report names rejected and failed rows by their ``key`` only: a position within a Spark partition
    would not find a row again (partitions differ between runs, and a resume filters them).
    """
    spark = df.sparkSession
    register(spark)
    given: dict[str, Any] = {"key": key, **options}
    strings = {k: v if isinstance(v, str) else ",".join(v) for k, v in given.items() if v is not None}
    strings |= {"kind": kind, "api": api, "job": job, "checkpoint": checkpoint, "resume": str(resume).lower(),
                "concurrency": str(concurrency)}
    if requests_per_second is not None:
        strings["requests_per_second"] = str(requests_per_second)
    parsed = WriteOptions.parse(strings)
    arrow = arrow_schema(df.schema)
    mapping = encoder_for(parsed.kind, parsed.api, arrow, parsed.roles).describe()
    check_job(parsed, mapping)
    tasks = max(1, min(_parallelism(spark), df.rdd.getNumPartitions()))
    run = uuid.uuid4().hex
    ckpt = Checkpoint(checkpoint, job)
    source = _marked(df, parsed, ckpt) if resume and ckpt.has_acks() else df
    try:
        with _coordinator(spark, parsed) as coordinator:
            extra = {"_coordinator": coordinator.address} if coordinator is not None else {}
            (source.write.format("customerio").options(**strings, tasks=str(tasks), _run=run, **extra)
             .mode("append").save())
    except Exception as exc:
        report, unclosed = _failed_run(ckpt, run, parsed, mapping)
        acked = f"{report.acknowledged:,} rows acknowledged" if report is not None else "no task started"
        if unclosed:
            acked += (f"; {len(unclosed)} task attempt(s) never closed their ack files ({', '.join(unclosed[:5])}: "
                      "Spark killed their Python workers, or their executors were lost), counted as found; rows "
                      "they had in flight may have arrived unrecorded, and a resume sends them with the same ids")
        raise SparkLoadError(f"the Spark job of load {job!r} failed ({acked}; resume=True sends the rest): "
                             f"{type(exc).__name__}: {str(exc)[:500]}", report=report,
                             unclosed_attempts=unclosed) from exc
    manifest = ckpt.manifest(run)
    if manifest is None:
        raise SparkLoadError(f"load {job!r}: the write finished without a run manifest under {checkpoint}",
                             report=None)
    return from_manifest(manifest)


@contextmanager
def _coordinator(spark: SparkSession, options: WriteOptions) -> Iterator[Coordinator | None]:
    """The job's rate coordinator on the driver while the write runs (None if it cannot listen: tasks keep
    to their shares)."""
    master = str(spark.conf.get("spark.master", "local") or "local")
    host = "127.0.0.1" if master.startswith("local") else str(spark.conf.get("spark.driver.host", "") or "")
    with ExitStack() as stack:
        coordinator: Coordinator | None = None
        try:
            coordinator = stack.enter_context(
                Coordinator(task_rate(options.api, options.requests_per_second, 1), host=host or "0.0.0.0"))
        except OSError as exc:
            log.warning("no rate coordinator on the driver (%s): each task keeps to its share of the budget", exc)
        yield coordinator


def _failed_run(ckpt: Checkpoint, run: str, options: WriteOptions,
                mapping: dict[str, Any]) -> tuple[LoadReport | None, list[str]]:
    """The report of a failed run and its attempts that never closed: abort()'s manifest, or (when
    abort() wrote none) what the run's ack files hold once its attempts closed."""
    from ._write import report_of

    manifest = ckpt.manifest(run)
    if manifest is not None:
        return from_manifest(manifest), [str(a) for a in manifest.get("attempts_unclosed", [])]
    started, _ = ckpt.attempts(run)
    if not started:
        return None, []
    unclosed = ckpt.settle(run)
    n = len(ckpt.run_acks(run))
    return report_of(options, mapping, [{"rows_read": n, "sent": n, "acknowledged": n}], target=ckpt.target(run),
                     status="aborted"), unclosed


def _marked(df: DataFrame, options: WriteOptions, ckpt: Checkpoint) -> DataFrame:
    """``df`` with each row's messageId and whether an earlier run acknowledged it (a left join on the ids)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    kind, api, roles = options.kind, options.api, options.roles
    arrow = arrow_schema(df.schema)

    def with_ids(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        encoder = ColumnEncoder(encoder_for(kind, api, arrow, roles))
        for batch in batches:
            yield batch.append_column(MESSAGE_ID, keys_and_ids(encoder, batch)[1])

    schema = StructType([*df.schema.fields, StructField(MESSAGE_ID, StringType())])
    acked = (df.sparkSession.read.text(ckpt.acks_uri()).select(F.col("value").alias(MESSAGE_ID)).distinct()
             .withColumn(ACKED, F.lit(True)))
    return df.mapInArrow(with_ids, schema).join(acked, on=MESSAGE_ID, how="left")
