"""A local Customer.io-compatible emulator: the four APIs on one loopback port.

``with Emulator() as emu:`` runs it in a background thread; ``cio emulator`` in the
foreground. Requests are validated against the vendored specs, state lives in SQLite, and
handlers for each operation register themselves with :func:`handler`.

Bounds: a body is read up to twice its operation's documented limit (8 MiB when none is
documented) and decompressed no further, so anything larger gets 413 (or the Pipelines API's
200-and-dropped without ``X-Strict-Mode: 1``); JSON nested deeper than 128 levels gets 400. The
request history keeps the newest 10,000 entries within ``history_bytes`` (64 MiB), and a logged
body over ``log_body_bytes`` (512,000) is kept as a ``body_raw`` prefix with
``"body_truncated": true`` and its ``body_size`` (EmulatorConfig fields, ``cio emulator``
options, CIO_EMULATOR_HISTORY_BYTES / CIO_EMULATOR_LOG_BODY_BYTES). Admin endpoints
(``/_emulator/...``) want a loopback client naming the emulator in Host, no foreign Origin and
JSON bodies, or the App API key as a Bearer token. ``profile="production"`` (``cio emulator
--profile production``) plays the live service instead: HTTPS, no admin endpoints, and Track and
Pipelines writes that reach App API reads only after a delay (``emu.settle()`` applies them).
"""

from __future__ import annotations

from cio_toolkit._http_server import ServerLimits

from ._config import EmulatorConfig, EmulatorKeys, EmulatorOptions
from ._faults import Faults, FaultSettings
from ._server import Emulator
from ._validate import SpecValidator, ValidationIssue
from .app import create_app
from .models import Store
from .registry import EmulatorHTTPError, RequestContext, handler, registered_seeds, seed
from .state import EmulatorState

__all__ = [
    "Emulator",
    "EmulatorConfig",
    "EmulatorHTTPError",
    "EmulatorKeys",
    "EmulatorOptions",
    "EmulatorState",
    "FaultSettings",
    "Faults",
    "RequestContext",
    "ServerLimits",
    "SpecValidator",
    "Store",
    "ValidationIssue",
    "create_app",
    "handler",
    "registered_seeds",
    "seed",
]
