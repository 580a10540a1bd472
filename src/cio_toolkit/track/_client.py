"""TrackClient and AsyncTrackClient: the Track API (v1 and v2), every operation of track_api.json.

Resources hang off the client: ``customers`` (identify, delete, devices, suppress, merge,
unsubscribe), ``events`` (person and anonymous events, delivery metrics), ``segments`` (manual
segment membership), ``forms`` and ``v2`` (entity and batch); ``region()`` asks which region the
credentials belong to. Requests are built and answers parsed by the pure functions in
``_requests``; the classes here only send.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any, Literal, Self

from .._base import AsyncAPIClient, SyncAPIClient
from .._config import API, Settings
from .._exceptions import APIError
from .._types import UNSET, Unset
from ..specs._registry import operation
from . import _requests as R
from ._requests import BatchResult, Region

__all__ = [
    "AsyncTrackClient",
    "TrackClient",
    "Customers",
    "AsyncCustomers",
    "Events",
    "AsyncEvents",
    "Segments",
    "AsyncSegments",
    "Forms",
    "AsyncForms",
    "V2",
    "AsyncV2",
]

Identifier = str | int | None
EventType = Literal["event", "page", "screen"]


class _Resource:
    def __init__(self, client: Any) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


# ================================================================ sync resources


class Customers(_Resource):
    """People by id, email or cio_id: ``cio.track.customers.identify(id="u1", attributes={...})``."""

    @operation("track_api", "identify")
    def identify(
        self,
        *,
        id: Identifier = None,
        email: str | None = None,
        cio_id: str | None = None,
        attributes: Mapping[str, Any] | None = None,
        anonymous_id: str | Unset | None = UNSET,
        created_at: Any = None,
        update: bool | Unset = UNSET,
        timestamp: Any = None,
        unsubscribed: bool | Unset = UNSET,
        cio_relationships: Mapping[str, Any] | None = None,
        cio_subscription_preferences: Mapping[str, Any] | None = None,
    ) -> None:
        """Add or update a person (operation ``identify``): the path uses cio_id, else id, else email; ``None`` values remove attributes."""
        self._client._send(R.identify_spec(
            id=id, email=email, cio_id=cio_id, attributes=attributes, anonymous_id=anonymous_id,
            created_at=created_at, update=update, timestamp=timestamp, unsubscribed=unsubscribed,
            cio_relationships=cio_relationships, cio_subscription_preferences=cio_subscription_preferences,
        ))

    @operation("track_api", "delete")
    def delete(self, *, id: Identifier = None, email: str | None = None, cio_id: str | None = None) -> None:
        """Delete a person (operation ``delete``)."""
        self._client._send(R.delete_spec(id=id, email=email, cio_id=cio_id))

    @operation("track_api", "add_device")
    def add_device(
        self,
        *,
        device_id: str,
        platform: Literal["ios", "android"],
        id: Identifier = None,
        email: str | None = None,
        cio_id: str | None = None,
        last_used: Any = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        """Add or update a person's device (operation ``add_device``); ``device_id`` is the device token."""
        self._client._send(R.add_device_spec(id=id, email=email, cio_id=cio_id, device_id=device_id,
                                             platform=platform, last_used=last_used, attributes=attributes))

    @operation("track_api", "delete_device")
    def delete_device(
        self, *, device_id: str, id: Identifier = None, email: str | None = None, cio_id: str | None = None
    ) -> None:
        """Remove a device from a person (operation ``delete_device``)."""
        self._client._send(R.delete_device_spec(id=id, email=email, cio_id=cio_id, device_id=device_id))

    @operation("track_api", "suppress")
    def suppress(self, *, id: Identifier = None, email: str | None = None, cio_id: str | None = None) -> None:
        """Delete a person and block their identifier from being re-added (operation ``suppress``)."""
        self._client._send(R.suppress_spec(id=id, email=email, cio_id=cio_id, unsuppress=False))

    @operation("track_api", "unsuppress")
    def unsuppress(self, *, id: Identifier = None, email: str | None = None, cio_id: str | None = None) -> None:
        """Make a suppressed identifier usable again (operation ``unsuppress``); the old profile is not restored."""
        self._client._send(R.suppress_spec(id=id, email=email, cio_id=cio_id, unsuppress=True))

    @operation("track_api", "merge")
    def merge(self, *, primary: Mapping[str, Any], secondary: Mapping[str, Any]) -> None:
        """Merge ``secondary`` into ``primary`` and delete it (operation ``merge``); each is ``{"id"|"email"|"cio_id": value}``."""
        self._client._send(R.merge_spec(primary=primary, secondary=secondary))

    @operation("track_api", "unsubscribe")
    def unsubscribe(self, *, delivery_id: str, unsubscribe: bool = True) -> None:
        """Unsubscribe the recipient of a message, by its delivery id (operation ``unsubscribe``)."""
        self._client._send(R.unsubscribe_spec(delivery_id=delivery_id, unsubscribe=unsubscribe))


class Events(_Resource):
    """Events of people and anonymous visitors, and delivery metrics."""

    @operation("track_api", "track")
    def track(
        self,
        *,
        name: str,
        id: Identifier = None,
        email: str | None = None,
        cio_id: str | None = None,
        data: Mapping[str, Any] | None = None,
        timestamp: Any = None,
        type: EventType = "event",
        anonymous_id: str | None = None,
        event_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> str:
        """Record an event a person performed (operation ``track``); returns the event id (a ULID) that deduplicates re-sends."""
        spec = R.track_spec(id=id, email=email, cio_id=cio_id, name=name, data=data, timestamp=timestamp, type=type,
                            anonymous_id=anonymous_id, event_id=event_id, idempotency_key=idempotency_key)
        self._client._send(spec)
        return str(spec.json["id"])

    @operation("track_api", "trackAnonymous")
    def track_anonymous(
        self,
        *,
        name: str,
        anonymous_id: str | None = None,
        data: Mapping[str, Any] | None = None,
        timestamp: Any = None,
        type: EventType = "event",
        event_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> str:
        """Record an anonymous event (operation ``trackAnonymous``); returns the event id."""
        spec = R.track_anonymous_spec(anonymous_id=anonymous_id, name=name, data=data, timestamp=timestamp,
                                      type=type, event_id=event_id, idempotency_key=idempotency_key)
        self._client._send(spec)
        return str(spec.json["id"])

    @operation("track_api", "metrics")
    def metric(
        self,
        *,
        delivery_id: str,
        metric: str,
        timestamp: Any = None,
        recipient: str | None = None,
        reason: str | None = None,
        href: str | None = None,
    ) -> None:
        """Report a delivery metric such as ``opened`` or ``bounced`` (operation ``metrics``)."""
        self._client._send(R.metrics_spec(delivery_id=delivery_id, metric=metric, timestamp=timestamp,
                                          recipient=recipient, reason=reason, href=href))

    @operation("track_api", "pushMetrics")
    def push_metric(self, *, delivery_id: str, event: str, device_id: str, timestamp: Any = None) -> None:
        """Report a push metric (operation ``pushMetrics``, deprecated by Customer.io: prefer ``metric``)."""
        self._client._send(R.push_metrics_spec(delivery_id=delivery_id, event=event, device_id=device_id,
                                               timestamp=timestamp))


class Segments(_Resource):
    """Membership of manual segments."""

    @operation("track_api", "add_to_segment")
    def add_customers(
        self, *, segment_id: int, ids: Iterable[str | int], id_type: Literal["id", "email", "cio_id"] = "id"
    ) -> int:
        """Add people to a manual segment (operation ``add_to_segment``, 1000 ids per request); returns the requests sent."""
        specs = R.segment_specs(segment_id=segment_id, ids=ids, id_type=id_type, remove=False)
        for spec in specs:
            self._client._send(spec)
        return len(specs)

    @operation("track_api", "remove_from_segment")
    def remove_customers(
        self, *, segment_id: int, ids: Iterable[str | int], id_type: Literal["id", "email", "cio_id"] = "id"
    ) -> int:
        """Remove people from a manual segment (operation ``remove_from_segment``); returns the requests sent."""
        specs = R.segment_specs(segment_id=segment_id, ids=ids, id_type=id_type, remove=True)
        for spec in specs:
            self._client._send(spec)
        return len(specs)


class Forms(_Resource):
    """Form submissions."""

    @operation("track_api", "submitForm")
    def submit(self, *, form_id: str, data: Mapping[str, Any]) -> None:
        """Submit a form (operation ``submitForm``); ``data`` needs ``email`` or ``id``."""
        self._client._send(R.submit_form_spec(form_id=form_id, data=data))


class V2(_Resource):
    """The v2 API: one item per ``entity`` call, many per ``batch`` (build items with ``cio_toolkit.track.v2``)."""

    @operation("track_api", "entity")
    def entity(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """Send one item (operation ``entity``, at most 32 KB); returns the item as sent, with its event id if any."""
        spec, wire = R.entity_spec(item)
        self._client._send(spec)
        return wire

    @operation("track_api", "batch")
    def batch(self, items: Iterable[Mapping[str, Any]]) -> BatchResult:
        """Send items through ``/api/v2/batch`` (operation ``batch``) in requests of at most 500 KB.

        Invalid items are reported in the result (index, field, reason) and the rest are still
        delivered; per-item errors the API answers (207) are in the result too. Chunks go in input
        order, so an identify is sent before the events that follow it.
        """
        result = BatchResult()
        for chunk in R.plan_batch(R.check_items(items), result):
            try:
                response = self._client._send(chunk.spec())
            except APIError as exc:
                if not R.rejects_whole_chunk(exc):
                    raise
                R.record_batch_rejection(result, chunk, exc)
            else:
                R.record_batch_answer(result, chunk, response)
        result.errors.sort(key=lambda e: e.index)
        return result


# ================================================================ async resources


class AsyncCustomers(_Resource):
    """People by id, email or cio_id: ``await cio.track.customers.identify(id="u1", attributes={...})``."""

    @operation("track_api", "identify")
    async def identify(
        self,
        *,
        id: Identifier = None,
        email: str | None = None,
        cio_id: str | None = None,
        attributes: Mapping[str, Any] | None = None,
        anonymous_id: str | Unset | None = UNSET,
        created_at: Any = None,
        update: bool | Unset = UNSET,
        timestamp: Any = None,
        unsubscribed: bool | Unset = UNSET,
        cio_relationships: Mapping[str, Any] | None = None,
        cio_subscription_preferences: Mapping[str, Any] | None = None,
    ) -> None:
        """Add or update a person (operation ``identify``): the path uses cio_id, else id, else email; ``None`` values remove attributes."""
        await self._client._send(R.identify_spec(
            id=id, email=email, cio_id=cio_id, attributes=attributes, anonymous_id=anonymous_id,
            created_at=created_at, update=update, timestamp=timestamp, unsubscribed=unsubscribed,
            cio_relationships=cio_relationships, cio_subscription_preferences=cio_subscription_preferences,
        ))

    @operation("track_api", "delete")
    async def delete(self, *, id: Identifier = None, email: str | None = None, cio_id: str | None = None) -> None:
        """Delete a person (operation ``delete``)."""
        await self._client._send(R.delete_spec(id=id, email=email, cio_id=cio_id))

    @operation("track_api", "add_device")
    async def add_device(
        self,
        *,
        device_id: str,
        platform: Literal["ios", "android"],
        id: Identifier = None,
        email: str | None = None,
        cio_id: str | None = None,
        last_used: Any = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        """Add or update a person's device (operation ``add_device``); ``device_id`` is the device token."""
        await self._client._send(R.add_device_spec(id=id, email=email, cio_id=cio_id, device_id=device_id,
                                                   platform=platform, last_used=last_used, attributes=attributes))

    @operation("track_api", "delete_device")
    async def delete_device(
        self, *, device_id: str, id: Identifier = None, email: str | None = None, cio_id: str | None = None
    ) -> None:
        """Remove a device from a person (operation ``delete_device``)."""
        await self._client._send(R.delete_device_spec(id=id, email=email, cio_id=cio_id, device_id=device_id))

    @operation("track_api", "suppress")
    async def suppress(self, *, id: Identifier = None, email: str | None = None, cio_id: str | None = None) -> None:
        """Delete a person and block their identifier from being re-added (operation ``suppress``)."""
        await self._client._send(R.suppress_spec(id=id, email=email, cio_id=cio_id, unsuppress=False))

    @operation("track_api", "unsuppress")
    async def unsuppress(
        self, *, id: Identifier = None, email: str | None = None, cio_id: str | None = None
    ) -> None:
        """Make a suppressed identifier usable again (operation ``unsuppress``); the old profile is not restored."""
        await self._client._send(R.suppress_spec(id=id, email=email, cio_id=cio_id, unsuppress=True))

    @operation("track_api", "merge")
    async def merge(self, *, primary: Mapping[str, Any], secondary: Mapping[str, Any]) -> None:
        """Merge ``secondary`` into ``primary`` and delete it (operation ``merge``); each is ``{"id"|"email"|"cio_id": value}``."""
        await self._client._send(R.merge_spec(primary=primary, secondary=secondary))

    @operation("track_api", "unsubscribe")
    async def unsubscribe(self, *, delivery_id: str, unsubscribe: bool = True) -> None:
        """Unsubscribe the recipient of a message, by its delivery id (operation ``unsubscribe``)."""
        await self._client._send(R.unsubscribe_spec(delivery_id=delivery_id, unsubscribe=unsubscribe))


class AsyncEvents(_Resource):
    """Events of people and anonymous visitors, and delivery metrics."""

    @operation("track_api", "track")
    async def track(
        self,
        *,
        name: str,
        id: Identifier = None,
        email: str | None = None,
        cio_id: str | None = None,
        data: Mapping[str, Any] | None = None,
        timestamp: Any = None,
        type: EventType = "event",
        anonymous_id: str | None = None,
        event_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> str:
        """Record an event a person performed (operation ``track``); returns the event id (a ULID) that deduplicates re-sends."""
        spec = R.track_spec(id=id, email=email, cio_id=cio_id, name=name, data=data, timestamp=timestamp, type=type,
                            anonymous_id=anonymous_id, event_id=event_id, idempotency_key=idempotency_key)
        await self._client._send(spec)
        return str(spec.json["id"])

    @operation("track_api", "trackAnonymous")
    async def track_anonymous(
        self,
        *,
        name: str,
        anonymous_id: str | None = None,
        data: Mapping[str, Any] | None = None,
        timestamp: Any = None,
        type: EventType = "event",
        event_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> str:
        """Record an anonymous event (operation ``trackAnonymous``); returns the event id."""
        spec = R.track_anonymous_spec(anonymous_id=anonymous_id, name=name, data=data, timestamp=timestamp,
                                      type=type, event_id=event_id, idempotency_key=idempotency_key)
        await self._client._send(spec)
        return str(spec.json["id"])

    @operation("track_api", "metrics")
    async def metric(
        self,
        *,
        delivery_id: str,
        metric: str,
        timestamp: Any = None,
        recipient: str | None = None,
        reason: str | None = None,
        href: str | None = None,
    ) -> None:
        """Report a delivery metric such as ``opened`` or ``bounced`` (operation ``metrics``)."""
        await self._client._send(R.metrics_spec(delivery_id=delivery_id, metric=metric, timestamp=timestamp,
                                                recipient=recipient, reason=reason, href=href))

    @operation("track_api", "pushMetrics")
    async def push_metric(self, *, delivery_id: str, event: str, device_id: str, timestamp: Any = None) -> None:
        """Report a push metric (operation ``pushMetrics``, deprecated by Customer.io: prefer ``metric``)."""
        await self._client._send(R.push_metrics_spec(delivery_id=delivery_id, event=event, device_id=device_id,
                                                     timestamp=timestamp))


class AsyncSegments(_Resource):
    """Membership of manual segments."""

    @operation("track_api", "add_to_segment")
    async def add_customers(
        self, *, segment_id: int, ids: Iterable[str | int], id_type: Literal["id", "email", "cio_id"] = "id"
    ) -> int:
        """Add people to a manual segment (operation ``add_to_segment``, 1000 ids per request); returns the requests sent."""
        specs = R.segment_specs(segment_id=segment_id, ids=ids, id_type=id_type, remove=False)
        for spec in specs:
            await self._client._send(spec)
        return len(specs)

    @operation("track_api", "remove_from_segment")
    async def remove_customers(
        self, *, segment_id: int, ids: Iterable[str | int], id_type: Literal["id", "email", "cio_id"] = "id"
    ) -> int:
        """Remove people from a manual segment (operation ``remove_from_segment``); returns the requests sent."""
        specs = R.segment_specs(segment_id=segment_id, ids=ids, id_type=id_type, remove=True)
        for spec in specs:
            await self._client._send(spec)
        return len(specs)


class AsyncForms(_Resource):
    """Form submissions."""

    @operation("track_api", "submitForm")
    async def submit(self, *, form_id: str, data: Mapping[str, Any]) -> None:
        """Submit a form (operation ``submitForm``); ``data`` needs ``email`` or ``id``."""
        await self._client._send(R.submit_form_spec(form_id=form_id, data=data))


class AsyncV2(_Resource):
    """The v2 API: one item per ``entity`` call, many per ``batch`` (build items with ``cio_toolkit.track.v2``)."""

    @operation("track_api", "entity")
    async def entity(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """Send one item (operation ``entity``, at most 32 KB); returns the item as sent, with its event id if any."""
        spec, wire = R.entity_spec(item)
        await self._client._send(spec)
        return wire

    @operation("track_api", "batch")
    async def batch(self, items: Iterable[Mapping[str, Any]]) -> BatchResult:
        """Send items through ``/api/v2/batch`` (operation ``batch``) in requests of at most 500 KB.

        Invalid items are reported in the result (index, field, reason) and the rest are still
        delivered; per-item errors the API answers (207) are in the result too. Chunks go in input
        order, so an identify is sent before the events that follow it.
        """
        result = BatchResult()
        for chunk in R.plan_batch(R.check_items(items), result):
            try:
                response = await self._client._send(chunk.spec())
            except APIError as exc:
                if not R.rejects_whole_chunk(exc):
                    raise
                R.record_batch_rejection(result, chunk, exc)
            else:
                R.record_batch_answer(result, chunk, response)
        result.errors.sort(key=lambda e: e.index)
        return result


# ================================================================ clients


class _TrackMixin:
    api: API = "track"
    settings: Settings
    _transport_kw: dict[str, Any]

    def __init__(
        self,
        site_id: str | None = None,
        api_key: str | None = None,
        *,
        region: str | None = None,
        base_url: str | None = None,
        settings: Settings | None = None,
        **kw: Any,
    ) -> None:
        base = settings or Settings()
        settings = base.with_overrides(site_id=site_id, track_api_key=api_key, region=region, base_url=base_url)
        super().__init__(settings, **kw)  # type: ignore[call-arg]

    def _for_region(self, region: Region) -> Self:
        # A custom base URL (the emulator, a proxy) serves every region, so it is kept.
        settings = self.settings.with_overrides(region=region.region)
        return type(self)(settings=settings, **{k: v for k, v in self._transport_kw.items() if v is not None})


class TrackClient(_TrackMixin, SyncAPIClient):
    """Blocking client for the Track API: ``customers``, ``events``, ``segments``, ``forms``, ``v2``, ``region()``."""

    @functools.cached_property
    def customers(self) -> Customers:
        """People: identify, delete, devices, suppress, merge, unsubscribe."""
        return Customers(self)

    @functools.cached_property
    def events(self) -> Events:
        """Person and anonymous events, delivery metrics."""
        return Events(self)

    @functools.cached_property
    def segments(self) -> Segments:
        """Manual segment membership."""
        return Segments(self)

    @functools.cached_property
    def forms(self) -> Forms:
        """Form submissions."""
        return Forms(self)

    @functools.cached_property
    def v2(self) -> V2:
        """The v2 entity and batch operations."""
        return V2(self)

    @operation("track_api", "getRegion")
    def region(self) -> Region:
        """The region and Track URL of these credentials, and the workspace id (operation ``getRegion``)."""
        return R.parse_region(self._send(R.region_spec()))

    def with_account_region(self) -> TrackClient:
        """A new client for the region ``region()`` reports (same credentials and options)."""
        return self._for_region(self.region())


class AsyncTrackClient(_TrackMixin, AsyncAPIClient):
    """Asyncio client for the Track API: ``customers``, ``events``, ``segments``, ``forms``, ``v2``, ``region()``."""

    @functools.cached_property
    def customers(self) -> AsyncCustomers:
        """People: identify, delete, devices, suppress, merge, unsubscribe."""
        return AsyncCustomers(self)

    @functools.cached_property
    def events(self) -> AsyncEvents:
        """Person and anonymous events, delivery metrics."""
        return AsyncEvents(self)

    @functools.cached_property
    def segments(self) -> AsyncSegments:
        """Manual segment membership."""
        return AsyncSegments(self)

    @functools.cached_property
    def forms(self) -> AsyncForms:
        """Form submissions."""
        return AsyncForms(self)

    @functools.cached_property
    def v2(self) -> AsyncV2:
        """The v2 entity and batch operations."""
        return AsyncV2(self)

    @operation("track_api", "getRegion")
    async def region(self) -> Region:
        """The region and Track URL of these credentials, and the workspace id (operation ``getRegion``)."""
        return R.parse_region(await self._send(R.region_spec()))

    async def with_account_region(self) -> AsyncTrackClient:
        """A new client for the region ``region()`` reports (same credentials and options)."""
        return self._for_region(await self.region())

