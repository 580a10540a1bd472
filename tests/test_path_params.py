"""Every path parameter of every client travels as exactly one segment, whatever the id holds.

For each operation of the three specs with a path parameter, hostile ids go through the real
client to an emulator; the test reads the raw path the server received (its request log) and
requires one segment at the parameter's place that decodes to the id, routed to the same
operation. Integer parameters refuse such ids with a ValidationError before anything is sent.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

import pytest

from cio_toolkit import AsyncCustomerIO, CustomerIO, RetryPolicy
from cio_toolkit._exceptions import APIError, ValidationError
from cio_toolkit._paths import path_segment
from cio_toolkit.app._generated.operations import OPERATIONS
from cio_toolkit.emulator import Emulator
from cio_toolkit.emulator._validate import shared_validator
from cio_toolkit.specs import operations
from cio_toolkit.specs._registry import _ATTR

from .app._samples import sample_args

HOSTILE = ["..", ".", "a/b", "a?b", "a#b", "%2e%2e", "%", "é/日本 🎉", "../../v1/messages"]
NO_RETRY = RetryPolicy(max_retries=0)


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    """A private emulator: these requests are odd on purpose and stay out of the suite's log."""
    with Emulator(log=False, rate_limits=False) as e:
        yield e


@pytest.fixture(scope="module")
def cio(emu: Emulator) -> Iterator[CustomerIO]:
    with CustomerIO(**emu.settings(), rate_limits=False, retry=NO_RETRY) as client:
        yield client


def methods_by_operation(root: Any, spec: str) -> dict[str, Callable[..., Any]]:
    """operationId -> the bound client method marked with it, found by walking the client's resources."""
    out: dict[str, Callable[..., Any]] = {}
    seen: set[int] = set()

    def walk(obj: Any) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        for name in dir(type(obj)):
            if name.startswith("_"):
                continue
            static = inspect.getattr_static(type(obj), name)
            if isinstance(static, functools.cached_property | property):
                child = getattr(obj, name)
                if type(child).__module__.startswith("cio_toolkit") and not callable(child):
                    walk(child)
                continue
            mark = getattr(static, _ATTR, None)
            if mark is not None and mark[0] == spec:
                out.setdefault(mark[1], getattr(obj, name))

    walk(root)
    return out


def path_params(spec: str, op_id: str) -> list[str]:
    return list(shared_validator(spec).operations[op_id].param_names)


def check_sent(emu: Emulator, before: int, spec: str, op_id: str, expected: dict[str, str]) -> None:
    """The first request after ``before`` reached ``op_id`` with each parameter as one decoded segment."""
    new = emu.requests[before:]
    assert new, f"{op_id}: nothing was sent"
    entry = new[0]
    raw = entry["path"]
    template = shared_validator(spec).operations[op_id].path
    prefix = "/v1" if spec == "pipelines_api" else ""
    want = template.strip("/").split("/")
    got = raw[len(prefix):].split("?", 1)[0].strip("/").split("/")
    assert len(got) == len(want), f"{op_id}: the server got {raw!r} for {template} with {expected}"
    for w, g in zip(want, got, strict=True):
        if w.startswith("{"):
            assert g not in (".", "..") and unquote(g) == expected[w[1:-1]], (op_id, raw, expected)
        else:
            assert g == w, (op_id, raw)
    # The emulator routed it to the same operation and decodes the segment back to the id.
    assert entry["operationId"] == op_id, (op_id, raw, entry["operationId"])
    assert shared_validator(spec).match(entry["method"], raw[len(prefix):]) == (op_id, expected)


# ---------------------------------------------------------------- the shared rule


@pytest.mark.parametrize(("value", "segment"), [
    ("..", "%2E%2E"), (".", "%2E"), ("...", "%2E%2E%2E"), ("a.b", "a.b"), ("a/b", "a%2Fb"), ("a?b", "a%3Fb"),
    ("a#b", "a%23b"), ("%2e%2e", "%252e%252e"), ("a@b.io", "a%40b.io"), ("é", "%C3%A9"), (42, "42"),
])
def test_path_segment_encodes_one_opaque_segment(value: Any, segment: str) -> None:
    assert path_segment(value, "id") == segment


@pytest.mark.parametrize("value", ["", None, True, 1.5, "\ud800"])
def test_path_segment_refuses_what_cannot_be_a_segment_naming_the_parameter(value: Any) -> None:
    with pytest.raises(ValidationError) as ei:
        path_segment(value, "customer_id")
    assert ei.value.field == "customer_id" and "customer_id" in str(ei.value)


# ---------------------------------------------------------------- App API

APP_PATH_OPS = sorted(op_id for op_id, op in OPERATIONS.items()
                      if any(p.location == "path" for p in op.params))


def test_the_app_cases_cover_every_operation_with_a_path_parameter() -> None:
    in_spec = {op["operationId"] for _, path, op in operations("app_api") if "{" in path}
    assert set(APP_PATH_OPS) == in_spec and len(in_spec) > 80


@pytest.mark.parametrize("op_id", APP_PATH_OPS)
def test_app_path_parameters_are_one_segment_on_the_wire(op_id: str, cio: CustomerIO, emu: Emulator) -> None:
    method = methods_by_operation(cio.app, "app_api")[op_id]
    params = [p for p in OPERATIONS[op_id].params if p.location == "path"]
    strings = [p for p in params if p.type not in ("integer", "number", "boolean")]
    for hostile in HOSTILE:
        if strings:
            overrides = {p.arg: hostile for p in strings}
            args = sample_args(op_id, overrides=overrides)
            before = len(emu.requests)
            try:
                method(**args)
            except APIError:
                pass  # a 404 or 400 for an unknown id is fine: what matters is where it was sent
            expected = {p.name: str(args[p.arg]) for p in params}
            check_sent(emu, before, "app_api", op_id, expected)
        for p in params:
            if p in strings:
                continue
            before = len(emu.requests)
            with pytest.raises(ValidationError) as ei:
                method(**sample_args(op_id, overrides={p.arg: hostile}))
            assert ei.value.field == p.name, (op_id, hostile)
            assert len(emu.requests) == before


# ---------------------------------------------------------------- Track API

# How to call each Track operation with ``H`` in its path parameter(s) (the spec's names on the right).
TRACK_CALLS: dict[str, tuple[Callable[[str], dict[str, Any]], dict[str, str]]] = {
    "identify": (lambda h: {"id": h, "attributes": {"plan": "x"}}, {"identifier": "{h}"}),
    "delete": (lambda h: {"id": h}, {"identifier": "{h}"}),
    "add_device": (lambda h: {"id": h, "device_id": "tok", "platform": "ios"}, {"identifier": "{h}"}),
    "delete_device": (lambda h: {"email": h, "device_id": h}, {"identifier": "{h}", "device_id": "{h}"}),
    "suppress": (lambda h: {"cio_id": h}, {"identifier": "cio_{h}"}),
    "unsuppress": (lambda h: {"id": h}, {"identifier": "{h}"}),
    "unsubscribe": (lambda h: {"delivery_id": h}, {"delivery_id": "{h}"}),
    "track": (lambda h: {"id": h, "name": "viewed"}, {"identifier": "{h}"}),
    "submitForm": (lambda h: {"form_id": h, "data": {"email": "ada@example.com"}}, {"form_id": "{h}"}),
}
# segment_id is an integer: a hostile value is refused before sending.
TRACK_INTEGER_PARAMS = {"add_to_segment": "segment_id", "remove_from_segment": "segment_id"}


def test_the_track_cases_cover_every_operation_with_a_path_parameter() -> None:
    in_spec = {op["operationId"] for _, path, op in operations("track_api") if "{" in path}
    assert set(TRACK_CALLS) | set(TRACK_INTEGER_PARAMS) == in_spec


def test_pipelines_has_no_path_parameters() -> None:
    assert [path for _, path, _ in operations("pipelines_api") if "{" in path] == []


@pytest.mark.parametrize("op_id", sorted(TRACK_CALLS))
def test_track_path_parameters_are_one_segment_on_the_wire(op_id: str, cio: CustomerIO,
                                                           emu: Emulator) -> None:
    method = methods_by_operation(cio.track, "track_api")[op_id]
    build, shape = TRACK_CALLS[op_id]
    assert set(shape) == set(path_params("track_api", op_id))
    for hostile in HOSTILE:
        before = len(emu.requests)
        try:
            method(**build(hostile))
        except APIError:
            pass
        check_sent(emu, before, "track_api", op_id, {k: v.replace("{h}", hostile) for k, v in shape.items()})


@pytest.mark.parametrize("op_id", sorted(TRACK_INTEGER_PARAMS))
def test_track_integer_path_parameters_refuse_hostile_ids(op_id: str, cio: CustomerIO, emu: Emulator) -> None:
    method = methods_by_operation(cio.track, "track_api")[op_id]
    for hostile in HOSTILE:
        before = len(emu.requests)
        with pytest.raises(ValidationError) as ei:
            method(segment_id=hostile, ids=["u1"])
        assert ei.value.field == TRACK_INTEGER_PARAMS[op_id]
        assert len(emu.requests) == before


async def test_async_clients_share_the_rule(emu: Emulator) -> None:
    async with AsyncCustomerIO(**emu.settings(), rate_limits=False, retry=NO_RETRY) as acio:
        before = len(emu.requests)
        await acio.track.customers.identify(id="..", attributes={"plan": "x"})
        check_sent(emu, before, "track_api", "identify", {"identifier": ".."})
        before = len(emu.requests)
        await acio.app.customers.activities(customer_id="..")
        check_sent(emu, before, "app_api", "getPersonActivities", {"customer_id": ".."})


@pytest.mark.parametrize("kind", ["id", "email", "cio_id"])
def test_an_id_that_is_not_text_is_refused_naming_the_parameter(kind: str, cio: CustomerIO,
                                                                emu: Emulator) -> None:
    before = len(emu.requests)
    with pytest.raises(ValidationError) as ei:
        cio.track.customers.identify(**{kind: "a\ud800b"})
    assert ei.value.field == kind and len(emu.requests) == before
    with pytest.raises(ValidationError) as ei:
        cio.app.customers.attributes(customer_id="a\ud800b")
    assert ei.value.field == "customer_id" and len(emu.requests) == before
