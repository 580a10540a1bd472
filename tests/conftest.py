"""Suite-wide fixtures: one emulator for the session, a client pointed at it, and a clean environment.

Every emulator started during the run (fixtures, notebooks, CLI subprocesses) appends to one
request log, which tests/_conformance.py checks when the session finishes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests._conformance"]
ROOT = Path(__file__).resolve().parent.parent
# The CIO_* variables the session started with, kept for tests/live only (it reads them as a user would).
CALLER_ENV = pytest.StashKey[dict[str, str]]()


def pytest_configure(config: pytest.Config) -> None:
    # The developer's own CIO_* settings must never leak into tests (nor tests into a live workspace).
    from tests._conformance import REQUEST_LOG

    config.stash[CALLER_ENV] = {k: os.environ.pop(k) for k in [k for k in os.environ if k.startswith("CIO_")]}
    REQUEST_LOG.parent.mkdir(parents=True, exist_ok=True)
    if not hasattr(config, "workerinput"):
        REQUEST_LOG.unlink(missing_ok=True)
    os.environ["CIO_EMULATOR_LOG"] = str(REQUEST_LOG)


@pytest.fixture(scope="session")
def emulator() -> Iterator:
    """A session-wide emulator (in-memory store, request log on). Use unique ids per test."""
    from cio_toolkit.emulator import Emulator

    with Emulator() as emu:
        yield emu


@pytest.fixture
def cio(emulator):
    """A CustomerIO client pointed at the session emulator."""
    from cio_toolkit import CustomerIO

    with CustomerIO(**emulator.settings()) as client:
        yield client
