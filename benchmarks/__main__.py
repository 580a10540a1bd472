"""``python -m benchmarks`` (``make bench``): run every ``bench_*.py`` module's ``main()`` in turn."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main() -> int:
    """Run each benchmark with its defaults; return non-zero if any failed."""
    status = 0
    for path in sorted(Path(__file__).resolve().parent.glob("bench_*.py")):
        print(f"== {path.stem}", flush=True)
        module = importlib.import_module(f"benchmarks.{path.stem}")
        try:
            code = module.main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        status = status or int(code or 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
