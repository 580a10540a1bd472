"""PipelinesClient and AsyncPipelinesClient: the Data Pipelines (CDP) API."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from .._base import AsyncAPIClient, SyncAPIClient
from .._config import API, Settings
from .._transport import RequestSpec
from .._types import UNSET, Unset
from ..specs._registry import operation
from ._batch import PackedBatch, pack_calls
from ._calls import build_call, encode_call

__all__ = ["PipelinesClient", "AsyncPipelinesClient", "BatchResult"]


@dataclass
class BatchResult:
    """What a batch send delivered: messageIds acknowledged, requests and bytes used."""

    message_ids: list[str] = field(default_factory=list)
    requests: int = 0
    bytes_sent: int = 0


# ---------------------------------------------------------------- pure request specs


def _strict_headers(strict: bool) -> dict[str, str]:
    # Without strict mode the API answers 200 and silently drops invalid or oversized data.
    return {"X-Strict-Mode": "1"} if strict else {}


def single_call_spec(call: Mapping[str, Any], *, strict: bool) -> RequestSpec:
    """The request for one identify/track/page/screen/group/alias call (size-checked)."""
    return RequestSpec(
        "POST", f"/{call['type']}", operation_id=str(call["type"]), content=encode_call(call),
        headers=_strict_headers(strict), idempotent=True,  # messageId makes re-sends deduplicate
    )


def batch_spec(batch: PackedBatch, *, strict: bool) -> RequestSpec:
    """The request for one packed /v1/batch body."""
    return RequestSpec("POST", "/batch", operation_id="batch", content=batch.body,
                       headers=_strict_headers(strict), idempotent=True)


def _identify(**kw: Any) -> dict[str, Any]:
    traits = kw.pop("traits", None)
    return build_call("identify", traits=dict(traits) if traits is not None else None, **kw)


def _track(event: str, **kw: Any) -> dict[str, Any]:
    from .._exceptions import ValidationError

    if not isinstance(event, str) or not event:
        raise ValidationError(f"event: must be a non-empty string, got {event!r}", field="event")
    props = kw.pop("properties", None)
    return build_call("track", event=event, properties=dict(props) if props is not None else None, **kw)


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

    @classmethod
    def from_env(cls, **kw: Any) -> Self:
        """Build from CIO_* environment variables (and .env)."""
        return cls(settings=Settings.from_env(), **kw)


class PipelinesClient(_PipelinesMixin, SyncAPIClient):
    """Blocking client for the Data Pipelines API (identify, track, batch)."""

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
        message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> str:
        """Identify a person and set traits (operation ``identify``); returns the messageId."""
        call = _identify(user_id=user_id, anonymous_id=anonymous_id, traits=traits, context=context,
                         integrations=integrations, timestamp=timestamp, message_id=message_id,
                         idempotency_key=idempotency_key)
        self._send(single_call_spec(call, strict=self.strict))
        return str(call["messageId"])

    @operation("pipelines_api", "track")
    def track(
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
    ) -> str:
        """Record an event a person performed (operation ``track``); returns the messageId."""
        call = _track(event, user_id=user_id, anonymous_id=anonymous_id, properties=properties,
                      context=context, integrations=integrations, timestamp=timestamp,
                      message_id=message_id, idempotency_key=idempotency_key)
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
        for packed in pack_calls(calls, context=context, integrations=integrations):
            self._send(batch_spec(packed, strict=self.strict))
            result.message_ids.extend(packed.message_ids)
            result.requests += 1
            result.bytes_sent += packed.size
        return result


class AsyncPipelinesClient(_PipelinesMixin, AsyncAPIClient):
    """Asyncio client for the Data Pipelines API (identify, track, batch)."""

    @operation("pipelines_api", "identify")
    async def identify(
        self,
        *,
        user_id: str | Unset | None = UNSET,
        anonymous_id: str | Unset | None = UNSET,
        traits: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None,
        timestamp: Any = None,
        message_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> str:
        """Identify a person and set traits (operation ``identify``); returns the messageId."""
        call = _identify(user_id=user_id, anonymous_id=anonymous_id, traits=traits, context=context,
                         integrations=integrations, timestamp=timestamp, message_id=message_id,
                         idempotency_key=idempotency_key)
        await self._send(single_call_spec(call, strict=self.strict))
        return str(call["messageId"])

    @operation("pipelines_api", "track")
    async def track(
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
    ) -> str:
        """Record an event a person performed (operation ``track``); returns the messageId."""
        call = _track(event, user_id=user_id, anonymous_id=anonymous_id, properties=properties,
                      context=context, integrations=integrations, timestamp=timestamp,
                      message_id=message_id, idempotency_key=idempotency_key)
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
        for packed in pack_calls(calls, context=context, integrations=integrations):
            await self._send(batch_spec(packed, strict=self.strict))
            result.message_ids.extend(packed.message_ids)
            result.requests += 1
            result.bytes_sent += packed.size
        return result
