"""How the Track and Pipelines sync and async clients share one implementation.

An operation is written once, as a *flow*: a generator with the public signature and docstring
that builds its requests with pure functions, yields each one, is sent the answer (or has the
error thrown in) and returns what the method returns. It does no I/O. :class:`Op` holds a flow;
:func:`generate` gives each resource or client class a method per flow: a ``def`` that calls
``client.request`` or an ``async def`` that awaits it (the split of ``_transport``'s ``_Call`` and
its two loops), so the two flavours cannot drift apart. :class:`Attach` does the same for the
resource attributes of the clients.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine, Generator
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from .._base import AsyncAPIClient, SyncAPIClient
from .._transport import RequestSpec, Response
from ..specs import SpecName
from ..specs._registry import operation

__all__ = ["Flow", "Run", "Op", "api_flow", "track_flow", "Attach", "generate", "SyncResource", "AsyncResource"]

P = ParamSpec("P")
T = TypeVar("T")
S = TypeVar("S")
A = TypeVar("A")

#: An operation's logic: yields requests, is sent their answers, returns the method's result.
Flow = Generator[RequestSpec, Response, T]


class Run:
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


class Op(Generic[P, T]):
    """An operation declared once; each resource class gets a sync or async method generated from it.

    For type checkers, reading it from a blocking resource or client gives ``(**P) -> T`` and from
    an asyncio one ``(**P) -> Coroutine[..., T]``; at run time the generated methods replace it.
    """

    def __init__(self, flow: Callable[Concatenate[Any, P], Flow[T]]) -> None:
        self.flow = flow

    @overload
    def __get__(self, obj: None, owner: type) -> Self: ...
    @overload
    def __get__(self, obj: AsyncAPIClient | AsyncResource, owner: type) -> Callable[P, Coroutine[Any, Any, T]]: ...
    @overload
    def __get__(self, obj: SyncAPIClient | SyncResource, owner: type) -> Callable[P, T]: ...
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
        run = Run(flow(self, *args, **kwargs))
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
        run = Run(flow(self, *args, **kwargs))
        while run.spec is not None:
            try:
                outcome: Response | Exception = await client_of(self).request(run.spec)
            except Exception as exc:  # handed to the flow, which re-raises what it does not handle
                outcome = exc
            run.resume(outcome)
        return run.result

    return call


def api_flow(spec: SpecName, operation_id: str) -> Callable[[Callable[Concatenate[Any, P], Flow[T]]], Op[P, T]]:
    """Declare a flow as the implementation of operation ``operation_id`` of ``spec``."""

    def declare(fn: Callable[Concatenate[Any, P], Flow[T]]) -> Op[P, T]:
        return Op(operation(spec, operation_id)(fn))

    return declare


def track_flow(operation_id: str) -> Callable[[Callable[Concatenate[Any, P], Flow[T]]], Op[P, T]]:
    """Declare a flow as the implementation of Track operation ``operation_id``."""
    return api_flow("track_api", operation_id)


class Attach(Generic[S, A]):
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


def generate(cls: type, is_async: bool, client_of: Callable[[Any], Any]) -> None:
    """Replace every :class:`Op` and :class:`Attach` ``cls`` inherits with its sync or async form."""
    # Later classes in the MRO win; a name a class defines as anything else stops being generated.
    declared: dict[str, Op[Any, Any] | Attach[Any, Any]] = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, Op | Attach):
                declared[name] = value
            else:
                declared.pop(name, None)
    for name, value in declared.items():
        if isinstance(value, Op):
            setattr(cls, name, value.method(cls, name, is_async, client_of))
        else:
            setattr(cls, name, value.prop(cls, name, is_async))


class Resource:
    """A group of operations on one client."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class SyncResource(Resource):
    """Base of the blocking resources: their flows become plain methods."""

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        generate(cls, False, lambda resource: resource._client)


class AsyncResource(Resource):
    """Base of the asyncio resources: their flows become coroutine methods."""

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        generate(cls, True, lambda resource: resource._client)
