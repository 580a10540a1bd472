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

import uuid
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from .._exceptions import CustomerIOError
from .._options import with_options
from ..bulk._columns import ColumnEncoder
from ._checkpoint import Checkpoint
from ._encode import ACKED, MESSAGE_ID, encoder_for, from_manifest, keys_and_ids
from ._options import LoadOptions, WriteOptions
from ._source import _parallelism, arrow_schema, check_job, register

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame

    from ..bulk import LoadReport

__all__ = ["SparkLoadError", "load"]


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
    whole job's budget (default: the API's documented limit): the driver's coordinator grants
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
        (source.write.format("customerio").options(**strings, tasks=str(tasks), _run=run).mode("append").save())
    except Exception as exc:
        report, unclosed = _failed_run(ckpt, run, parsed, mapping)
        acked = f"{report.acknowledged:,} rows acknowledged" if report is not None else "no task started"
        if unclosed:
            acked += (f"; {len(unclosed)} task attempt(s) never closed their ack files ({', '.join(unclosed[:5])}: "
                      "Spark killed their Python workers, or their executors were lost), counted as found; rows "
                      "they had in flight may have arrived unrecorded, and a resume sends them with the same ids")
        raise SparkLoadError(f"the Spark job of load {job!r} failed ({acked}; resume=True sends the rest): "
                             f"{_cause(exc)}", report=report,
                             unclosed_attempts=unclosed) from exc
    manifest = ckpt.manifest(run)
    if manifest is None:
        raise SparkLoadError(f"load {job!r}: the write finished without a run manifest under {checkpoint}",
                             report=None)
    return from_manifest(manifest)


def _cause(exc: BaseException) -> str:
    """The Python error a failed Spark job carries (the last line of its last traceback), else its first 500 chars.

    Spark wraps a task's Python exception in JVM messages and stack frames: the first 500
    characters of that end mid-traceback, before the error itself.
    """
    lines = str(exc).splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call last)")]
    if starts:
        for line in lines[starts[-1] + 1:]:
            if line and not line[0].isspace():
                return line.strip()[:1000]
    return f"{type(exc).__name__}: {str(exc)[:500]}"


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
