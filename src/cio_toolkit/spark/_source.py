"""The "customerio" Python data source (pyspark 4's ``pyspark.sql.datasource``) and ``register``.

Writes are checked on the driver before any task starts: the options (no credentials, no
unknown names), the column mapping (bulk's encoder is built against the DataFrame's schema),
and the job under ``checkpoint`` (a job that ran before needs ``resume``; a resume must keep
the job's kind, API and key). ``register`` hands the data source the address of the driver's
rate coordinator, and how many tasks run at once (dividing the budget where tasks cannot reach it).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from pyspark.sql.datasource import DataSource, DataSourceReader, DataSourceWriter

from .._exceptions import ValidationError
from ._budget import session_coordinator
from ._checkpoint import Checkpoint
from ._encode import encoder_for
from ._options import ReadOptions, WriteOptions
from ._read import LISTS, CustomerIOReader, fetch, spark_schema
from ._write import CustomerIOWriter

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import SparkSession
    from pyspark.sql.types import StructType

__all__ = ["CustomerIODataSource", "arrow_schema", "check_job", "register"]


class CustomerIODataSource(DataSource):
    """Customer.io as a Spark data source: bulk writes to Pipelines or Track, reads of App API data."""

    tasks_at_once = 0  # set by register(): the session's default parallelism
    coordinator: str | None = None  # set by register(): host:port of the driver's rate coordinator

    @classmethod
    def name(cls) -> str:
        """The format name: ``spark.read.format("customerio")``."""
        return "customerio"

    def schema(self) -> StructType:
        """Fetch what a read names (once, here on the driver) and return its schema."""
        options = ReadOptions.parse(self.options, LISTS)
        self._table = fetch(options)
        return spark_schema(self._table)

    def reader(self, schema: StructType) -> DataSourceReader:
        """The reader of a list or an export."""
        options = ReadOptions.parse(self.options, LISTS)
        return CustomerIOReader(options, schema, getattr(self, "_table", None))

    def writer(self, schema: StructType, overwrite: bool) -> DataSourceWriter:
        """Check the write on the driver and hand each task what it needs."""
        if overwrite:
            raise ValidationError("mode: the customerio data source only appends (use .mode('append'))",
                                  field="mode", limit="append")
        options = WriteOptions.parse(self.options)
        arrow = arrow_schema(schema)
        mapping = encoder_for(options.kind, options.api, arrow, options.roles).describe()
        run = str(self.options.get("_run") or uuid.uuid4().hex)
        if not self.options.get("_run"):  # load() checked the job already
            check_job(options, mapping)
        tasks = options.tasks or type(self).tasks_at_once or 1
        return CustomerIOWriter(options, arrow, run=run, tasks=tasks, mapping=mapping,
                                coordinator=type(self).coordinator)


def check_job(options: WriteOptions, mapping: dict[str, Any]) -> None:
    """Refuse a run of a job that exists without ``resume``, or a resume with another kind, API or key."""
    runs = Checkpoint(options.checkpoint, options.job).manifests()
    if not runs and not Checkpoint(options.checkpoint, options.job).has_acks():
        return
    if not options.resume:
        raise ValidationError(
            f"job: {options.job!r} already ran under {options.checkpoint}; pass resume=True (.option('resume', "
            "'true')) to continue it, or choose another job name", field="job")
    last = runs[-1] if runs else None
    if last is None:
        return
    if (last["kind"], last["api"]) != (options.kind, options.api):
        raise ValidationError(f"job: {options.job!r} was a {last['kind']} load on the {last['api']} API, not "
                              f"{options.kind} on {options.api}", field="job")
    before, now = (last.get("mapping") or {}).get("key"), mapping.get("key")
    if before != now:
        raise ValidationError(
            f"key: job {options.job!r} identified its rows by key={before}, this run by key={now}; every messageId "
            "would differ and every row would be sent again. Use the job's key, or a new job name",
            field="key", limit=before, actual=now)


def arrow_schema(schema: StructType) -> pa.Schema:
    """The Arrow schema of a DataFrame's rows as tasks receive them (time zone-aware timestamps, in UTC)."""
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(schema, timezone="UTC")


def _parallelism(spark: SparkSession) -> int:
    try:
        return int(spark.sparkContext.defaultParallelism)
    except Exception:  # Spark Connect has no SparkContext
        return int(spark.conf.get("spark.default.parallelism", "8") or 8)


def register(spark: SparkSession) -> None:
    """Register the "customerio" data source with ``spark``; its writes share one rate budget per run.

    The first call starts this driver process's rate coordinator (:mod:`._budget`); where tasks
    cannot reach it, the session's default parallelism divides the budget between them.
    """
    # The class travels to Spark's Python workers by value, with the coordinator's address.
    source = type("CustomerIODataSource", (CustomerIODataSource,), {
        "tasks_at_once": _parallelism(spark), "coordinator": session_coordinator(spark), "__module__": __name__,
        "__doc__": CustomerIODataSource.__doc__})
    spark.dataSource.register(source)
