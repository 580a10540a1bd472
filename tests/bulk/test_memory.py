"""The memory bound: 1,000,000 rows from a Parquet file load in under 280 MB peak RSS, losing nothing.

Measured 253-256 MB peak RSS on 2 cores (3 runs); the bound leaves about a tenth for other machines.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_million_row_parquet_load_stays_under_280_mb(tmp_path: Path):
    sys.path.insert(0, str(ROOT))
    from benchmarks.bench_bulk import write_events
    from benchmarks.bulk_sink import CountingSink

    path = tmp_path / "events.parquet"
    write_events(path, 1_000_000)
    # This checkout's package first (not whichever one is installed), and its benchmarks.
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CIO_")},
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    with CountingSink() as sink:
        proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bulk_runner.py"), "ours", str(path),
                               sink.url], env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-2000:]
        stats = sink.stats()
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert stats["distinct"] == 1_000_000  # nothing lost
    assert result["peak_rss_mb"] < 280, result
