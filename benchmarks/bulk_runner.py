"""Run one bulk client over one Parquet file against a sink, in a fresh process; print JSON.

    python benchmarks/bulk_runner.py ours|ours-stream|official-default|official-tuned|plain EVENTS.parquet SINK_URL
    python benchmarks/bulk_runner.py preflight EVENTS.parquet

Every client reads the same file in record batches and sends every row as a track call. The
output is ``{"client", "sent", "seconds", "peak_rss_mb"}``; peak RSS is the process maximum
(imports included), so it is the memory a user would see. ``preflight`` times the toolkit's
pre-flight alone (read, validate, encode, pack, gzip, spool; nothing sent), on whichever
version of the toolkit is first on the path.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CLIENTS = ("ours", "ours-stream", "official-default", "official-tuned", "plain", "preflight")


def _batches(path: str) -> Any:
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as pf:
        yield from pf.iter_batches(batch_size=20_000)


def _ours(path: str, url: str, **kw: Any) -> int:
    from cio_toolkit import CustomerIO, bulk

    with tempfile.TemporaryDirectory() as tmp, CustomerIO(pipelines_api_key="bench", base_url=url) as cio:
        report = bulk.load(cio, path, kind="track", journal=Path(tmp) / "journal.sqlite", progress=None, **kw)
        return report.sent - report.failed


def _preflight(path: str) -> int:
    """The pre-flight pass of a load of ``path`` into a spool, as ``load`` runs it before sending."""
    from cio_toolkit.bulk import _load
    from cio_toolkit.bulk._fingerprint import Digest
    from cio_toolkit.bulk._mapping import RowEncoder
    from cio_toolkit.bulk._progress import make_progress
    from cio_toolkit.bulk._report import LoadReport
    from cio_toolkit.bulk._sources import open_source
    from cio_toolkit.bulk._spool import _Packer, _Spool

    src = open_source(path)
    rows = RowEncoder("track", src.schema)
    report = LoadReport(job="bench", kind="track", api="pipelines", target="", source=src.describe)
    spool = _Spool(compress=True)
    try:
        try:
            from cio_toolkit.bulk._preflight import Scan, _Resume, scan
        except ImportError:  # an older toolkit: the pass was one function of _load
            resuming = _load._Resume.open(None, "bench", report, resume=False, dry_run=False, keyed=False)
            _load._preflight(src, rows, _Packer(512_000, call_type="track"), report, resuming, Digest(),
                             make_progress(None), spool, None)
        else:
            resuming = _Resume.open(None, "bench", report, resume=False, dry_run=False, keyed=False)
            s = Scan(src, rows, report, resuming, Digest(), make_progress(None))
            for batch in scan(s, s.packer(512_000)):
                spool.add(batch)
        spool.finish()
    finally:
        spool.close()
    return report.rows_read


def _official(path: str, url: str, *, tuned: bool) -> int:
    import customerio.analytics as analytics

    kw: dict[str, Any] = {"max_queue_size": 1_000_000, "upload_size": 1000} if tuned else {}
    client = analytics.Client("bench", host=url, **kw)
    sent = 0
    for batch in _batches(path):
        for row in batch.to_pylist():
            props = {k: v for k, v in row.items() if k not in ("user_id", "event", "timestamp")}
            client.track(user_id=row["user_id"], event=row["event"], properties=props, timestamp=row["timestamp"])
            sent += 1
    client.flush()
    client.shutdown()
    return sent


def _plain(path: str, url: str) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.bulk_ceiling import send_plain

    return send_plain(_batches(path), url)["sent"]


def _import(client: str) -> None:
    # Imports happen before the clock starts: the benchmark times sending, not interpreter start-up.
    import pyarrow.parquet

    if client.startswith(("ours", "preflight")):
        import numpy  # noqa: F401
        import pyarrow.compute  # noqa: F401

        import cio_toolkit.bulk  # noqa: F401
    elif client.startswith("official"):
        import customerio.analytics  # noqa: F401
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        import benchmarks.bulk_ceiling  # noqa: F401


def run(client: str, path: str, url: str) -> dict[str, Any]:
    """Send every row of ``path`` with ``client``; return what was handed over and how long it took."""
    _import(client)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    if client == "ours":
        sent = _ours(path, url)
    elif client == "ours-stream":
        sent = _ours(path, url, preflight="stream")
    elif client == "preflight":
        sent = _preflight(path)
    elif client == "official-default":
        sent = _official(path, url, tuned=False)
    elif client == "official-tuned":
        sent = _official(path, url, tuned=True)
    elif client == "plain":
        sent = _plain(path, url)
    else:
        raise SystemExit(f"client must be one of {CLIENTS}")
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"client": client, "sent": sent, "seconds": round(seconds, 3), "peak_rss_mb": round(peak_rss_mb(), 1),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime - cpu_before, 3)}


def peak_rss_mb() -> float:
    """This process's peak resident memory in MiB.

    VmHWM belongs to the process's own address space; ru_maxrss does not: it survives exec, so a
    child spawned by a big parent (pytest, a notebook) would report the parent's size.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "")))
