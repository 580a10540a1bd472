"""Column mapping, pre-flight validation and messageIds: dry runs, no server needed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect

import orjson
import pandas as pd
import pyarrow as pa
import pytest

from cio_toolkit import ValidationError, bulk
from cio_toolkit.bulk._mapping import Encoded, RowEncoder, fast_message_id
from cio_toolkit.bulk._spool import _HEAD, _TAIL, _Packer
from cio_toolkit.pipelines import BatchPacker, message_id_for

from .conftest import events_table, people_table


def _calls(table: pa.Table, kind: str, **kw) -> list[dict]:
    enc = RowEncoder(kind, table.schema, bulk.ColumnMap(**kw))
    out = []
    for item in enc.encode(table.to_batches()[0], 0):
        assert isinstance(item, Encoded), item
        out.append(orjson.loads(item.body))
    return out


def test_fast_message_id_is_uuid5_of_the_toolkit_namespace():
    for name in ["a", "track\x1f#1\x1f{}", "ü" * 70, ""]:
        assert fast_message_id(name.encode()) == message_id_for(name)


def test_track_mapping_builds_pipelines_calls():
    calls = _calls(events_table(3, prefix="m"), "track")
    first = calls[0]
    assert first["type"] == "track" and first["userId"] == "m-u0" and first["event"] == "signup"
    assert first["timestamp"] == "2024-01-01T00:00:00.000Z"
    assert first["properties"] == {"plan": "free", "amount": 0.0, "seq": 0}
    assert len({c["messageId"] for c in calls}) == 3


def test_identify_email_as_id_and_privacy_kinds():
    t = pa.table({"email": ["a@x.io", "b@x.io"], "plan": ["pro", None]})
    calls = _calls(t, "identify")
    assert calls[0]["userId"] == "a@x.io" and calls[0]["traits"] == {"plan": "pro", "email": "a@x.io"}
    assert calls[1]["traits"] == {"email": "b@x.io"}  # the null plan is left out, not sent as "remove"
    deleted = _calls(pa.table({"id": ["u1"], "plan": ["x"]}), "delete")
    assert deleted[0]["event"] == "User Deleted" and deleted[0]["type"] == "track" and "properties" not in deleted[0]
    assert _calls(pa.table({"id": ["u1"]}), "suppress")[0]["event"] == "User Suppressed"
    assert _calls(pa.table({"id": ["u1"]}), "unsuppress")[0]["event"] == "User Unsuppressed"


def test_group_alias_page_screen():
    g = _calls(pa.table({"user_id": ["u1"], "group_id": ["acme"], "object_type_id": ["2"], "tier": ["gold"]}), "group")
    assert g[0]["groupId"] == "acme" and g[0]["traits"] == {"object_type_id": "2", "tier": "gold"}
    a = _calls(pa.table({"user_id": ["u1"], "previous_id": ["anon-7"]}), "alias")
    assert a[0]["previousId"] == "anon-7" and a[0]["userId"] == "u1"
    p = _calls(pa.table({"anonymous_id": ["a1"], "name": ["Home"], "url": ["/"]}), "page")
    assert p[0]["anonymousId"] == "a1" and p[0]["name"] == "Home" and p[0]["properties"] == {"url": "/"}
    s = _calls(pa.table({"user_id": ["u1"], "name": ["Cart"]}), "screen")
    assert s[0]["type"] == "screen" and s[0]["name"] == "Cart"


def test_nested_columns_stay_nested_and_json_columns_are_parsed():
    t = pa.table({
        "id": ["u1"],
        "address": pa.array([{"city": "Oslo", "zip": "0150"}]),
        "tags": pa.array([["a", "b"]]),
        "prefs": ['{"email": true, "sms": {"opt": false}}'],
    })
    call = _calls(t, "identify", json_columns=("prefs",))[0]
    assert call["traits"]["address"] == {"city": "Oslo", "zip": "0150"}
    assert call["traits"]["tags"] == ["a", "b"]
    assert call["traits"]["prefs"] == {"email": True, "sms": {"opt": False}}


def test_nulls_send_keeps_explicit_null():
    t = pa.table({"id": ["u1"], "plan": pa.array([None], pa.string())})
    assert _calls(t, "identify", nulls="send")[0]["traits"] == {"plan": None}


def test_preflight_report_names_row_key_field_and_reason():
    big = "x" * 40_000
    df = pd.DataFrame({
        "user_id": ["ok", None, "late", "big", "longname", "u" * 200],
        "event": ["e", "e", "e", "e", "n" * 101, "e"],
        "timestamp": ["2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", "yesterday", "2024-01-01T00:00:00Z",
                      "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"],
        "note": ["", "", "", big, "", ""],
    })
    report = bulk.load(None, df, kind="track", dry_run=True, journal=None, progress=None)
    assert report.status == "dry-run" and report.rows_read == 6 and report.rejected == 5
    rej = report.rejections().set_index("row")
    assert rej.loc[1, "reason"] == "missing id"
    assert rej.loc[2, "field"] == "timestamp" and rej.loc[2, "reason"].startswith("bad timestamp")
    assert rej.loc[3, "reason"] == "call over 32 KB" and rej.loc[3, "limit"] == 32768 and rej.loc[3, "key"] == "big"
    assert rej.loc[4, "field"] == "event" and "100 bytes" in rej.loc[4, "reason"]
    assert rej.loc[5, "field"] == "userId" and "150 bytes" in rej.loc[5, "reason"]
    assert report.rejected_reasons["missing id"] == 1


def test_too_many_attributes_and_long_values_rejected():
    wide = {"id": ["u1", "u2"]} | {f"a{i}": [1, 1] for i in range(301)}
    report = bulk.load(None, pd.DataFrame(wide), kind="identify", dry_run=True, journal=None, progress=None)
    assert report.rejected == 2 and set(report.rejections()["reason"]) == {"too many attributes (over 300)"}
    long_value = pd.DataFrame({"id": ["u1"], "bio": ["y" * 1001]})
    rep = bulk.load(None, long_value, kind="identify", dry_run=True, journal=None, progress=None)
    row = rep.rejections().iloc[0]
    assert row["field"] == "bio" and row["limit"] == 1000 and row["actual"] == 1001


def test_mapping_errors_name_the_field():
    t = events_table(2)
    with pytest.raises(ValidationError) as e:
        RowEncoder("track", t.schema, bulk.ColumnMap(event="nope"))
    assert e.value.field == "event" and "user_id" in str(e.value)
    naive = pa.table({"id": ["u"], "timestamp": pa.array([dt.datetime(2024, 1, 1)], pa.timestamp("s"))})
    with pytest.raises(ValidationError, match="without a time zone") as e2:
        RowEncoder("identify", naive.schema)
    assert e2.value.field == "timestamp"
    with pytest.raises(ValidationError, match="kind"):
        RowEncoder("merge", t.schema)
    with pytest.raises(ValidationError, match="Track v2"):
        RowEncoder("alias", t.schema, api="track")
    with pytest.raises(ValidationError, match="no id column"):
        RowEncoder("identify", pa.table({"x": [1]}).schema)


def test_message_ids_are_stable_and_follow_content_and_key():
    t = events_table(50, prefix="stable")
    a = bulk.load(None, t, kind="track", dry_run=True, journal=None, progress=None)
    ids1 = _ids(t)
    assert ids1 == _ids(t)  # same source, same ids: a re-sent row deduplicates
    changed = t.set_column(t.schema.get_field_index("plan"), "plan", pa.array(["gold"] * 50))
    assert set(_ids(changed)).isdisjoint(ids1)  # changed content is a new message
    # With a key column the id no longer depends on the row's position.
    keyed = _ids(t, key=("seq",))
    reversed_keyed = _ids(t.take(list(range(49, -1, -1))), key=("seq",))
    assert sorted(keyed) == sorted(reversed_keyed)
    assert a.rejected == 0


def _ids(t: pa.Table, **kw) -> list[str]:
    enc = RowEncoder("track", t.schema, bulk.ColumnMap(**kw))
    return [e.message_id for b in t.to_batches() for e in enc.encode(b, 0)]


def test_packer_matches_batch_packer_boundaries():
    t = people_table(6000, prefix="pack")
    enc = RowEncoder("identify", t.schema)
    items = [e for b in t.to_batches() for e in enc.encode(b, 0)]
    ours, theirs = [], []
    packer = _Packer(60_000)
    for e in items:
        if (done := packer.add(e)) is not None:
            ours.append(done)
    ours.append(packer.flush())
    ref = BatchPacker(max_batch_bytes=60_000)
    for e in items:
        if (d := ref.add({"messageId": e.message_id}, e.body)) is not None:
            theirs.append(d)
    theirs.append(ref.flush())
    assert [b.ids for b in ours] == [b.message_ids for b in theirs]
    assert [b.body() for b in ours] == [b.body for b in theirs]
    bulk_packed: list = []
    many = _Packer(60_000)
    many.extend(items[:2500], bulk_packed.append)
    many.extend(items[2500:], bulk_packed.append)
    bulk_packed.append(many.flush())
    assert [b.ids for b in bulk_packed] == [b.ids for b in ours]
    assert all(len(b.body()) <= 60_000 for b in ours) and _HEAD and _TAIL


def test_load_plan_sync_and_sync_take_one_definition_of_the_column_options():
    defaults = {f.name: f.default for f in dataclasses.fields(bulk.ColumnMap) if f.name in bulk.ColumnOptions.__annotations__}
    assert defaults == {"fields": None, "exclude": (), "json_columns": (), "nulls": "skip"}
    for fn in (bulk.load, bulk.plan_sync, bulk.sync):
        params = inspect.signature(fn).parameters
        assert {k: params[k].default for k in defaults} == defaults, fn.__name__
        assert all(params[k].kind is inspect.Parameter.KEYWORD_ONLY for k in defaults), fn.__name__
        with pytest.raises(TypeError, match=rf"{fn.__name__}\(\) got an unexpected keyword argument 'exclud'"):
            fn(None, None, exclud=("x",))
