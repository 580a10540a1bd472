"""Coverage of the spec by the clients, and the pure helpers (no network needed)."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

from cio_toolkit._exceptions import ValidationError
from cio_toolkit.specs import operations
from cio_toolkit.specs._registry import build_registry, missing_operations
from cio_toolkit.track import AsyncTrackClient, TrackClient, event_id_for, new_event_id, person_path, v2
from cio_toolkit.track._checks import v1_attribute_value
from cio_toolkit.track._ulid import is_ulid


@pytest.mark.parametrize("cls", [TrackClient, AsyncTrackClient])
def test_every_track_operation_has_a_method(cls: type) -> None:
    assert missing_operations("track_api", cls) == []
    assert len({k for k in build_registry(cls) if k[0] == "track_api"}) == len(operations("track_api")) == 18


def test_sync_and_async_methods_take_the_same_keyword_only_parameters() -> None:
    sync, asyn = build_registry(TrackClient), build_registry(AsyncTrackClient)
    for key, where in sync.items():
        s_cls, s_name = where.split(".")
        a_cls, a_name = asyn[key].split(".")
        s_fn = getattr(_resource_class(TrackClient, s_cls), s_name)
        a_fn = getattr(_resource_class(AsyncTrackClient, a_cls), a_name)
        assert inspect.iscoroutinefunction(a_fn) and not inspect.iscoroutinefunction(s_fn)
        assert list(inspect.signature(s_fn).parameters) == list(inspect.signature(a_fn).parameters), key
        kinds = {p.kind for n, p in inspect.signature(s_fn).parameters.items() if n not in ("self", "item", "items")}
        assert kinds <= {inspect.Parameter.KEYWORD_ONLY}, key


def _resource_class(client: type, name: str) -> type:
    if name == client.__name__:
        return client
    import cio_toolkit.track._client as mod

    return getattr(mod, name)  # type: ignore[no-any-return]


def test_person_path_forms() -> None:
    assert person_path(id="a/b c") == "a%2Fb%20c"
    # One rule for every client (and the official package): "@" is percent-encoded too.
    assert person_path(email="Ada+1@example.com") == "Ada%2B1%40example.com"
    assert person_path(id="..") == "%2E%2E"
    assert person_path(cio_id="03000001") == "cio_03000001"
    assert person_path(cio_id="cio_03000001") == "cio_03000001"
    with pytest.raises(ValidationError, match="exactly one"):
        person_path()
    with pytest.raises(ValidationError) as info:
        person_path(id="")
    assert info.value.field == "id"


def test_ulids() -> None:
    a, b = new_event_id(), new_event_id()
    assert is_ulid(a) and is_ulid(b) and a != b
    assert event_id_for("k") == event_id_for("k") != event_id_for("k2")
    assert is_ulid(event_id_for("k")) and not is_ulid("8" * 26) and not is_ulid("short")


def test_v1_attribute_coercion() -> None:
    assert v1_attribute_value(None, "a") == ""
    assert v1_attribute_value(float("nan"), "a") == ""
    assert v1_attribute_value(2.0, "a") == 2
    assert v1_attribute_value(dt.datetime(2024, 1, 1, tzinfo=dt.UTC), "a") == 1704067200
    assert v1_attribute_value(dt.date(2024, 1, 1), "a") == "2024-01-01"
    for bad in (1.5, {"nested": 1}, [1]):
        with pytest.raises(ValidationError) as info:
            v1_attribute_value(bad, "attributes.x")
        assert info.value.field == "attributes.x"


def test_builders_keep_bad_rows_for_reporting() -> None:
    # A row without an identifier builds fine and is reported at send time, with its index.
    item = v2.person_identify(attributes={"a": 1})
    assert item["identifiers"] == {}
    assert v2.normalize_item(item)[2][0].field == "identifiers"
