"""Benchmark: a Parquet file of N track events through Spark local[2] against single-process bulk.load.

Both send to the same local counting sink (benchmarks/bulk_sink.py, its own process) with the
same row key (``seq``), so they send the same messageIds; rounds are interleaved (bulk, spark,
bulk, spark, ...) and the sink is reset between them. events/s = distinct messageIds the sink
accepted / seconds of the load call; the SparkSession is started once, before the rounds, and a
small untimed load warms its Python workers; both are reported apart. lost = events in the file
- distinct accepted.

Then one budget (``--budget``, requests/s for the whole job) over more partitions than task
slots (``--partitions`` on local[2]), ``--budget-runs`` times: ``load()`` and a plain ``df.write``
(both through the driver's coordinator), and a plain ``df.write`` whose tasks cannot reach it
(each task its share), against a sink that takes everything, where the most requests that
arrived in any 1-second window must stay within the budget; and ``load()`` and ``df.write``
against a sink that takes ``--sink-limit`` requests/s (429 with ``Retry-After`` above it), where
the share of its limit used is accepted requests / (limit x seconds from the first to the last
accepted one).
Writes benchmarks/results/spark.json and spark.md.

    .venv/bin/python -m benchmarks.bench_spark [--rows 1000000] [--rounds 3] [--budget-rows 750000]
        [--budget-runs 3] [--only throughput|budget]
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


def _warm(spark: Any, tmp: str) -> float:
    """One small untimed load: the Python workers start and import the toolkit once."""
    from cio_toolkit import spark as cio_spark

    started = time.monotonic()
    df = spark.range(2000, numPartitions=2).selectExpr("id AS seq", "concat('u', id) AS user_id", "'warm' AS event")
    cio_spark.load(df, kind="track", user_id="user_id", event="event", key="seq", job="warm",
                   checkpoint=str(Path(tmp) / "ck"))
    return round(time.monotonic() - started, 2)


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
            out["spark_warmup_seconds"] = _warm(spark, tmp)
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


def _events(spark: Any, rows: int, partitions: int) -> Any:
    """``rows`` track events like benchmarks.bench_bulk's, made by Spark in ``partitions`` (no shuffle, no file)."""
    return spark.range(rows, numPartitions=partitions).selectExpr(
        "concat('user-', id % 50000) AS user_id", "IF(id % 3 = 0, 'signup', 'purchase') AS event",
        "timestamp_millis(1704067200000 + id * 1000) AS timestamp", "IF(id % 2 = 0, 'pro', 'free') AS plan",
        "id * 0.25 AS amount", "id AS seq")


_SETTLE, _DRAIN = 5, 2  # seconds left out at the start and the end of a limited run's steady share


def _ahead(sink: CountingSink) -> None:
    """Schedule the sink (it stands for the API, on a machine of its own) ahead of the Spark processes.

    On a busy 2-core machine a starved sink stamps requests late, hundreds of ms after they were
    sent, and bunches them; its handler threads inherit the priority. Where it may not be raised
    (not root), the sink runs as it is.
    """
    assert sink._proc is not None
    try:
        os.setpriority(os.PRIO_PROCESS, sink._proc.pid, -10)
    except OSError:
        pass


def _budget_run(spark: Any, tmp: str, rows: int, *, how: str, budget: float, partitions: int,
                sink_limit: int, name: str) -> dict[str, Any]:
    """One write under ``budget`` into a sink taking ``sink_limit`` requests/s (0: all)."""
    from cio_toolkit import spark as cio_spark

    with CountingSink(rate_limit=sink_limit, retry_after=1.0 if sink_limit else None) as sink:
        _ahead(sink)
        # The tasks' Python workers (a new pool for a new environment) send to this sink.
        spark.sparkContext.environment["CIO_BASE_URL"] = sink.url
        cio_spark.register(spark)
        if how == "shares":  # the data source as tasks that cannot reach the driver see it
            from cio_toolkit.spark._source import CustomerIODataSource

            spark.dataSource.register(type("CustomerIODataSource", (CustomerIODataSource,), {
                "tasks_at_once": spark.sparkContext.defaultParallelism, "coordinator": None,
                "__module__": CustomerIODataSource.__module__}))
        df = _events(spark, rows, partitions)
        ck = str(Path(tmp) / "ck-budget")
        t0 = time.monotonic()
        if how == "load":
            cio_spark.load(df, kind="track", key="seq", job=name, checkpoint=ck, requests_per_second=budget)
        else:
            (df.write.format("customerio").option("kind", "track").option("key", "seq").option("job", name)
             .option("checkpoint", ck).option("requests_per_second", str(budget)).mode("append").save())
        seconds = time.monotonic() - t0
        st = sink.stats()
    from cio_toolkit.spark._checkpoint import Checkpoint

    manifests = Checkpoint(ck, name).manifests()
    late = sum(int(t.get("late_slots", 0)) for m in manifests for t in m.get("tasks", []))
    accepted_rate = (st["requests"] - 1) / st["accepted_span"] if st["accepted_span"] else 0.0
    out = {"how": how, "sink_limit": sink_limit or None, "budget": budget, "partitions": partitions,
           "seconds": round(seconds, 1), "requests": st["requests"], "throttled": st["throttled"],
           "lost": rows - int(st["distinct"]), "max_in_1s": st["max_in_1s"],
           "max_in_1s_to_budget": round(st["max_in_1s"] / budget, 2), "accepted_per_second": round(accepted_rate, 2),
           "late_slots": late}
    if sink_limit:
        out["share_of_sink_limit"] = round(accepted_rate / sink_limit, 2)
        steady = st["per_second"][_SETTLE:-_DRAIN]  # once the 429s taught the pace, before the last tasks drain
        out["share_of_sink_limit_steady"] = round(statistics.mean(steady) / sink_limit, 2) if steady else None
    print(json.dumps(out), flush=True)
    return out


def measure_budget(rows: int, budget: float, sink_limit: int, partitions: int, runs: int) -> list[dict[str, Any]]:
    """load() and a plain write under one budget, into a sink that takes everything and one limited below it."""
    out: list[dict[str, Any]] = []
    cases = [(0, "load"), (0, "write"), (0, "shares"), (sink_limit, "load"), (sink_limit, "write")]
    with tempfile.TemporaryDirectory(prefix="cio-bench-spark-") as tmp:
        os.environ.update({"CIO_PIPELINES_API_KEY": "bench-key", "PYSPARK_PYTHON": sys.executable})
        spark = _session()
        spark.sparkContext.setLogLevel("ERROR")
        try:
            for run in range(runs):
                for limit, how in cases:
                    out.append({"run": run, **_budget_run(spark, tmp, rows, how=how, budget=budget,
                                                          partitions=partitions, sink_limit=limit,
                                                          name=f"budget-{how}-{limit}-{run}")})
        finally:
            spark.stop()
    return out


def _markdown(result: dict[str, Any]) -> str:
    t = result["throughput"]
    note = f" {result['meta']['note']}" if result["meta"].get("note") else ""
    lines = ["# Spark benchmark", "", f"{result['meta']['date']}, {result['meta']['machine']}.{note}", "",
             f"## Throughput: {t['rows']:,} track events from Parquet, Spark local[2] against bulk.load", "",
             "| client | median events/s | ratio to bulk.load | lost |", "|---|---:|---:|---:|"]
    for client in ("bulk", "spark"):
        lost = max(x["lost"] for x in t["rounds"] if x["client"] == client)
        lines.append(f"| {client} | {t[f'{client}_median_events_per_second']:,.0f} | "
                     f"{t[f'{client}_median_events_per_second'] / t['bulk_median_events_per_second']:.2f} | {lost} |")
    lines += ["", f"Rounds interleaved, medians of {len(t['rounds']) // 2}; the SparkSession's start "
              f"({t['spark_start_seconds']} s) and one small warm-up load ({t['spark_warmup_seconds']} s) not counted.",
              "", "## One budget over more partitions than task slots", "",
              "| run | write | sink takes | budget req/s | partitions | max requests in any 1 s | max / budget | "
              "accepted req/s | share of sink limit (steady) | 429s | slots void (late) | lost | seconds |",
              "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    names = {"load": "load() (driver coordinator)", "write": "df.write (driver coordinator)",
             "shares": "df.write, tasks cut off from the driver (task shares)"}
    for b in sorted(result["budget"], key=lambda b: (b["sink_limit"] or 0, list(names).index(b["how"]), b["run"])):
        how = names[b["how"]]
        sink = f"{b['sink_limit']} req/s" if b["sink_limit"] else "all"
        share = "-"
        if b.get("share_of_sink_limit") is not None:
            steady = b.get("share_of_sink_limit_steady")
            share = f"{b['share_of_sink_limit']:.2f}" + (f" ({steady:.2f})" if steady is not None else "")
        lines.append(f"| {b['run'] + 1} | {how} | {sink} | {b['budget']:g} | {b['partitions']} | {b['max_in_1s']} | "
                     f"{b['max_in_1s_to_budget']:.2f} | {b['accepted_per_second']:.1f} | {share} | {b['throttled']} | {b.get('late_slots', '-')} | "
                     f"{b['lost']} | {b['seconds']} |")
    lines += ["", "max requests in any 1 s: arrivals at the sink (429s included) in any window of one second; "
              "share of sink limit: accepted requests/s between the first and the last accepted request, over the "
              f"sink's limit (steady: the mean of its whole seconds from {_SETTLE} s on, the last {_DRAIN} left "
              "out); slots void (late): slots the tasks' threads woke up for too late to send, taken again. "
              "The sink answers 429 with Retry-After: 1 above its limit and runs ahead of the Spark "
              "processes in the scheduler where the benchmark may set that.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write the results."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--budget-rows", type=int, default=750_000)
    ap.add_argument("--budget", type=float, default=20.0, help="the job's budget, requests/s")
    ap.add_argument("--sink-limit", type=int, default=15, help="requests/s the limited sink takes")
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--budget-runs", type=int, default=3, help="runs of each budget case")
    ap.add_argument("--note", default="", help="a sentence on the machine's state, for the results")
    ap.add_argument("--only", choices=("throughput", "budget"), default=None, help="run one part, keep the other's results")
    args = ap.parse_args(argv if argv is not None else [])
    before = json.loads((RESULTS / "spark.json").read_text()) if (RESULTS / "spark.json").exists() else {}
    result: dict[str, Any] = {"throughput": before.get("throughput"), "budget": before.get("budget")}
    if args.only in (None, "throughput"):
        result["throughput"] = measure(args.rows, args.rounds)
    if args.only in (None, "budget"):
        result["budget"] = measure_budget(args.budget_rows, args.budget, args.sink_limit, args.partitions,
                                          args.budget_runs)
    result["meta"] = {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
                                 f"Python {platform.python_version()}",
                      "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "note": args.note}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "spark.json").write_text(json.dumps(result, indent=2))
    (RESULTS / "spark.md").write_text(_markdown(result))
    print(json.dumps({k: v for k, v in (result["throughput"] or {}).items() if k != "rounds"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
