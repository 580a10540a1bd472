"""Run one bulk client over one Parquet file against a sink, in a fresh process; print JSON.

    python benchmarks/bulk_runner.py ours|official-default|official-tuned|plain EVENTS.parquet SINK_URL

Every client reads the same file in record batches and sends every row as a track call. The
output is ``{"client", "sent", "seconds", "peak_rss_mb"}``; peak RSS is the process maximum
(imports included), so it is the memory a user would see.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CLIENTS = ("ours", "official-default", "official-tuned", "plain")


def _batches(path: str) -> Any:
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as pf:
        yield from pf.iter_batches(batch_size=20_000)


def _ours(path: str, url: str) -> int:
    from cio_toolkit import CustomerIO, bulk

    with tempfile.TemporaryDirectory() as tmp, CustomerIO(pipelines_api_key="bench", base_url=url) as cio:
        report = bulk.load(cio, path, kind="track", journal=Path(tmp) / "journal.sqlite", progress=None)
        return report.sent - report.failed


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
    import pyarrow.parquet  # noqa: F401

    if client == "ours":
        import cio_toolkit.bulk  # noqa: F401
    elif client.startswith("official"):
        import customerio.analytics  # noqa: F401
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        import benchmarks.bulk_ceiling  # noqa: F401


def run(client: str, path: str, url: str) -> dict[str, Any]:
    """Send every row of ``path`` with ``client``; return what was handed over and how long it took."""
    _import(client)
    started = time.perf_counter()
    if client == "ours":
        sent = _ours(path, url)
    elif client == "official-default":
        sent = _official(path, url, tuned=False)
    elif client == "official-tuned":
        sent = _official(path, url, tuned=True)
    elif client == "plain":
        sent = _plain(path, url)
    else:
        raise SystemExit(f"client must be one of {CLIENTS}")
    seconds = time.perf_counter() - started
    return {"client": client, "sent": sent, "seconds": round(seconds, 3), "peak_rss_mb": round(peak_rss_mb(), 1)}


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
    print(json.dumps(run(sys.argv[1], sys.argv[2], sys.argv[3])))
