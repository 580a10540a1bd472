"""Fixtures of the notebook-helper tests: a demo-seeded emulator of our own and an App client on it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import matplotlib
import pytest

from cio_toolkit.app import AppClient

matplotlib.use("Agg")  # charts render off-screen in tests


@pytest.fixture(scope="module")
def views_emu() -> Iterator[Any]:
    """An emulator loaded with the "demo" workspace, without server-side rate limits (fast tests)."""
    from cio_toolkit.emulator import Emulator

    with Emulator(seed="demo", rate_limits=False) as emu:
        yield emu


@pytest.fixture
def views_app(views_emu: Any) -> Iterator[AppClient]:
    """A blocking App client on the demo emulator (client-side limits off: the emulator has none)."""
    s = views_emu.settings()
    with AppClient(s["app_api_key"], base_url=s["base_url"], rate_limits=False) as client:
        yield client
