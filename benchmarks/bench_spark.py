"""Benchmark: a Parquet file of N track events through Spark local[2] against single-process bulk.load.

Both send to the same local counting sink (benchmarks/bulk_sink.py, its own process) with the
same row key (``seq``), so they send the same messageIds; rounds are interleaved (bulk, spark,
bulk, spark, ...) and the sink is reset between them. events/s = distinct messageIds the sink
accepted / seconds of the load call; the SparkSession is started once, before the rounds, and its
start-up is reported apart. lost = events in the file - distinct accepted. Writes
benchmarks/results/spark.json.

    .venv/bin/python -m benchmarks.bench_spark [--rows 1000000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_bulk import write_events
from benchmarks.bulk_sink import CountingSink

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def _session() -> Any:
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master("local[2]").appName("cio-bench-spark")
            .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC").getOrCreate())


def measure(rows: int, rounds: int) -> dict[str, Any]:
    """Run the interleaved rounds; return the per-round figures and the medians."""
    from cio_toolkit import CustomerIO, bulk
    from cio_toolkit import spark as cio_spark

    out: dict[str, Any] = {"rows": rows, "rounds": []}
    with tempfile.TemporaryDirectory(prefix="cio-bench-spark-") as tmp, CountingSink() as sink:
        source = Path(tmp) / "events.parquet"
        write_events(source, rows)
        os.environ.update({"CIO_BASE_URL": sink.url, "CIO_PIPELINES_API_KEY": "bench-key",
                           "PYSPARK_PYTHON": sys.executable})
        started = time.monotonic()
        spark = _session()
        spark.sparkContext.setLogLevel("ERROR")
        out["spark_start_seconds"] = round(time.monotonic() - started, 2)
        try:
            df = spark.read.parquet(str(source))
            out["spark_partitions"] = df.rdd.getNumPartitions()
            for r in range(rounds):
                for client in ("bulk", "spark"):
                    sink.reset()
                    t0 = time.monotonic()
                    if client == "bulk":
                        with CustomerIO(pipelines_api_key="bench-key", base_url=sink.url) as cio:
                            report = bulk.load(cio, source, kind="track", key="seq", journal=None, progress=None)
                    else:
                        report = cio_spark.load(df, kind="track", key="seq", job=f"bench-{r}",
                                                checkpoint=str(Path(tmp) / "ck"))
                    seconds = time.monotonic() - t0
                    stats = sink.stats()
                    accepted = int(stats["distinct"])
                    out["rounds"].append({"client": client, "round": r, "seconds": round(seconds, 2),
                                          "events_per_second": round(accepted / seconds),
                                          "lost": rows - accepted, "requests": stats.get("requests"),
                                          "status": report.status})
                    print(json.dumps(out["rounds"][-1]), flush=True)
        finally:
            spark.stop()
    for client in ("bulk", "spark"):
        eps = [x["events_per_second"] for x in out["rounds"] if x["client"] == client]
        out[f"{client}_median_events_per_second"] = statistics.median(eps)
    out["ratio_spark_to_bulk"] = round(out["spark_median_events_per_second"] / out["bulk_median_events_per_second"], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write the results."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv if argv is not None else [])
    result = measure(args.rows, args.rounds)
    result["meta"] = {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
                                 f"Python {platform.python_version()}",
                      "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "spark.json").write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "rounds"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
