"""pytest fixtures for testing code against the emulator: ``pytest -p cio_toolkit.emulator.pytest_plugin``.

``cio_emulator`` is a fresh in-memory emulator per test; ``cio_emulator_factory`` builds
emulators with other settings (``cio_emulator_factory(rate_limits=False)``) and stops them
after the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ._server import Emulator

__all__ = ["cio_emulator", "cio_emulator_factory"]


@pytest.fixture
def cio_emulator_factory() -> Iterator[Callable[..., Emulator]]:
    """Start emulators with any :class:`Emulator` arguments; all are stopped after the test."""
    started: list[Emulator] = []

    def factory(**kwargs: Any) -> Emulator:
        emu = Emulator(**kwargs).start()
        started.append(emu)
        return emu

    yield factory
    for emu in started:
        emu.stop()


@pytest.fixture
def cio_emulator(cio_emulator_factory: Callable[..., Emulator]) -> Emulator:
    """A running, empty, in-memory emulator (``.url``, ``.settings()``, ``.env()``, ``.store``)."""
    return cio_emulator_factory()
