"""Customer.io on Apache Spark: bulk loads from DataFrames and App API data read into DataFrames.

``register(spark)`` adds the "customerio" data source (pyspark 4's Python Data Source API, the
``spark`` extra). ``df.write.format("customerio").option("kind", "track").option("key", ...)
.option("job", ...).option("checkpoint", ...).mode("append").save()`` sends every partition
through bulk's encoder and delivery loop, with deterministic messageIds, each acknowledged
request recorded under ``checkpoint``; ``load(df, ...)`` does the same and returns the report;
``load(..., resume=True)`` sends only rows no earlier run acknowledged (a plain write with
``.option("resume", "true")`` continues the job but sends every row again, with the same ids,
which the API deduplicates).
``spark.read.format("customerio").option("list", "campaigns")`` and ``.option("export",
"customers")`` read App API lists and exports. ``plan_sync(df, key=..., state=...)`` and
``sync(...)`` are bulk's diff sync on Spark: row hashes are bulk's messageIds, the state is
Parquet. Credentials come only from the ``CIO_*`` variables of the executors, never from options.
"""

from ._load import SparkLoadError, load
from ._source import register
from ._sync import SparkSyncReport, plan_sync, sync

__all__ = ["SparkLoadError", "SparkSyncReport", "load", "plan_sync", "register", "sync"]
