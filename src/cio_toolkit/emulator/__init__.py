"""A local Customer.io-compatible emulator: the four APIs on one loopback port.

``with Emulator() as emu:`` runs it in a background thread; ``cio emulator`` in the
foreground. Requests are validated against the vendored specs, state lives in SQLite, and
handlers for each operation register themselves with :func:`handler`.
"""

from __future__ import annotations

from ._app import EmulatorState, create_app
from ._config import EmulatorConfig, EmulatorKeys
from ._faults import Faults, FaultSettings
from ._registry import EmulatorHTTPError, RequestContext, handler, registered_seeds, seed
from ._server import Emulator
from ._store import Store
from ._validate import SpecValidator, ValidationIssue

__all__ = [
    "Emulator",
    "EmulatorConfig",
    "EmulatorHTTPError",
    "EmulatorKeys",
    "EmulatorState",
    "FaultSettings",
    "Faults",
    "RequestContext",
    "SpecValidator",
    "Store",
    "ValidationIssue",
    "create_app",
    "handler",
    "registered_seeds",
    "seed",
]
