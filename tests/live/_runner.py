"""Run the live suite in a subprocess, as ``make test-live`` does, and read each scenario's outcome.

For the main suite's checks of the live suite (tests/test_live_suite.py, tests/test_live_rehearsal.py):
the environment is built from scratch (no CIO_* of the caller leaks in) and the working folder is a
temporary one, so no ``.env`` is read and the ledgers land there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "tests" / "live"


@dataclass(frozen=True)
class Outcome:
    """One scenario's result: ``passed``, ``skipped``, ``failed`` or ``error``, with pytest's message."""

    status: str
    message: str = ""


@dataclass
class SuiteRun:
    """The outcomes of one run of the suite, by test id (``test_people.py::test_merge_two_people``)."""

    returncode: int
    outcomes: dict[str, Outcome]
    output: str

    def with_status(self, status: str) -> dict[str, Outcome]:
        """The scenarios that ended with ``status``."""
        return {k: v for k, v in self.outcomes.items() if v.status == status}


def run_suite(env: Mapping[str, str], cwd: Path, *paths: Path, timeout: float = 300) -> SuiteRun:
    """``pytest -q -p no:randomly <paths or tests/live>`` with exactly ``env`` (plus PATH and PYTHONPATH)."""
    report = cwd / "live-junit.xml"
    base = {k: v for k, v in os.environ.items() if not k.startswith("CIO_")}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
           f"--rootdir={ROOT}", "-c", str(ROOT / "pyproject.toml"), f"--junitxml={report}",
           *(str(p) for p in (paths or (SUITE,)))]
    done = subprocess.run(cmd, env={**base, **env}, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return SuiteRun(done.returncode, _outcomes(report), done.stdout + done.stderr)


def _outcomes(report: Path) -> dict[str, Outcome]:
    out: dict[str, Outcome] = {}
    if not report.exists():
        return out
    for case in ET.parse(report).getroot().iter("testcase"):
        name = f"{case.get('classname', '').rsplit('.', 1)[-1]}.py::{case.get('name')}"
        child = next((c for c in case if c.tag in ("skipped", "failure", "error")), None)
        status = {"skipped": "skipped", "failure": "failed", "error": "error"}.get(child.tag, "") if child is not None \
            else "passed"
        out[name] = Outcome(status, (child.get("message") or "") if child is not None else "")
    return out
