"""Values a source cannot carry fail their own row, not the load; NaN and infinity are reported, not hidden."""

from __future__ import annotations

import json
import math

import orjson
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from cio_toolkit import ValidationError, bulk


def _attrs(emulator, pid: str) -> dict | None:
    person = emulator.store.find_person(id=pid)
    if person is None:
        return None
    a = person["attributes"]
    return json.loads(a) if isinstance(a, str) else a


def test_a_mixed_type_object_column_rejects_the_odd_rows_and_delivers_the_rest(cio, emulator):
    df = pd.DataFrame({"id": [f"mix-{i}" for i in range(6)],
                       "plan": pd.Series(["pro", 5, "free", "team", {"x": 1}, "pro"], dtype=object)})
    report = bulk.load(cio, df, kind="identify", journal=None, progress=None)
    assert report.ok and report.rows_read == 6 and report.rejected == 2 and report.acknowledged == 4
    rej = report.rejections().set_index("row")
    assert list(rej.index) == [1, 4] and set(rej["field"]) == {"plan"}
    assert rej.loc[1, "reason"] == "mixed types: an int value in a column of text values"
    assert rej.loc[1, "key"] == "mix-1" and rej.loc[1, "actual"] == "5" and rej.loc[4, "actual"] == "{'x': 1}"
    assert _attrs(emulator, "mix-2")["plan"] == "free" and _attrs(emulator, "mix-1") is None


def test_mixed_types_past_the_first_slice_are_caught_against_the_frame_schema():
    plan = pd.Series(["free"] * 2500, dtype=object)
    plan[2200] = 3.5
    df = pd.DataFrame({"id": [f"late-{i}" for i in range(2500)], "plan": plan})
    report = bulk.load(None, df, kind="identify", dry_run=True, journal=None, progress=None, batch_rows=1000)
    assert report.rows_read == 2500 and report.rejected == 1
    row = report.rejections().iloc[0]
    assert row["row"] == 2200 and row["field"] == "plan" and "float value" in row["reason"]


@pytest.mark.parametrize("as_records", [False, True], ids=["pandas", "records"])
def test_a_lone_surrogate_rejects_its_row_only(as_records: bool):
    rows = [{"id": "s-0", "bio": "fine"}, {"id": "s-1", "bio": "broken \ud800 text"}, {"id": "s-2", "bio": "ok"}]
    source = rows if as_records else pd.DataFrame({k: pd.Series([r[k] for r in rows], dtype=object) for k in rows[0]})
    report = bulk.load(None, source, kind="identify", dry_run=True, journal=None, progress=None)
    assert report.rows_read == 3 and report.rejected == 1
    row = report.rejections().iloc[0]
    assert row["row"] == 1 and row["field"] == "bio" and "not valid Unicode" in row["reason"]


def test_nan_and_infinity_are_counted_per_column_and_treated_as_empty_cells(cio, emulator):
    frame = pl.DataFrame({"id": ["nan-0", "nan-1", "nan-2", "nan-3"],
                          "score": [1.5, math.nan, math.inf, -math.inf],
                          "ratio": [math.nan, 0.5, 0.25, 1.0]})
    dry = bulk.load(None, frame, kind="identify", dry_run=True, journal=None, progress=None)
    assert dry.non_finite == {"score": 3, "ratio": 1}
    assert "NaN/inf (no JSON form, treated as empty cells): 3 in 'score', 1 in 'ratio'" in str(dry)
    assert dry.summary()["non_finite"] == {"score": 3, "ratio": 1}
    report = bulk.load(cio, frame, kind="identify", journal=None, progress=None)
    assert report.ok and report.acknowledged == 4
    # Left out like an empty cell: not sent as null, which would erase the attribute.
    assert _attrs(emulator, "nan-1") == {"ratio": 0.5}
    assert _attrs(emulator, "nan-0") == {"score": 1.5}


def test_nan_with_nulls_send_is_sent_as_null():
    table = pa.table({"id": ["u"], "score": [math.nan]})
    enc = bulk._mapping.RowEncoder("identify", table.schema, bulk.ColumnMap(nulls="send"))
    (item,) = list(enc.encode(table.to_batches()[0], 0))
    assert json.loads(item.body)["traits"] == {"score": None} and enc.non_finite == {"score": 1}


def test_json_lines_with_mixed_types_bad_lines_and_invalid_text_fail_only_those_rows(tmp_path):
    lines = [orjson.dumps({"id": f"jl-{i}", "plan": "pro", "pad": "x" * 200}) for i in range(50_000)]
    lines[40_000] = orjson.dumps({"id": "jl-40000", "plan": 7})  # past Arrow's first 8 MB block
    lines[45_000] = b'{"id": "jl-45000", "plan": "broken \\ud800 text"}'
    lines[49_000] = b"{not json"
    (tmp_path / "people.jsonl").write_bytes(b"\n".join(lines))
    report = bulk.load(None, tmp_path / "people.jsonl", kind="identify", dry_run=True, journal=None, progress=None)
    assert report.rows_read == 50_000 and report.rejected == 3
    rej = report.rejections().set_index("row")
    assert rej.loc[40_000, "field"] == "plan" and rej.loc[40_000, "actual"] == "7"
    assert rej.loc[45_000, "reason"] == rej.loc[49_000, "reason"] == "not valid JSON"
    assert rej.loc[49_000, "actual"].startswith("line 49001:")


def test_json_lines_mixing_types_from_the_first_line_deliver_the_other_rows(cio, emulator, tmp_path):
    lines = [b'{"id": "jf-0", "plan": 5}', b'{"id": "jf-1", "plan": "pro"}', b"", b'{"id": "jf-2", "plan": "free"}',
             b'{"id": "jf-3", "plan": "team"}']
    (tmp_path / "people.jsonl").write_bytes(b"\n".join(lines))
    report = bulk.load(cio, tmp_path / "people.jsonl", kind="identify", journal=None, progress=None)
    assert report.ok and report.rows_read == 4 and report.rejected == 1 and report.acknowledged == 3
    assert report.rejections().iloc[0]["row"] == 0
    assert _attrs(emulator, "jf-2")["plan"] == "free" and _attrs(emulator, "jf-0") is None


def test_a_binary_column_refuses_the_load_naming_it_and_a_bytes_value_names_its_field():
    table = pa.table({"id": ["b-0"], "blob": pa.array([b"\x00\x01"], pa.binary())})
    with pytest.raises(ValidationError, match="blob: binary column") as err:
        bulk.load(None, table, kind="identify", dry_run=True, journal=None, progress=None)
    assert err.value.field == "blob"
    report = bulk.load(None, table, kind="identify", dry_run=True, journal=None, progress=None, exclude=["blob"])
    assert report.rows_read == 1 and report.rejected == 0
    # Bytes inside a nested cell still reach the encoder: the row fails, naming the path.
    nested = [{"id": "n-0", "meta": {"raw": b"\xff"}}, {"id": "n-1", "meta": {"n": 1}}]
    report = bulk.load(None, nested, kind="identify", dry_run=True, journal=None, progress=None)
    row = report.rejections().iloc[0]
    assert report.rejected == 1 and row["row"] == 0 and row["field"] == "traits.meta.raw"
    assert "bytes is not JSON serializable" in row["reason"] and "base64" in row["reason"]


def test_a_composite_key_with_a_null_part_names_that_column():
    table = pa.table({"id": ["k-0", "k-1"], "k1": ["a", "b"], "k2": ["x", None]})
    report = bulk.load(None, table, kind="identify", key=["k1", "k2"], dry_run=True, journal=None, progress=None)
    row = report.rejections().iloc[0]
    assert report.rejected == 1 and row["row"] == 1 and row["field"] == "k2" and row["reason"] == "missing row key"
