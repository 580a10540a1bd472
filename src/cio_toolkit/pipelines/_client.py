"""PipelinesClient and AsyncPipelinesClient: the Data Pipelines (CDP) API.

Every call method is derived from its pure builder in :mod:`.calls` / :mod:`.semantic` by
:func:`_sends`, so each signature is written once, in the builder: the method takes the builder's
keywords (mypy checks them through a ``ParamSpec``) and hands the built call to ``_deliver``,
the only part that differs between the two classes (blocking send, or a coroutine to await).
The async class runs each method inside an ``async def`` (:func:`_awaiting`), so a validation
error raises at ``await``, as in Track and App. Requests are built by the pure functions of
:mod:`._requests`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from .._base import AsyncAPIClient, SyncAPIClient
from ..specs._registry import operation
from . import calls, semantic
from ._connection import PipelinesOptions
from ._requests import (
    BatchResult,
    batch_spec,
    normalize_call,
    plan_batch,
    record_batch,
    single_call_spec,
    spec_for,
)
from ._sender import Sender

__all__ = ["AsyncPipelinesClient", "BatchResult", "PipelinesClient", "batch_spec", "normalize_call", "plan_batch",
           "single_call_spec"]

_P = ParamSpec("_P")
_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)
_SENDS = "__cio_sends__"  # marks the methods the async client runs as coroutines


class _Delivers(Protocol[_T_co]):
    """A client that sends a built call: ``str`` (the messageId) when sync, an awaitable of it when async."""

    def _deliver(self, call: dict[str, Any]) -> _T_co: ...


def _awaiting(method: Callable[_P, Awaitable[_T]]) -> Callable[_P, Coroutine[Any, Any, _T]]:
    """``method`` as an ``async def``: the call is built when awaited, so its errors raise there."""

    @functools.wraps(method)
    async def run(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        return await method(*args, **kwargs)

    return run


def _as_method(method: Callable[..., Any], of: Callable[..., Any], *, skip: int, returns: str, doc: str) -> None:
    # What introspection shows: self, then the parameters of ``of`` after its first ``skip``.
    params = list(inspect.signature(of).parameters.values())[skip:]
    method.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD), *params], return_annotation=returns)
    method.__doc__ = doc


def _sends(
    build: Callable[_P, dict[str, Any]], operation_id: str
) -> Callable[Concatenate[_Delivers[_T], _P], _T]:
    """A client method sending the call ``build`` makes (operation ``operation_id``); returns the messageId."""

    def method(self: _Delivers[_T], /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        return self._deliver(build(*args, **kwargs))

    method.__name__ = method.__qualname__ = build.__name__
    what = (build.__doc__ or build.__name__).splitlines()[0].rstrip(".")
    _as_method(method, build, skip=0, returns="str",
               doc=f"Send {what[0].lower()}{what[1:]} (operation ``{operation_id}``); returns the messageId.")
    setattr(method, _SENDS, True)
    return operation("pipelines_api", operation_id)(method)


class _CallMethods:
    """The call methods of both clients, one per builder; ``track_semantic`` and the helpers send ``track``."""

    identify = _sends(calls.identify, "identify")
    track = _sends(calls.track, "track")
    page = _sends(calls.page, "page")
    screen = _sends(calls.screen, "screen")
    group = _sends(calls.group, "group")
    alias = _sends(calls.alias, "alias")
    track_semantic = _sends(semantic.semantic_call, "track")
    delete_person = _sends(semantic.delete_person, "track")
    suppress_person = _sends(semantic.suppress_person, "track")
    unsuppress_person = _sends(semantic.unsuppress_person, "track")
    add_device = _sends(semantic.add_device, "track")
    delete_device = _sends(semantic.delete_device, "track")
    delete_object = _sends(semantic.delete_object, "track")
    delete_relationship = _sends(semantic.delete_relationship, "track")
    report_delivery_event = _sends(semantic.report_delivery_event, "track")

    def send(self: _Delivers[_T], call: Mapping[str, Any]) -> _T:
        """Send one prebuilt call (from ``pipelines.calls``) to its own endpoint; returns the messageId."""
        return self._deliver(normalize_call(call))

    setattr(send, _SENDS, True)

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if inspect.iscoroutinefunction(getattr(cls, "_deliver", None)):
            for name, member in vars(_CallMethods).items():
                if getattr(member, _SENDS, False):
                    setattr(cls, name, _awaiting(member))


def _sender_method(factory: Callable[Concatenate[Any, _P], _T]) -> Callable[Concatenate[Any, _P], _T]:
    # The Sender's own constructor is the one list of its options; the method passes the client first.
    def sender(self: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        return factory(self, *args, **kwargs)

    _as_method(sender, factory, skip=1, returns="Sender",
               doc="A background :class:`Sender` using this client's settings (streaming, bounded queue, reports).")
    return sender


class PipelinesClient(PipelinesOptions, _CallMethods, SyncAPIClient):
    """Blocking client for the Data Pipelines API: identify, track, page, screen, group, alias, batch."""

    def _deliver(self, call: dict[str, Any]) -> str:
        self.request(single_call_spec(call, strict=self.strict))
        return str(call["messageId"])

    @operation("pipelines_api", "batch")
    def batch(
        self,
        calls: Iterable[Mapping[str, Any]],
        *,
        context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None,
    ) -> BatchResult:
        """Send calls through /v1/batch (operation ``batch``), packed into as few requests as fit."""
        result = BatchResult()
        for _, item in plan_batch(calls, context=context, integrations=integrations):
            self.request(spec_for(item, strict=self.strict))
            record_batch(result, item)
        return result

    sender = _sender_method(Sender)


class AsyncPipelinesClient(PipelinesOptions, _CallMethods, AsyncAPIClient):
    """Asyncio client for the Data Pipelines API: identify, track, page, screen, group, alias, batch."""

    async def _deliver(self, call: dict[str, Any]) -> str:
        await self.request(single_call_spec(call, strict=self.strict))
        return str(call["messageId"])

    @operation("pipelines_api", "batch")
    async def batch(
        self,
        calls: Iterable[Mapping[str, Any]],
        *,
        context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None,
    ) -> BatchResult:
        """Send calls through /v1/batch (operation ``batch``), packed into as few requests as fit."""
        result = BatchResult()
        for _, item in plan_batch(calls, context=context, integrations=integrations):
            await self.request(spec_for(item, strict=self.strict))
            record_batch(result, item)
        return result
