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
"customers")`` read App API lists and exports. Credentials come only from the ``CIO_*``
variables of the executors, never from options.
"""

from ._load import SparkLoadError, load
from ._source import register

__all__ = ["SparkLoadError", "load", "register"]
