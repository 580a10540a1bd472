"""Benchmark: a long fuzz run of the emulator from its specs (run on demand, not in tests).

Drives the fuzzer of ``tests/emulator/test_fuzz.py`` with a larger budget: every coverage-phase
case of every operation of the Pipelines, Track and App specs plus 40 random cases each, about
21,000 cases against a freshly seeded in-process emulator. Prints the cases sent, the answers
per status, the failures per kind (5xx, a missing 401, a body off its schema) with a curl
command for each, and writes benchmarks/results/fuzz.json. Exits non-zero on any failure.

    .venv/bin/python -m benchmarks.bench_fuzz [--examples 40]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "fuzz.json"


def main() -> int:
    """Run the fuzzer once, print what it found and write the JSON results."""
    parser = argparse.ArgumentParser(description="fuzz the emulator from its specs")
    parser.add_argument("--examples", type=int, default=None, help="random cases per operation")
    args, _ = parser.parse_known_args()
    sys.path.insert(0, str(ROOT))
    from tests.emulator.test_fuzz import BENCH, Fuzzer

    budget = BENCH if args.examples is None else dataclasses.replace(BENCH, examples=args.examples)
    logging.getLogger("cio_toolkit.emulator").setLevel(logging.CRITICAL)  # each 5xx is reported below
    t0 = time.perf_counter()
    found = Fuzzer(budget).run()
    seconds = time.perf_counter() - t0
    kinds = found.kinds()
    print(f"fuzz: {found.cases:,} cases in {seconds:.0f} s ({found.cases / seconds:,.0f}/s)")
    print("  answers: " + ", ".join(f"{status}: {n:,}" for status, n in sorted(found.statuses.items())))
    print("  failures: " + (", ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items())) or "none"))
    if found.failures:
        print(found.report())
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "arch": platform.machine()},
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "budget": {"examples": budget.examples, "coverage": str(budget.coverage)},
        "cases": found.cases, "seconds": round(seconds, 1),
        "statuses": {str(k): v for k, v in sorted(found.statuses.items())},
        "failures": dict(kinds), "unsent": dict(found.unsent),
    }, indent=2) + "\n")
    return 1 if found.failures else 0


if __name__ == "__main__":
    sys.exit(main())
