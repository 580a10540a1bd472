"""Whether a live scenario may run, and if not, the skip reason naming the variable to set.

Each scenario declares ``@pytest.mark.live(*apis, writes=..., env=(...))``: the APIs whose keys it
needs, whether it writes to the workspace, and any scenario variable (``CIO_LIVE_EMAIL``...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cio_toolkit import ConfigError, Settings

LIVE = "CIO_LIVE"
WRITES = "CIO_LIVE_ALLOW_WRITES"
APIS = ("pipelines", "track", "app")
_API_NAMES = {"pipelines": "Data Pipelines", "track": "Track", "app": "App"}


@dataclass(frozen=True)
class Needs:
    """What one scenario needs: API keys, permission to write, scenario variables."""

    apis: tuple[str, ...] = ()
    writes: bool = False
    env: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.apis) - set(APIS)
        if unknown:
            raise ValueError(f"live marker: unknown API {sorted(unknown)}; use {APIS}")

    def describe(self) -> str:
        """The scenario's needs in words, e.g. "the Track and App APIs, writes"."""
        parts = []
        if self.apis:
            parts.append(f"the {' and '.join(_API_NAMES[a] for a in self.apis)} API{'s' if len(self.apis) > 1 else ''}")
        if self.writes:
            parts.append(f"{WRITES}=1")
        return ", ".join([*parts, *self.env]) or "nothing more"


def skip_reason(needs: Needs, env: Mapping[str, str], settings: Settings | str, *, alone: bool) -> str | None:
    """Why the scenario cannot run now (None: it can), checked in the order a user fixes them.

    ``settings`` is the Settings read from the environment, or why they could not be read.
    """
    if env.get(LIVE) != "1":
        return f"{LIVE} is not 1: set {LIVE}=1 to run the live suite against your workspace (needs {needs.describe()})"
    if not alone:
        return "the live suite runs on its own: make test-live (pytest tests/live), never inside the whole suite"
    missing = _missing_keys(needs.apis, settings)
    if missing:
        return "; ".join(missing)
    if needs.writes and env.get(WRITES) != "1":
        return f"writes to the workspace: set {WRITES}=1 to allow it (everything written is removed at the end)"
    unset = [name for name in needs.env if not env.get(name)]
    if unset:
        return f"needs {', '.join(unset)}: set {'them' if len(unset) > 1 else 'it'} to run this scenario"
    return None


def _missing_keys(apis: Sequence[str], settings: Settings | str) -> list[str]:
    if isinstance(settings, str):
        return [settings]
    out = []
    for api in apis:
        try:
            settings.require(api)
        except ConfigError as exc:
            out.append(str(exc).split(":")[0])  # "the track API needs CIO_SITE_ID and CIO_TRACK_API_KEY"
    return out
