"""TrackClient and AsyncTrackClient: the Track API (v1 and v2), every operation of track_api.json.

Resources hang off the client: ``customers`` (identify, delete, devices, suppress, merge,
unsubscribe), ``events`` (person and anonymous events, delivery metrics), ``segments`` (manual
segment membership), ``forms`` and ``v2`` (entity and batch); ``region()`` asks which region the
credentials belong to.

Every operation is written once, as a *flow*: a generator with the public signature and docstring
that builds its requests with the pure functions of ``_requests``, yields each one, receives the
answer (or has the error thrown in) and returns what the method returns. It does no I/O. The sync
and async classes share the flows and differ only in the generated method that drives them: a
``def`` that calls ``client.request`` or an ``async def`` that awaits it (the same split as
``_transport``'s ``_Call`` and its two loops), so the two flavours cannot drift apart.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine, Generator, Iterable, Mapping
from typing import Any, Concatenate, Generic, Literal, ParamSpec, Self, TypeVar, overload

from .._base import AsyncAPIClient, SyncAPIClient
from .._config import API, Settings
from .._exceptions import APIError
from .._transport import RequestSpec, Response
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
IdType = Literal["id", "email", "cio_id"]

P = ParamSpec("P")
T = TypeVar("T")
S = TypeVar("S")
A = TypeVar("A")

#: An operation's logic: yields requests, is sent their answers, returns the method's result.
Flow = Generator[RequestSpec, Response, T]


# ================================================================ flows and their two drivers


class _Run:
    """One call of a flow, free of I/O: the request to send next, and the result once the flow returns."""

    def __init__(self, flow: Flow[Any]) -> None:
        self._flow = flow
        self.spec: RequestSpec | None = None
        self.result: Any = None
        self._step(flow.send, None)

    def resume(self, outcome: Response | Exception) -> None:
        """Give the flow the answer to ``spec``, or throw in the error sending it raised."""
        if isinstance(outcome, Exception):
            self._step(self._flow.throw, outcome)
        else:
            self._step(self._flow.send, outcome)

    def _step(self, step: Callable[[Any], RequestSpec], arg: Any) -> None:
        try:
            self.spec = step(arg)
        except StopIteration as stop:
            self.spec, self.result = None, stop.value


class _Op(Generic[P, T]):
    """An operation declared once; each resource class gets a sync or async method generated from it.

    For type checkers, reading it from a blocking resource or client gives ``(**P) -> T`` and from
    an asyncio one ``(**P) -> Coroutine[..., T]``; at run time the generated methods replace it.
    """

    def __init__(self, flow: Callable[Concatenate[Any, P], Flow[T]]) -> None:
        self.flow = flow

    @overload
    def __get__(self, obj: None, owner: type) -> Self: ...
    @overload
    def __get__(self, obj: AsyncAPIClient | _AsyncResource, owner: type) -> Callable[P, Coroutine[Any, Any, T]]: ...
    @overload
    def __get__(self, obj: SyncAPIClient | _SyncResource, owner: type) -> Callable[P, T]: ...
    def __get__(self, obj: Any, owner: type) -> Any:
        return self

    def method(self, owner: type, name: str, is_async: bool, client_of: Callable[[Any], Any]) -> Callable[..., Any]:
        """The method of ``owner`` that drives this flow, with the flow's name, docstring and signature."""
        flow = self.flow
        call = (_async_driver if is_async else _sync_driver)(flow, client_of)
        functools.update_wrapper(call, flow)  # name, docstring, the operation mark
        call.__qualname__ = f"{owner.__qualname__}.{name}"
        # Flows are annotated ``Flow[X]``; the method returns (or its coroutine gives) ``X``.
        returns = str(flow.__annotations__["return"]).removeprefix("Flow[").removesuffix("]")
        call.__annotations__ = {**flow.__annotations__, "return": returns}
        call.__signature__ = inspect.signature(flow).replace(return_annotation=returns)  # type: ignore[attr-defined]
        return call


def _sync_driver(flow: Callable[..., Flow[Any]], client_of: Callable[[Any], Any]) -> Callable[..., Any]:
    def call(self: Any, /, *args: Any, **kwargs: Any) -> Any:
        run = _Run(flow(self, *args, **kwargs))
        while run.spec is not None:
            try:
                outcome: Response | Exception = client_of(self).request(run.spec)
            except Exception as exc:  # handed to the flow, which re-raises what it does not handle
                outcome = exc
            run.resume(outcome)
        return run.result

    return call


def _async_driver(flow: Callable[..., Flow[Any]], client_of: Callable[[Any], Any]) -> Callable[..., Any]:
    async def call(self: Any, /, *args: Any, **kwargs: Any) -> Any:
        run = _Run(flow(self, *args, **kwargs))
        while run.spec is not None:
            try:
                outcome: Response | Exception = await client_of(self).request(run.spec)
            except Exception as exc:  # handed to the flow, which re-raises what it does not handle
                outcome = exc
            run.resume(outcome)
        return run.result

    return call


def _flow(operation_id: str) -> Callable[[Callable[Concatenate[Any, P], Flow[T]]], _Op[P, T]]:
    """Declare a flow as the implementation of Track operation ``operation_id``."""

    def declare(fn: Callable[Concatenate[Any, P], Flow[T]]) -> _Op[P, T]:
        return _Op(operation("track_api", operation_id)(fn))

    return declare


class _Attach(Generic[S, A]):
    """A resource attribute of the clients: the blocking class on TrackClient, the asyncio one on AsyncTrackClient."""

    def __init__(self, sync: type[S], asyn: type[A], doc: str) -> None:
        self.sync, self.asyn, self.doc = sync, asyn, doc

    @overload
    def __get__(self, obj: None, owner: type) -> Self: ...
    @overload
    def __get__(self, obj: AsyncAPIClient, owner: type) -> A: ...
    @overload
    def __get__(self, obj: SyncAPIClient, owner: type) -> S: ...
    def __get__(self, obj: Any, owner: type) -> Any:
        return self

    def prop(self, owner: type, name: str, is_async: bool) -> functools.cached_property[Any]:
        """A cached property of ``owner`` that builds the resource once per client."""
        cls: Any = self.asyn if is_async else self.sync

        def get(client: Any) -> Any:
            return cls(client)

        get.__name__, get.__qualname__, get.__doc__ = name, f"{owner.__qualname__}.{name}", self.doc
        get.__annotations__ = {"return": cls}  # how the operation registry finds the resource's methods
        prop = functools.cached_property(get)
        prop.__set_name__(owner, name)
        return prop


def _generate(cls: type, is_async: bool, client_of: Callable[[Any], Any]) -> None:
    # Later classes in the MRO win; a name a class defines as anything else stops being generated.
    declared: dict[str, _Op[Any, Any] | _Attach[Any, Any]] = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, _Op | _Attach):
                declared[name] = value
            else:
                declared.pop(name, None)
    for name, value in declared.items():
        if isinstance(value, _Op):
            setattr(cls, name, value.method(cls, name, is_async, client_of))
        else:
            setattr(cls, name, value.prop(cls, name, is_async))


# ================================================================ resources


class _Resource:
    def __init__(self, client: Any) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class _SyncResource(_Resource):
    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        _generate(cls, False, lambda resource: resource._client)


class _AsyncResource(_Resource):
    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        _generate(cls, True, lambda resource: resource._client)


class _CustomersOps:
    @_flow("identify")
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

    @_flow("delete")
    def delete(self, *, id: Identifier = None, email: str | None = None, cio_id: str | None = None) -> Flow[None]:
        """Delete a person (operation ``delete``)."""
        yield R.delete_spec(id=id, email=email, cio_id=cio_id)

    @_flow("add_device")
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
    ) -> Flow[None]:
        """Add or update a person's device (operation ``add_device``); ``device_id`` is the device token."""
        yield R.add_device_spec(id=id, email=email, cio_id=cio_id, device_id=device_id, platform=platform,
                                last_used=last_used, attributes=attributes)

    @_flow("delete_device")
    def delete_device(
        self, *, device_id: str, id: Identifier = None, email: str | None = None, cio_id: str | None = None
    ) -> Flow[None]:
        """Remove a device from a person (operation ``delete_device``)."""
        yield R.delete_device_spec(id=id, email=email, cio_id=cio_id, device_id=device_id)

    @_flow("suppress")
    def suppress(self, *, id: Identifier = None, email: str | None = None, cio_id: str | None = None) -> Flow[None]:
        """Delete a person and block their identifier from being re-added (operation ``suppress``)."""
        yield R.suppress_spec(id=id, email=email, cio_id=cio_id, unsuppress=False)

    @_flow("unsuppress")
    def unsuppress(
        self, *, id: Identifier = None, email: str | None = None, cio_id: str | None = None
    ) -> Flow[None]:
        """Make a suppressed identifier usable again (operation ``unsuppress``); the old profile is not restored."""
        yield R.suppress_spec(id=id, email=email, cio_id=cio_id, unsuppress=True)

    @_flow("merge")
    def merge(self, *, primary: Mapping[str, Any], secondary: Mapping[str, Any]) -> Flow[None]:
        """Merge ``secondary`` into ``primary`` and delete it (operation ``merge``); each is ``{"id"|"email"|"cio_id": value}``."""
        yield R.merge_spec(primary=primary, secondary=secondary)

    @_flow("unsubscribe")
    def unsubscribe(self, *, delivery_id: str, unsubscribe: bool = True) -> Flow[None]:
        """Unsubscribe the recipient of a message, by its delivery id (operation ``unsubscribe``)."""
        yield R.unsubscribe_spec(delivery_id=delivery_id, unsubscribe=unsubscribe)


class Customers(_CustomersOps, _SyncResource):
    """People by id, email or cio_id: ``cio.track.customers.identify(id="u1", attributes={...})``."""


class AsyncCustomers(_CustomersOps, _AsyncResource):
    """People by id, email or cio_id: ``await cio.track.customers.identify(id="u1", attributes={...})``."""


def _event(spec: RequestSpec) -> Flow[str]:
    yield spec
    return str(spec.json["id"])  # the event id, which deduplicates a re-send


class _EventsOps:
    @_flow("track")
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

    @_flow("trackAnonymous")
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

    @_flow("metrics")
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

    @_flow("pushMetrics")
    def push_metric(self, *, delivery_id: str, event: str, device_id: str, timestamp: Any = None) -> Flow[None]:
        """Report a push metric (operation ``pushMetrics``, deprecated by Customer.io: prefer ``metric``)."""
        yield R.push_metrics_spec(delivery_id=delivery_id, event=event, device_id=device_id, timestamp=timestamp)


class Events(_EventsOps, _SyncResource):
    """Events of people and anonymous visitors, and delivery metrics."""


class AsyncEvents(_EventsOps, _AsyncResource):
    """Events of people and anonymous visitors, and delivery metrics."""


def _each(specs: list[RequestSpec]) -> Flow[int]:
    # Not ``yield from specs``: a list iterator cannot be sent the answers.
    for spec in specs:  # noqa: UP028
        yield spec
    return len(specs)


class _SegmentsOps:
    @_flow("add_to_segment")
    def add_customers(self, *, segment_id: int, ids: Iterable[str | int], id_type: IdType = "id") -> Flow[int]:
        """Add people to a manual segment (operation ``add_to_segment``, 1000 ids per request); returns the requests sent."""
        return (yield from _each(R.segment_specs(segment_id=segment_id, ids=ids, id_type=id_type, remove=False)))

    @_flow("remove_from_segment")
    def remove_customers(self, *, segment_id: int, ids: Iterable[str | int], id_type: IdType = "id") -> Flow[int]:
        """Remove people from a manual segment (operation ``remove_from_segment``); returns the requests sent."""
        return (yield from _each(R.segment_specs(segment_id=segment_id, ids=ids, id_type=id_type, remove=True)))


class Segments(_SegmentsOps, _SyncResource):
    """Membership of manual segments."""


class AsyncSegments(_SegmentsOps, _AsyncResource):
    """Membership of manual segments."""


class _FormsOps:
    @_flow("submitForm")
    def submit(self, *, form_id: str, data: Mapping[str, Any]) -> Flow[None]:
        """Submit a form (operation ``submitForm``); ``data`` needs ``email`` or ``id``."""
        yield R.submit_form_spec(form_id=form_id, data=data)


class Forms(_FormsOps, _SyncResource):
    """Form submissions."""


class AsyncForms(_FormsOps, _AsyncResource):
    """Form submissions."""


class _V2Ops:
    @_flow("entity")
    def entity(self, item: Mapping[str, Any]) -> Flow[dict[str, Any]]:
        """Send one item (operation ``entity``, at most 32 KB); returns the item as sent, with its event id if any."""
        spec, wire = R.entity_spec(item)
        yield spec
        return wire

    @_flow("batch")
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


class V2(_V2Ops, _SyncResource):
    """The v2 API: one item per ``entity`` call, many per ``batch`` (build items with ``cio_toolkit.track.v2``)."""


class AsyncV2(_V2Ops, _AsyncResource):
    """The v2 API: one item per ``entity`` call, many per ``batch`` (build items with ``cio_toolkit.track.v2``)."""


# ================================================================ clients


class _TrackMixin:
    api: API = "track"
    settings: Settings
    _transport_kw: dict[str, Any]

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        _generate(cls, issubclass(cls, AsyncAPIClient), lambda client: client)

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

    customers = _Attach(Customers, AsyncCustomers, "People: identify, delete, devices, suppress, merge, unsubscribe.")
    events = _Attach(Events, AsyncEvents, "Person and anonymous events, delivery metrics.")
    segments = _Attach(Segments, AsyncSegments, "Manual segment membership.")
    forms = _Attach(Forms, AsyncForms, "Form submissions.")
    v2 = _Attach(V2, AsyncV2, "The v2 entity and batch operations.")

    @_flow("getRegion")
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
