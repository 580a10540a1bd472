"""PipelinesClient and AsyncPipelinesClient: the Data Pipelines (CDP) API.

Both classes share one set of call methods (:class:`_CallMethods`): each builds its call with the
pure builders of :mod:`.calls` / :mod:`.semantic` and hands it to ``_deliver``, which is the only
part that differs (blocking send, or a coroutine to await). The async class runs each of them
inside an ``async def`` (:func:`_awaiting`), so a validation error raises at ``await``, as in
Track and App. Requests are built by the pure functions of :mod:`._requests`.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from typing import Any, Generic, Literal, ParamSpec, TypeVar

from .._base import AsyncAPIClient, SyncAPIClient
from .._types import UNSET, Unset
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
from ._sender import OnDrop, OnFull, Sender

__all__ = ["AsyncPipelinesClient", "BatchResult", "PipelinesClient", "batch_spec", "normalize_call", "plan_batch",
           "single_call_spec"]

_R = TypeVar("_R")
_P = ParamSpec("_P")
_T = TypeVar("_T")


def _awaiting(method: Callable[_P, Awaitable[_T]]) -> Callable[_P, Coroutine[Any, Any, _T]]:
    """``method`` as an ``async def``: the call is built when awaited, so its errors raise there."""

    @functools.wraps(method)
    async def run(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        return await method(*args, **kwargs)

    return run


# ---------------------------------------------------------------- shared methods


class _CallMethods(Generic[_R]):
    """The call methods of both clients; ``_R`` is ``str`` (sync) or ``Awaitable[str]`` (async)."""

    strict: bool

    def _deliver(self, call: dict[str, Any]) -> _R:
        raise NotImplementedError

    @operation("pipelines_api", "identify")
    def identify(
        self,
        *,
        user_id: str | Unset | None = UNSET,
        anonymous_id: str | Unset | None = UNSET,
        traits: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None,
        timestamp: Any = None,
        original_timestamp: Any = None,
        sent_at: Any = None,
        message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Identify a person and set traits (operation ``identify``); returns the messageId."""
        return self._deliver(calls.identify(
            user_id=user_id, anonymous_id=anonymous_id, traits=traits, context=context, integrations=integrations,
            timestamp=timestamp, original_timestamp=original_timestamp, sent_at=sent_at, message_id=message_id,
            idempotency_key=idempotency_key,
        ))

    @operation("pipelines_api", "track")
    def track(
        self,
        *,
        event: str,
        user_id: str | Unset | None = UNSET,
        anonymous_id: str | Unset | None = UNSET,
        properties: Mapping[str, Any] | None = None,
        group_id: str | None = None,
        context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None,
        timestamp: Any = None,
        original_timestamp: Any = None,
        sent_at: Any = None,
        message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Record an event a person performed (operation ``track``); returns the messageId."""
        return self._deliver(calls.track(
            event=event, user_id=user_id, anonymous_id=anonymous_id, properties=properties, group_id=group_id,
            context=context, integrations=integrations, timestamp=timestamp, original_timestamp=original_timestamp,
            sent_at=sent_at, message_id=message_id, idempotency_key=idempotency_key,
        ))

    @operation("pipelines_api", "page")
    def page(
        self,
        *,
        name: str | None = None,
        user_id: str | Unset | None = UNSET,
        anonymous_id: str | Unset | None = UNSET,
        properties: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None,
        timestamp: Any = None,
        original_timestamp: Any = None,
        sent_at: Any = None,
        message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Record a web page view (operation ``page``); returns the messageId."""
        return self._deliver(calls.page(
            name=name, user_id=user_id, anonymous_id=anonymous_id, properties=properties, context=context,
            integrations=integrations, timestamp=timestamp, original_timestamp=original_timestamp, sent_at=sent_at,
            message_id=message_id, idempotency_key=idempotency_key,
        ))

    @operation("pipelines_api", "screen")
    def screen(
        self,
        *,
        name: str | None = None,
        user_id: str | Unset | None = UNSET,
        anonymous_id: str | Unset | None = UNSET,
        properties: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None,
        timestamp: Any = None,
        original_timestamp: Any = None,
        sent_at: Any = None,
        message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Record a mobile screen view (operation ``screen``); returns the messageId."""
        return self._deliver(calls.screen(
            name=name, user_id=user_id, anonymous_id=anonymous_id, properties=properties, context=context,
            integrations=integrations, timestamp=timestamp, original_timestamp=original_timestamp, sent_at=sent_at,
            message_id=message_id, idempotency_key=idempotency_key,
        ))

    @operation("pipelines_api", "group")
    def group(
        self,
        *,
        group_id: str,
        user_id: str | Unset | None = UNSET,
        anonymous_id: str | Unset | None = UNSET,
        traits: Mapping[str, Any] | None = None,
        object_type_id: str | int | None = None,
        relationship_attributes: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None,
        timestamp: Any = None,
        original_timestamp: Any = None,
        sent_at: Any = None,
        message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Create or update an object and relate the person to it (operation ``group``); returns the messageId."""
        return self._deliver(calls.group(
            group_id=group_id, user_id=user_id, anonymous_id=anonymous_id, traits=traits,
            object_type_id=object_type_id, relationship_attributes=relationship_attributes, context=context,
            integrations=integrations, timestamp=timestamp, original_timestamp=original_timestamp, sent_at=sent_at,
            message_id=message_id, idempotency_key=idempotency_key,
        ))

    @operation("pipelines_api", "alias")
    def alias(
        self,
        *,
        previous_id: str,
        user_id: str,
        context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None,
        timestamp: Any = None,
        original_timestamp: Any = None,
        sent_at: Any = None,
        message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Merge the profile ``previous_id`` into ``user_id`` (operation ``alias``); returns the messageId."""
        return self._deliver(calls.alias(
            previous_id=previous_id, user_id=user_id, context=context, integrations=integrations,
            timestamp=timestamp, original_timestamp=original_timestamp, sent_at=sent_at, message_id=message_id,
            idempotency_key=idempotency_key,
        ))

    def send(self, call: Mapping[str, Any]) -> _R:
        """Send one prebuilt call (from ``pipelines.calls``) to its own endpoint; returns the messageId."""
        return self._deliver(normalize_call(call))

    # --- semantic events (all sent through the ``track`` operation) -------------------------

    @operation("pipelines_api", "track")
    def track_semantic(
        self,
        *,
        event: str,
        user_id: str | Unset | None = UNSET,
        anonymous_id: str | Unset | None = UNSET,
        properties: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None,
        timestamp: Any = None,
        message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Send any semantic event, checked against the spec's definition (operation ``track``)."""
        return self._deliver(semantic.semantic_call(
            event=event, user_id=user_id, anonymous_id=anonymous_id, properties=properties, context=context,
            integrations=integrations, timestamp=timestamp, message_id=message_id, idempotency_key=idempotency_key,
        ))

    @operation("pipelines_api", "track")
    def delete_person(
        self, *, user_id: str, timestamp: Any = None, message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Delete a person with the ``User Deleted`` event (operation ``track``)."""
        return self._deliver(semantic.delete_person(user_id=user_id, timestamp=timestamp, message_id=message_id,
                                                    idempotency_key=idempotency_key))

    @operation("pipelines_api", "track")
    def suppress_person(
        self, *, user_id: str, timestamp: Any = None, message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Delete and block a person with the ``User Suppressed`` event (operation ``track``)."""
        return self._deliver(semantic.suppress_person(user_id=user_id, timestamp=timestamp, message_id=message_id,
                                                      idempotency_key=idempotency_key))

    @operation("pipelines_api", "track")
    def unsuppress_person(
        self, *, user_id: str, timestamp: Any = None, message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Lift a suppression with the ``User Unsuppressed`` event (operation ``track``)."""
        return self._deliver(semantic.unsuppress_person(user_id=user_id, timestamp=timestamp,
                                                        message_id=message_id, idempotency_key=idempotency_key))

    @operation("pipelines_api", "track")
    def add_device(
        self,
        *,
        user_id: str,
        token: str,
        type: Literal["ios", "android"] | None = None,  # the spec's field name
        properties: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        timestamp: Any = None,
        message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Add or update a device with the ``Device Created or Updated`` event (operation ``track``)."""
        return self._deliver(semantic.add_device(
            user_id=user_id, token=token, type=type, properties=properties, context=context, timestamp=timestamp,
            message_id=message_id, idempotency_key=idempotency_key,
        ))

    @operation("pipelines_api", "track")
    def delete_device(
        self,
        *,
        user_id: str,
        token: str,
        type: Literal["ios", "android"] | None = None,  # the spec's field name
        timestamp: Any = None,
        message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Remove a device with the ``Device Deleted`` event (operation ``track``)."""
        return self._deliver(semantic.delete_device(user_id=user_id, token=token, type=type, timestamp=timestamp,
                                                    message_id=message_id, idempotency_key=idempotency_key))

    @operation("pipelines_api", "track")
    def delete_object(
        self,
        *,
        object_id: str,
        object_type_id: str | int = 1,
        anonymous_id: str = semantic.OBJECT_DELETED_PERFORMER,
        timestamp: Any = None,
        message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Delete an object and its relationships with the ``Object Deleted`` event (operation ``track``)."""
        return self._deliver(semantic.delete_object(
            object_id=object_id, object_type_id=object_type_id, anonymous_id=anonymous_id, timestamp=timestamp,
            message_id=message_id, idempotency_key=idempotency_key,
        ))

    @operation("pipelines_api", "track")
    def delete_relationship(
        self,
        *,
        user_id: str,
        object_id: str,
        object_type_id: str | int = 1,
        timestamp: Any = None,
        message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Remove a person's relationship with the ``Relationship Deleted`` event (operation ``track``)."""
        return self._deliver(semantic.delete_relationship(
            user_id=user_id, object_id=object_id, object_type_id=object_type_id, timestamp=timestamp,
            message_id=message_id, idempotency_key=idempotency_key,
        ))

    @operation("pipelines_api", "track")
    def report_delivery_event(
        self,
        *,
        delivery_id: str,
        metric: Literal["delivered", "clicked", "converted", "opened"],
        user_id: str | Unset | None = UNSET,
        anonymous_id: str | Unset | None = UNSET,
        recipient: str | None = None,
        reason: str | None = None,
        action_value: str | None = None,
        href: str | None = None,
        timestamp: Any = None,
        message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> _R:
        """Report a message metric with the ``Report Delivery Event`` event (operation ``track``)."""
        return self._deliver(semantic.report_delivery_event(
            delivery_id=delivery_id, metric=metric, user_id=user_id, anonymous_id=anonymous_id,
            recipient=recipient, reason=reason, action_value=action_value, href=href, timestamp=timestamp,
            message_id=message_id, idempotency_key=idempotency_key,
        ))


class PipelinesClient(PipelinesOptions, _CallMethods[str], SyncAPIClient):
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

    def sender(
        self,
        *,
        max_queue: int = 10_000,
        on_full: OnFull = "block",
        block_timeout: float = 10.0,
        on_drop: OnDrop | None = None,
        in_flight: int = 4,
        linger: float = 0.5,
        context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None,
        atexit_timeout: float = 10.0,
    ) -> Sender:
        """A background :class:`Sender` using this client's settings (streaming, bounded queue, reports)."""
        return Sender(
            settings=self.settings, strict=self.strict, max_queue=max_queue, on_full=on_full,
            block_timeout=block_timeout, on_drop=on_drop, in_flight=in_flight, linger=linger, context=context,
            integrations=integrations, atexit_timeout=atexit_timeout, **self._client_kw,
        )


class AsyncPipelinesClient(PipelinesOptions, _CallMethods[Awaitable[str]], AsyncAPIClient):
    """Asyncio client for the Data Pipelines API: identify, track, page, screen, group, alias, batch."""

    async def _deliver(self, call: dict[str, Any]) -> str:
        await self.request(single_call_spec(call, strict=self.strict))
        return str(call["messageId"])

    identify = _awaiting(_CallMethods.identify)
    track = _awaiting(_CallMethods.track)
    page = _awaiting(_CallMethods.page)
    screen = _awaiting(_CallMethods.screen)
    group = _awaiting(_CallMethods.group)
    alias = _awaiting(_CallMethods.alias)
    send = _awaiting(_CallMethods.send)
    track_semantic = _awaiting(_CallMethods.track_semantic)
    delete_person = _awaiting(_CallMethods.delete_person)
    suppress_person = _awaiting(_CallMethods.suppress_person)
    unsuppress_person = _awaiting(_CallMethods.unsuppress_person)
    add_device = _awaiting(_CallMethods.add_device)
    delete_device = _awaiting(_CallMethods.delete_device)
    delete_object = _awaiting(_CallMethods.delete_object)
    delete_relationship = _awaiting(_CallMethods.delete_relationship)
    report_delivery_event = _awaiting(_CallMethods.report_delivery_event)

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
