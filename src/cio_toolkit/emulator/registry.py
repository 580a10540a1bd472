"""Handler and seed registries, and the context every handler receives.

A handler module in ``cio_toolkit/emulator/handlers/`` is imported automatically; it only
needs to decorate its functions::

    from cio_toolkit.emulator import RequestContext, handler

    @handler("track_api", "identify")
    async def identify(ctx: RequestContext) -> dict:
        ctx.store.upsert_person(id=ctx.path_params["identifier"], attributes=ctx.body or {})
        return {}

A handler returns a dict or list (200 JSON), ``(status, body)``, a Starlette ``Response``,
or None (204). It raises :class:`EmulatorHTTPError` for an API error such as 404.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import threading
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from starlette.responses import Response

from cio_toolkit.specs import SPEC_NAMES, operations

from ._hosts import own_base_url
from ._validate import ValidationIssue

if TYPE_CHECKING:
    from starlette.requests import Request

    from ._config import EmulatorConfig
    from .models import Store
    from .state import EmulatorState

__all__ = [
    "EmulatorHTTPError",
    "HandlerResult",
    "RequestContext",
    "discover",
    "get_handler",
    "handler",
    "on_app_start",
    "on_serving",
    "registered_handlers",
    "registered_seeds",
    "run_app_start",
    "run_seed",
    "run_serving",
    "seed",
    "serving",
]

HandlerResult: TypeAlias = "Response | dict[str, Any] | list[Any] | tuple[int, Any] | None"
Handler: TypeAlias = Callable[["RequestContext"], Awaitable[Any]]
SeedFunction: TypeAlias = Callable[["Store"], Any]
AppStartHook: TypeAlias = Callable[["EmulatorState"], Any]
ServingHook: TypeAlias = Callable[["EmulatorState"], Any]

_HANDLERS: dict[tuple[str, str], Handler] = {}
_SEEDS: dict[str, SeedFunction] = {}
_APP_START: list[AppStartHook] = []
_SERVING: list[ServingHook] = []
_DISCOVERED = False
_DISCOVER_LOCK = threading.Lock()
logger = logging.getLogger("cio_toolkit.emulator")
# The reporting-webhook management operations exist in both the App API spec and the
# reporting_webhooks spec under the same operationIds; a handler may register under either.
_ALIASES = {"app_api": "reporting_webhooks", "reporting_webhooks": "app_api"}


class EmulatorHTTPError(Exception):
    """Raised by a handler to answer ``status``; the API's error shape for it names ``field`` (see ``_errors``)."""

    def __init__(self, status: int, message: str, *, field: str | None = None,
                 issues: list[ValidationIssue] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.issues = issues or [ValidationIssue(field or "", message)]  # several: one per refused item


@dataclass(slots=True)
class RequestContext:
    """What a handler gets: the parsed request, the store and the emulator's settings."""

    api: str
    operation_id: str
    method: str
    path: str
    path_params: dict[str, str]
    query: Mapping[str, str]
    headers: Mapping[str, str]  # lower-case names
    body: Any  # parsed JSON, or None
    raw_body: bytes  # the body as read, decompressed
    strict: bool  # whether invalid input is answered with an error (Pipelines: X-Strict-Mode: 1)
    store: Store
    config: EmulatorConfig
    state: EmulatorState
    request: Request
    validation_errors: list[str] = field(default_factory=list)  # non-empty only when not enforced
    body_size: int = 0  # decompressed body bytes, which the documented limits apply to
    body_limit: int | None = None  # the operation's documented body limit (see _body.BODY_LIMITS)

    @property
    def base_url(self) -> str:
        """This emulator's base URL for links it hands out, never built from an unchecked Host header."""
        return own_base_url(self.request, self.config)

    def query_list(self, name: str) -> list[str]:
        """Every value of a repeated query parameter."""
        getlist = getattr(self.query, "getlist", None)
        if getlist is not None:
            return list(getlist(name))
        value = self.query.get(name)
        return [] if value is None else [value]


def _known_operations(api: str) -> set[str]:
    return {op["operationId"] for _, _, op in operations(api)}  # type: ignore[arg-type]


def handler(api: str, operation_id: str) -> Callable[[Handler], Handler]:
    """Register an ``async def h(ctx: RequestContext)`` for ``operation_id`` of spec ``api``."""
    if api not in SPEC_NAMES:
        raise ValueError(f"handler api {api!r} is not one of {SPEC_NAMES}")
    if operation_id not in _known_operations(api):
        raise ValueError(f"{api} has no operation {operation_id!r}")

    def register(fn: Handler) -> Handler:
        key = (api, operation_id)
        existing = _HANDLERS.get(key)
        if existing is not None and (existing.__module__, existing.__qualname__) != (
            fn.__module__,
            fn.__qualname__,
        ):
            raise ValueError(
                f"{api}.{operation_id} already handled by {existing.__module__}.{existing.__qualname__}"
            )
        _HANDLERS[key] = fn
        return fn

    return register


def get_handler(api: str, operation_id: str) -> Handler | None:
    """The handler for an operation, or None (the emulator then answers 501)."""
    found = _HANDLERS.get((api, operation_id))
    if found is None and api in _ALIASES:
        found = _HANDLERS.get((_ALIASES[api], operation_id))
    return found


def registered_handlers() -> dict[tuple[str, str], Handler]:
    """A copy of the handler table: ``(api, operation_id) -> function``."""
    return dict(_HANDLERS)


def seed(name: str) -> Callable[[SeedFunction], SeedFunction]:
    """Register ``fn(store)`` as the seed ``name`` (``cio emulator --seed name``)."""

    def register(fn: SeedFunction) -> SeedFunction:
        existing = _SEEDS.get(name)
        if existing is not None and (existing.__module__, existing.__qualname__) != (
            fn.__module__,
            fn.__qualname__,
        ):
            raise ValueError(f"seed {name!r} already registered by {existing.__module__}")
        _SEEDS[name] = fn
        return fn

    return register


def registered_seeds() -> list[str]:
    """Names of the known seeds."""
    discover()
    return sorted(_SEEDS)


def run_seed(name: str, store: Store) -> None:
    """Fill ``store`` with the seed ``name``; an unknown name lists the known ones."""
    discover()
    fn = _SEEDS.get(name)
    if fn is None:
        known = ", ".join(sorted(_SEEDS)) or "none registered"
        raise ValueError(f"unknown seed {name!r}; known seeds: {known}")
    fn(store)


def on_app_start(fn: AppStartHook) -> AppStartHook:
    """Register ``fn(state)`` to run each time :func:`create_app` builds an app (after its seed)."""
    if fn not in _APP_START:
        _APP_START.append(fn)
    return fn


def run_app_start(state: EmulatorState) -> None:
    """Run the :func:`on_app_start` hooks for a freshly built app's state."""
    for fn in list(_APP_START):
        fn(state)


def on_serving(fn: ServingHook) -> ServingHook:
    """Register ``fn(state)`` to run on the server's event loop each time an app starts serving.

    :func:`on_app_start` hooks run before any event loop exists; work that needs the loop (such
    as resuming background tasks after a restart) belongs here.
    """
    if fn not in _SERVING:
        _SERVING.append(fn)
    return fn


def run_serving(state: EmulatorState) -> None:
    """Run the :func:`on_serving` hooks (inside the event loop); a failing hook is logged and skipped."""
    for fn in list(_SERVING):
        try:
            fn(state)
        except Exception:  # one broken hook must not keep the emulator from serving
            logger.exception("emulator serving hook %r failed", fn)


def serving(state: EmulatorState) -> None:
    """Run the :func:`on_serving` hooks once per event loop; call it from inside the loop.

    The app's lifespan startup calls it; the first request calls it too, for servers that run
    without lifespan events.
    """
    if state.enter_loop():
        run_serving(state)


def discover() -> None:
    """Import every module of the ``handlers``, ``services`` and ``seeds`` packages (once per process)."""
    global _DISCOVERED
    if _DISCOVERED:
        return
    with _DISCOVER_LOCK:
        if _DISCOVERED:
            return
        for package_name in (f"{__package__}.handlers", f"{__package__}.services", f"{__package__}.seeds"):
            package = importlib.import_module(package_name)
            for info in pkgutil.iter_modules(package.__path__):
                if not info.name.startswith("_"):
                    importlib.import_module(f"{package_name}.{info.name}")
        _DISCOVERED = True
