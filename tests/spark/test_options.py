"""The data source's options without a SparkSession: what is refused, each task's share, a partition's packing."""

from __future__ import annotations

import pytest

pytest.importorskip("pyspark")

from cio_toolkit import RateLimit, ValidationError
from cio_toolkit.spark._options import ReadOptions, WriteOptions, task_rate
from cio_toolkit.spark._read import LISTS, records_table

BASE = {"kind": "track", "key": "event_id", "job": "orders-2026-12", "checkpoint": "/lake/cio/orders"}


@pytest.mark.parametrize("name", ["pipelines_api_key", "CIO_TRACK_API_KEY", "site_id", "app_api_key", "write_key",
                                  "password", "token"])
def test_an_option_that_looks_like_a_credential_is_refused_without_its_value(name):
    with pytest.raises(ValidationError, match="CIO_") as caught:
        WriteOptions.parse({**BASE, name: "s3cr3t-value"})
    assert "s3cr3t-value" not in str(caught.value) and caught.value.field == name.lower()


def test_options_are_parsed_with_the_column_roles_of_bulk_load():
    o = WriteOptions.parse({**BASE, "User_ID": "uid", "event": "name", "key": "a, b", "fields": "x,y",
                            "requests_per_second": "500", "resume": "true"})
    assert o.roles == {"user_id": "uid", "event": "name", "key": ("a", "b"), "fields": ("x", "y")}
    assert (o.requests_per_second, o.resume, o.api, o.concurrency) == (500.0, True, "pipelines", 4)


@pytest.mark.parametrize(("change", "field"), [
    ({"key": None}, "key"), ({"job": None}, "job"), ({"checkpoint": None}, "checkpoint"),
    ({"job": "../elsewhere"}, "job"), ({"evnet": "e"}, "evnet"), ({"requests_per_second": "-1"}, "requests_per_second"),
    ({"resume": "maybe"}, "resume"), ({"concurrency": "100"}, "concurrency"),
])
def test_bad_options_name_the_field(change, field):
    options = {k: v for k, v in {**BASE, **change}.items() if v is not None}
    with pytest.raises(ValidationError) as caught:
        WriteOptions.parse(options)
    assert caught.value.field == field


def test_each_task_gets_its_share_of_the_budget():
    assert task_rate("pipelines", None, 2) == RateLimit(500, 1.0)  # 3000 per 3 s over 2 tasks
    assert task_rate("track", None, 8) == RateLimit(125, 1.0)
    assert task_rate("pipelines", 500, 3) == RateLimit(166, 1.0)  # rounded down: never over the budget
    assert task_rate("pipelines", 2, 8) == RateLimit(1, 4.0)  # below one a second: one per 4 s
    for tasks in (1, 3, 7, 64):
        share = task_rate("pipelines", 900, tasks)
        assert tasks * share.limit / share.period <= 900


def test_read_options_take_exactly_one_of_list_or_export():
    assert ReadOptions.parse({"list": "campaigns"}, LISTS).list == "campaigns"
    o = ReadOptions.parse({"export": "deliveries", "campaign_id": "7"}, LISTS)
    assert o.fields == {"campaign_id": 7}
    for bad, field in (({}, "list"), ({"list": "people"}, "list"), ({"export": "orders"}, "export"),
                       ({"export": "customers", "filters": "[1]"}, "filters"),
                       ({"list": "segments", "app_api_key": "x"}, "app_api_key")):
        with pytest.raises(ValidationError) as caught:
            ReadOptions.parse(bad, LISTS)
        assert caught.value.field == field


def test_list_items_become_typed_columns_and_nested_fields_json():
    table = records_table([{"id": 1, "name": "a", "active": True, "tags": ["x"]},
                           {"id": 2, "score": 1.5, "meta": {"k": 1}}])
    types = {f.name: str(f.type) for f in table.schema}
    assert types == {"id": "int64", "name": "string", "active": "bool", "tags": "string", "score": "double",
                     "meta": "string"}
    assert table.column("tags").to_pylist() == ['["x"]', None] and table.column("meta")[1].as_py() == '{"k":1}'


@pytest.mark.parametrize("api", ["pipelines", "track"])  # the column-wise path, and the row-by-row one
def test_a_partition_is_packed_by_bulks_preflight_skipping_what_an_earlier_attempt_acknowledged(api):
    import pyarrow as pa

    from cio_toolkit.bulk._columns import ColumnEncoder, unsupported
    from cio_toolkit.bulk._journal import AckedIds
    from cio_toolkit.bulk._mapping import Encoded
    from cio_toolkit.bulk._preflight import pack_stream
    from cio_toolkit.spark._encode import encoder_for, keys_and_ids, new_report

    n = 1200
    table = pa.table({"event_id": [f"e{i}" for i in range(n)], "user_id": [f"u{i % 7}" if i != 3 else None
                                                                          for i in range(n)],
                      "event": ["viewed"] * n, "amount": [i * 0.5 for i in range(n)]})
    encoder = encoder_for("track", api, table.schema, {"key": ("event_id",)})
    assert (unsupported(encoder) is None) == (api == "pipelines")
    expected = [e.message_id for e in encoder.encode(table.to_batches()[0], 0) if isinstance(e, Encoded)]
    parts = table.to_batches(max_chunksize=250)
    columns = [keys_and_ids(ColumnEncoder(encoder), b) for b in parts]
    # Arrow columns of each batch's length: the rejected row keeps its key, its id is null.
    assert all(k.type == i.type == pa.string() and len(k) == len(i) == b.num_rows
               for (k, i), b in zip(columns, parts, strict=True))
    keys, ids = pa.concat_arrays([k for k, _ in columns]), pa.concat_arrays([i for _, i in columns])
    assert keys.to_pylist() == table.column("event_id").to_pylist() and ids.null_count == 1
    assert not ids[3].is_valid and ids.drop_null().to_pylist() == expected  # bulk's row encoder's ids
    report = new_report("j", "track", api, "t", "s", {})
    batches = list(pack_stream(encoder, table.to_batches(max_chunksize=250), report,
                               acked=AckedIds.of(expected[:100])))
    assert [i for b in batches for i in b.ids] == expected[100:]
    assert (report.rows_read, report.rejected, report.skipped) == (n, 1, 100)
