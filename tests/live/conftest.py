"""The live suite: scenarios against the workspace your CIO_* variables name (``make test-live``).

Nothing here runs unless ``CIO_LIVE=1``; a scenario whose keys are missing skips naming the
variables, and one that writes runs only with ``CIO_LIVE_ALLOW_WRITES=1`` (README: "Before you
point it at your workspace"). Every scenario talks only to the public APIs through cio_toolkit's
clients, configured from the environment as a user would. Everything a run creates carries its
run id and is written to its ledger first; the session removes it all at the end, after a
failure too, and ``cio live cleanup --run ID`` removes what an interrupted run left.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cio_toolkit import ConfigError, CustomerIO, Settings
from cio_toolkit.live import DEFAULT_DIR, Ledger, cleanup, new_run_id
from tests.conftest import CALLER_ENV

from ._gate import Needs, skip_reason
from ._live import Live

_HERE = Path(__file__).resolve().parent
_RUN = pytest.StashKey[str]()
_ALONE = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "live(*apis, writes=False, env=()): a live scenario and what it needs")
    config.stash[_RUN] = new_run_id()


def pytest_report_header(config: pytest.Config) -> str:
    env = config.stash.get(CALLER_ENV, {})
    return f"live run id: {config.stash[_RUN]} (ledger {Path(env.get('CIO_LIVE_DIR') or DEFAULT_DIR)})"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mine = [i for i in items if _HERE in Path(str(i.path)).resolve().parents]
    config.stash[_ALONE] = len(mine) == len(items)
    for item in mine:
        if item.get_closest_marker("live") is None:
            raise pytest.UsageError(f"{item.nodeid}: every live scenario needs @pytest.mark.live(...)")


def _settings(env: dict[str, str]) -> Settings | str:
    try:
        return Settings.from_env(env=env)
    except ConfigError as exc:
        return str(exc)


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("live")
    if marker is None:
        return
    env = item.config.stash[CALLER_ENV]
    needs = Needs(tuple(marker.args), bool(marker.kwargs.get("writes", False)), tuple(marker.kwargs.get("env", ())))
    reason = skip_reason(needs, env, _settings(env), alone=item.config.stash.get(_ALONE, False))
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def live(request: pytest.FixtureRequest) -> Iterator[Live]:
    """The session's client, run id and ledger; at the end everything recorded is removed."""
    env = request.config.stash[CALLER_ENV]
    settings = Settings.from_env(env=env)
    ledger = Ledger(request.config.stash[_RUN], env.get("CIO_LIVE_DIR") or DEFAULT_DIR)
    timeout, budget = float(env.get("CIO_LIVE_TIMEOUT") or 60), float(env.get("CIO_LIVE_BUDGET") or 900)
    with CustomerIO(settings=settings) as cio:
        _say(request, f"live run {ledger.run_id} against {cio.target}; ledger {ledger.path}")
        yield Live(cio, ledger, env, timeout=timeout, budget=budget)
        if len(ledger):
            report = cleanup(cio, ledger.run_id, directory=ledger.path.parent)
            _say(request, str(report))
            if not report.ok:
                pytest.fail(f"cleanup left {len(report.failed)} things: run cio live cleanup --run {ledger.run_id}")


def _say(request: pytest.FixtureRequest, text: str) -> None:
    """Show ``text`` on the terminal now, past output capturing (the run id and the cleanup matter)."""
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        for line in text.splitlines():
            reporter.write_line(line)
