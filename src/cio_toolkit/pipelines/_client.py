"""PipelinesClient and AsyncPipelinesClient: the Data Pipelines (CDP) API.

Both classes share one set of call methods (:class:`_CallMethods`): each builds its call with the
pure builders of :mod:`.calls` / :mod:`.semantic` and hands it to ``_deliver``, which is the only
part that differs (blocking send, or a coroutine to await). ``batch`` plans its requests with the
pure :func:`plan_batch` in both classes.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from .. import _constants as C
from .._base import AsyncAPIClient, SyncAPIClient
from .._config import API, Settings
from .._exceptions import ValidationError
from .._transport import RequestSpec
from .._types import UNSET, Unset
from ..specs._registry import operation
from . import calls, semantic
from ._batch import BatchPacker, PackedBatch
from ._calls import BATCHABLE_TYPES, CALL_TYPES, encode_call

if TYPE_CHECKING:
    import pandas as pd

    from ._sender import OnDrop, OnFull, Sender

__all__ = ["AsyncPipelinesClient", "BatchResult", "PipelinesClient", "plan_batch"]

_R = TypeVar("_R")


@dataclass(repr=False)
class BatchResult:
    """What a batch send delivered: messageIds acknowledged, requests and bytes used."""

    message_ids: list[str] = field(default_factory=list)
    requests: int = 0
    bytes_sent: int = 0
    batch_sizes: list[int] = field(default_factory=list)  # body bytes of each /v1/batch request

    @property
    def calls(self) -> int:
        """How many calls were delivered."""
        return len(self.message_ids)

    def __repr__(self) -> str:
        return f"BatchResult(calls={self.calls}, requests={self.requests}, bytes_sent={self.bytes_sent})"

    def to_pandas(self) -> pd.DataFrame:
        """One row per /v1/batch request: its size in bytes and its share of the 500 KB limit."""
        import pandas as pd

        return pd.DataFrame({
            "request": range(1, len(self.batch_sizes) + 1),
            "bytes": self.batch_sizes,
            "share_of_limit": [size / C.PIPELINES_MAX_BATCH_BYTES for size in self.batch_sizes],
        })


# ---------------------------------------------------------------- pure request specs


def _strict_headers(strict: bool) -> dict[str, str]:
    # Without strict mode the API answers 200 and silently drops invalid or oversized data.
    return {"X-Strict-Mode": "1"} if strict else {}


def single_call_spec(call: Mapping[str, Any], *, strict: bool) -> RequestSpec:
    """The request for one identify/track/page/screen/group/alias call (size- and limit-checked)."""
    return RequestSpec(
        "POST", f"/{call['type']}", operation_id=str(call["type"]), content=encode_call(call),
        headers=_strict_headers(strict), idempotent=True,  # messageId makes re-sends deduplicate
    )


def batch_spec(batch: PackedBatch, *, strict: bool) -> RequestSpec:
    """The request for one packed /v1/batch body."""
    return RequestSpec("POST", "/batch", operation_id="batch", content=batch.body,
                       headers=_strict_headers(strict), idempotent=True)


def normalize_call(call: Any) -> dict[str, Any]:
    """Check a prebuilt call (from :mod:`.calls` or by hand) and give it a messageId if it has none."""
    if not isinstance(call, Mapping):
        raise ValidationError(f"call: must be a mapping built by pipelines.calls, got {type(call).__name__}",
                              field="call")
    type_ = call.get("type")
    if type_ not in CALL_TYPES:
        raise ValidationError(f"call.type: {type_!r} is not one of {CALL_TYPES}", field="type", limit=CALL_TYPES)
    if call.get("messageId"):
        return call if isinstance(call, dict) else dict(call)
    return {**call, "messageId": str(uuid.uuid4())}


def plan_batch(
    items: Iterable[Mapping[str, Any]],
    *,
    context: Mapping[str, Any] | None = None,
    integrations: Mapping[str, Any] | None = None,
    max_batch_bytes: int = C.PIPELINES_MAX_BATCH_BYTES,
) -> Iterator[tuple[Literal["batch", "single"], PackedBatch | dict[str, Any]]]:
    """Plan the requests for ``items`` in order: packed /v1/batch bodies, and alias calls on their own.

    The spec's batch items are identify, track, page, screen and group, so an alias is sent
    through /v1/alias after the batch before it, which keeps the order of effects. Every call is
    checked (32 KB and the per-field limits of ``encode_call``) before a request is planned for it.
    """
    packer = BatchPacker(context=context, integrations=integrations, max_batch_bytes=max_batch_bytes)
    for raw in items:
        call = normalize_call(raw)
        if call["type"] in BATCHABLE_TYPES:
            if (done := packer.add(call)) is not None:
                yield "batch", done
            continue
        encode_call(call)  # an oversized alias fails here, before anything after it is sent
        if (done := packer.flush()) is not None:
            yield "batch", done
        yield "single", call
    if (last := packer.flush()) is not None:
        yield "batch", last


def _record(result: BatchResult, kind: str, item: PackedBatch | dict[str, Any]) -> None:
    result.requests += 1
    if isinstance(item, PackedBatch):
        result.message_ids.extend(item.message_ids)
        result.bytes_sent += item.size
        result.batch_sizes.append(item.size)
    else:
        result.message_ids.append(str(item["messageId"]))
        result.bytes_sent += len(encode_call(item))


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


class _PipelinesMixin:
    api: API = "pipelines"

    def __init__(
        self,
        api_key: str | None = None,
        *,
        region: str | None = None,
        base_url: str | None = None,
        settings: Settings | None = None,
        strict: bool = True,
        **kw: Any,
    ) -> None:
        base = settings or Settings()
        settings = base.with_overrides(pipelines_api_key=api_key, region=region, base_url=base_url)
        super().__init__(settings, **kw)  # type: ignore[call-arg]
        self.strict = strict
        self._client_kw = kw

    def _constructor_kw(self) -> dict[str, Any]:
        return {"strict": self.strict}


class PipelinesClient(_PipelinesMixin, _CallMethods[str], SyncAPIClient):
    """Blocking client for the Data Pipelines API: identify, track, page, screen, group, alias, batch."""

    def _deliver(self, call: dict[str, Any]) -> str:
        self._send(single_call_spec(call, strict=self.strict))
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
        for kind, item in plan_batch(calls, context=context, integrations=integrations):
            if isinstance(item, PackedBatch):
                self._send(batch_spec(item, strict=self.strict))
            else:
                self._send(single_call_spec(item, strict=self.strict))
            _record(result, kind, item)
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
        from ._sender import Sender

        return Sender(
            settings=self.settings, strict=self.strict, max_queue=max_queue, on_full=on_full,
            block_timeout=block_timeout, on_drop=on_drop, in_flight=in_flight, linger=linger, context=context,
            integrations=integrations, atexit_timeout=atexit_timeout, **self._client_kw,
        )


class AsyncPipelinesClient(_PipelinesMixin, _CallMethods[Awaitable[str]], AsyncAPIClient):
    """Asyncio client for the Data Pipelines API: identify, track, page, screen, group, alias, batch."""

    def _deliver(self, call: dict[str, Any]) -> Awaitable[str]:
        return self._deliver_async(call)

    async def _deliver_async(self, call: dict[str, Any]) -> str:
        await self._send(single_call_spec(call, strict=self.strict))
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
        for kind, item in plan_batch(calls, context=context, integrations=integrations):
            if isinstance(item, PackedBatch):
                await self._send(batch_spec(item, strict=self.strict))
            else:
                await self._send(single_call_spec(item, strict=self.strict))
            _record(result, kind, item)
        return result
