"""PipelinesClient and AsyncPipelinesClient: the Data Pipelines (CDP) API.

Every call method is derived from its pure builder in :mod:`.calls` / :mod:`.semantic` by
:func:`_sends`, so each signature is written once, in the builder: the method takes the builder's
keywords (mypy checks them through a ``ParamSpec``) and sends the call it builds. Each operation
is a flow, as in Track (see ``track._flows``), from which both classes get their methods: a
``def``, or an ``async def`` whose validation errors raise at ``await``. Requests are built by the
pure functions of :mod:`._requests`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Concatenate, ParamSpec, TypeVar

from .._base import AsyncAPIClient, SyncAPIClient
from ..track._flows import Flow, Op, api_flow, generate
from . import calls, semantic
from ._async_sender import AsyncSender
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


def _method_signature(of: Callable[..., Any], *, skip: int, returns: str) -> inspect.Signature:
    # What introspection shows for a derived method: self, then the parameters of ``of`` after ``skip``.
    params = list(inspect.signature(of).parameters.values())[skip:]
    self_param = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return inspect.Signature([self_param, *params], return_annotation=returns)


def _delivered(client: PipelinesOptions, call: dict[str, Any]) -> Flow[str]:
    yield single_call_spec(call, strict=client.strict)
    return str(call["messageId"])


def _sends(build: Callable[_P, dict[str, Any]], operation_id: str) -> Op[_P, str]:
    """The operation sending the call ``build`` makes (``operation_id``); the method returns the messageId."""

    def flow(self: PipelinesOptions, /, *args: _P.args, **kwargs: _P.kwargs) -> Flow[str]:
        return (yield from _delivered(self, build(*args, **kwargs)))

    what = (build.__doc__ or build.__name__).splitlines()[0].rstrip(".")
    flow.__name__ = build.__name__
    flow.__doc__ = f"Send {what[0].lower()}{what[1:]} (operation ``{operation_id}``); returns the messageId."
    flow.__signature__ = _method_signature(build, skip=0, returns="Flow[str]")  # type: ignore[attr-defined]
    return api_flow("pipelines_api", operation_id)(flow)


class _PipelinesMixin(PipelinesOptions):
    """The operations of both clients, one per builder; ``track_semantic`` and the helpers send ``track``."""

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

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        generate(cls, issubclass(cls, AsyncAPIClient), lambda client: client)

    @Op
    def send(self, call: Mapping[str, Any]) -> Flow[str]:
        """Send one prebuilt call (from ``pipelines.calls``) to its own endpoint; returns the messageId."""
        return (yield from _delivered(self, normalize_call(call)))

    @api_flow("pipelines_api", "batch")
    def batch(
        self,
        calls: Iterable[Mapping[str, Any]],
        *,
        context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None,
    ) -> Flow[BatchResult]:
        """Send calls through /v1/batch (operation ``batch``), packed into as few requests as fit."""
        result = BatchResult()
        for _, item in plan_batch(calls, context=context, integrations=integrations):
            yield spec_for(item, strict=self.strict)
            record_batch(result, item)
        return result


def _sender_method(factory: Callable[Concatenate[Any, _P], _T]) -> Callable[Concatenate[Any, _P], _T]:
    # The sender's own constructor is the one list of its options; the method passes the client first.
    def sender(self: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        return factory(self, *args, **kwargs)

    name = factory.__name__
    sender.__signature__ = _method_signature(factory, skip=1, returns=name)  # type: ignore[attr-defined]
    sender.__doc__ = f"A background :class:`{name}` using this client's settings (streaming, bounded queue, reports)."
    return sender


class PipelinesClient(_PipelinesMixin, SyncAPIClient):
    """Blocking client for the Data Pipelines API: identify, track, page, screen, group, alias, batch."""

    sender = _sender_method(Sender)


class AsyncPipelinesClient(_PipelinesMixin, AsyncAPIClient):
    """Asyncio client for the Data Pipelines API: identify, track, page, screen, group, alias, batch."""

    sender = _sender_method(AsyncSender)
