"""TrackClient and AsyncTrackClient: the Track API (v1 and v2), every operation of track_api.json.

Resources hang off the client: ``customers`` (identify, delete, devices, suppress, merge,
unsubscribe), ``events`` (person and anonymous events, delivery metrics), ``segments`` (manual
segment membership), ``forms`` and ``v2`` (entity and batch); ``region()`` asks which region the
credentials belong to.

Every operation is written once, as a flow (see ``_flows``) in a ``_...Ops`` class that builds its
requests with the pure functions of ``_requests``; ``Customers`` and ``AsyncCustomers`` (and so on)
get their methods generated from it, so the sync and async flavours cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, Self

from .._base import AsyncAPIClient, SyncAPIClient
from .._config import API, Settings
from .._exceptions import APIError
from .._transport import RequestSpec
from .._types import UNSET, Unset
from . import _requests as R
from ._flows import AsyncResource, Attach, Flow, SyncResource, generate, track_flow
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
IdType = Literal["id", "email", "cio_id"]


class _CustomersOps:
    @track_flow("identify")
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
    ) -> Flow[None]:
        """Add or update a person (operation ``identify``): the path uses cio_id, else id, else email; ``None`` values remove attributes."""
        yield R.identify_spec(
            id=id, email=email, cio_id=cio_id, attributes=attributes, anonymous_id=anonymous_id,
            created_at=created_at, update=update, timestamp=timestamp, unsubscribed=unsubscribed,
            cio_relationships=cio_relationships, cio_subscription_preferences=cio_subscription_preferences,
        )

    @track_flow("delete")
    def delete(self, *, id: Identifier = None, email: str | None = None, cio_id: str | None = None) -> Flow[None]:
        """Delete a person (operation ``delete``)."""
        yield R.delete_spec(id=id, email=email, cio_id=cio_id)

    @track_flow("add_device")
    def add_device(
        self, *, device_id: str, platform: Literal["ios", "android"], id: Identifier = None, email: str | None = None,
        cio_id: str | None = None, last_used: Any = None, attributes: Mapping[str, Any] | None = None,
    ) -> Flow[None]:
        """Add or update a person's device (operation ``add_device``); ``device_id`` is the device token."""
        yield R.add_device_spec(id=id, email=email, cio_id=cio_id, device_id=device_id, platform=platform,
                                last_used=last_used, attributes=attributes)

    @track_flow("delete_device")
    def delete_device(
        self, *, device_id: str, id: Identifier = None, email: str | None = None, cio_id: str | None = None
    ) -> Flow[None]:
        """Remove a device from a person (operation ``delete_device``)."""
        yield R.delete_device_spec(id=id, email=email, cio_id=cio_id, device_id=device_id)

    @track_flow("suppress")
    def suppress(self, *, id: Identifier = None, email: str | None = None, cio_id: str | None = None) -> Flow[None]:
        """Delete a person and block their identifier from being re-added (operation ``suppress``)."""
        yield R.suppress_spec(id=id, email=email, cio_id=cio_id, unsuppress=False)

    @track_flow("unsuppress")
    def unsuppress(
        self, *, id: Identifier = None, email: str | None = None, cio_id: str | None = None
    ) -> Flow[None]:
        """Make a suppressed identifier usable again (operation ``unsuppress``); the old profile is not restored."""
        yield R.suppress_spec(id=id, email=email, cio_id=cio_id, unsuppress=True)

    @track_flow("merge")
    def merge(self, *, primary: Mapping[str, Any], secondary: Mapping[str, Any]) -> Flow[None]:
        """Merge ``secondary`` into ``primary`` and delete it (operation ``merge``); each is ``{"id"|"email"|"cio_id": value}``."""
        yield R.merge_spec(primary=primary, secondary=secondary)

    @track_flow("unsubscribe")
    def unsubscribe(self, *, delivery_id: str, unsubscribe: bool = True) -> Flow[None]:
        """Unsubscribe the recipient of a message, by its delivery id (operation ``unsubscribe``)."""
        yield R.unsubscribe_spec(delivery_id=delivery_id, unsubscribe=unsubscribe)


class Customers(_CustomersOps, SyncResource):
    """People by id, email or cio_id: ``cio.track.customers.identify(id="u1", attributes={...})``."""


class AsyncCustomers(_CustomersOps, AsyncResource):
    """People by id, email or cio_id: ``await cio.track.customers.identify(id="u1", attributes={...})``."""


def _event(spec: RequestSpec) -> Flow[str]:
    yield spec
    return str(spec.json["id"])  # the event id, which deduplicates a re-send


class _EventsOps:
    @track_flow("track")
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
    ) -> Flow[str]:
        """Record an event a person performed (operation ``track``); returns the event id (a ULID) that deduplicates re-sends."""
        return (yield from _event(R.track_spec(
            id=id, email=email, cio_id=cio_id, name=name, data=data, timestamp=timestamp, type=type,
            anonymous_id=anonymous_id, event_id=event_id, idempotency_key=idempotency_key,
        )))

    @track_flow("trackAnonymous")
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
    ) -> Flow[str]:
        """Record an anonymous event (operation ``trackAnonymous``); returns the event id."""
        return (yield from _event(R.track_anonymous_spec(anonymous_id=anonymous_id, name=name, data=data,
                                                         timestamp=timestamp, type=type, event_id=event_id,
                                                         idempotency_key=idempotency_key)))

    @track_flow("metrics")
    def metric(
        self,
        *,
        delivery_id: str,
        metric: str,
        timestamp: Any = None,
        recipient: str | None = None,
        reason: str | None = None,
        href: str | None = None,
    ) -> Flow[None]:
        """Report a delivery metric such as ``opened`` or ``bounced`` (operation ``metrics``)."""
        yield R.metrics_spec(delivery_id=delivery_id, metric=metric, timestamp=timestamp, recipient=recipient,
                             reason=reason, href=href)

    @track_flow("pushMetrics")
    def push_metric(self, *, delivery_id: str, event: str, device_id: str, timestamp: Any = None) -> Flow[None]:
        """Report a push metric (operation ``pushMetrics``, deprecated by Customer.io: prefer ``metric``)."""
        yield R.push_metrics_spec(delivery_id=delivery_id, event=event, device_id=device_id, timestamp=timestamp)


class Events(_EventsOps, SyncResource):
    """Events of people and anonymous visitors, and delivery metrics."""


class AsyncEvents(_EventsOps, AsyncResource):
    """Events of people and anonymous visitors, and delivery metrics."""


def _each(specs: list[RequestSpec]) -> Flow[int]:
    # Not ``yield from specs``: a list iterator cannot be sent the answers.
    for spec in specs:  # noqa: UP028
        yield spec
    return len(specs)


class _SegmentsOps:
    @track_flow("add_to_segment")
    def add_customers(self, *, segment_id: int, ids: Iterable[str | int], id_type: IdType = "id") -> Flow[int]:
        """Add people to a manual segment (operation ``add_to_segment``, 1000 ids per request); returns the requests sent."""
        return (yield from _each(R.segment_specs(segment_id=segment_id, ids=ids, id_type=id_type, remove=False)))

    @track_flow("remove_from_segment")
    def remove_customers(self, *, segment_id: int, ids: Iterable[str | int], id_type: IdType = "id") -> Flow[int]:
        """Remove people from a manual segment (operation ``remove_from_segment``); returns the requests sent."""
        return (yield from _each(R.segment_specs(segment_id=segment_id, ids=ids, id_type=id_type, remove=True)))


class Segments(_SegmentsOps, SyncResource):
    """Membership of manual segments."""


class AsyncSegments(_SegmentsOps, AsyncResource):
    """Membership of manual segments."""


class _FormsOps:
    @track_flow("submitForm")
    def submit(self, *, form_id: str, data: Mapping[str, Any]) -> Flow[None]:
        """Submit a form (operation ``submitForm``); ``data`` needs ``email`` or ``id``."""
        yield R.submit_form_spec(form_id=form_id, data=data)


class Forms(_FormsOps, SyncResource):
    """Form submissions."""


class AsyncForms(_FormsOps, AsyncResource):
    """Form submissions."""


class _V2Ops:
    @track_flow("entity")
    def entity(self, item: Mapping[str, Any]) -> Flow[dict[str, Any]]:
        """Send one item (operation ``entity``, at most 32 KB); returns the item as sent, with its event id if any."""
        spec, wire = R.entity_spec(item)
        yield spec
        return wire

    @track_flow("batch")
    def batch(self, items: Iterable[Mapping[str, Any]]) -> Flow[BatchResult]:
        """Send items through ``/api/v2/batch`` (operation ``batch``) in requests of at most 500 KB.

        Invalid items are reported in the result (index, field, reason) and the rest are still
        delivered; per-item errors the API answers (207) are in the result too. Chunks go in input
        order, so an identify is sent before the events that follow it.
        """
        result = BatchResult()
        for chunk in R.plan_batch(R.check_items(items), result):
            try:
                response = yield chunk.spec()
            except APIError as exc:
                if not R.rejects_whole_chunk(exc):
                    raise
                R.record_batch_rejection(result, chunk, exc)
            else:
                R.record_batch_answer(result, chunk, response)
        result.errors.sort(key=lambda e: e.index)
        return result


class V2(_V2Ops, SyncResource):
    """The v2 API: one item per ``entity`` call, many per ``batch`` (build items with ``cio_toolkit.track.v2``)."""


class AsyncV2(_V2Ops, AsyncResource):
    """The v2 API: one item per ``entity`` call, many per ``batch`` (build items with ``cio_toolkit.track.v2``)."""


# ================================================================ clients


class _TrackMixin:
    api: API = "track"
    settings: Settings
    _transport_kw: dict[str, Any]

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        generate(cls, issubclass(cls, AsyncAPIClient), lambda client: client)

    def __init__(
        self, site_id: str | None = None, api_key: str | None = None, *,
        region: str | None = None, base_url: str | None = None, settings: Settings | None = None, **kw: Any,
    ) -> None:
        overrides = {"site_id": site_id, "track_api_key": api_key, "region": region, "base_url": base_url}
        super().__init__((settings or Settings()).with_overrides(**overrides), **kw)  # type: ignore[call-arg]

    customers = Attach(Customers, AsyncCustomers, "People: identify, delete, devices, suppress, merge, unsubscribe.")
    events = Attach(Events, AsyncEvents, "Person and anonymous events, delivery metrics.")
    segments = Attach(Segments, AsyncSegments, "Manual segment membership.")
    forms = Attach(Forms, AsyncForms, "Form submissions.")
    v2 = Attach(V2, AsyncV2, "The v2 entity and batch operations.")

    @track_flow("getRegion")
    def region(self) -> Flow[Region]:
        """The region and Track URL of these credentials, and the workspace id (operation ``getRegion``)."""
        return R.parse_region((yield R.region_spec()))

    def _for_region(self, region: Region) -> Self:
        # A custom base URL (the emulator, a proxy) serves every region, so it is kept.
        settings = self.settings.with_overrides(region=region.region)
        return type(self)(settings=settings, **{k: v for k, v in self._transport_kw.items() if v is not None})


class TrackClient(_TrackMixin, SyncAPIClient):
    """Blocking client for the Track API: ``customers``, ``events``, ``segments``, ``forms``, ``v2``, ``region()``."""

    def with_account_region(self) -> TrackClient:
        """A new client for the region ``region()`` reports (same credentials and options)."""
        return self._for_region(self.region())


class AsyncTrackClient(_TrackMixin, AsyncAPIClient):
    """Asyncio client for the Track API: ``customers``, ``events``, ``segments``, ``forms``, ``v2``, ``region()``."""

    async def with_account_region(self) -> AsyncTrackClient:
        """A new client for the region ``region()`` reports (same credentials and options)."""
        return self._for_region(await self.region())
