"""Every source kind streams the same rows into the same calls."""

from __future__ import annotations

from pathlib import Path

import duckdb
import orjson
import polars as pl
import pyarrow.parquet as pq
import pytest

from cio_toolkit import ValidationError, bulk
from cio_toolkit.bulk._mapping import RowEncoder

from .conftest import events_table


def _bodies(source, **kw) -> list[dict]:
    src = bulk.open_source(source, batch_rows=kw.pop("batch_rows", 7))
    enc = RowEncoder("track", src.schema, bulk.ColumnMap(**kw))
    out, ordinal = [], 0
    for batch in src.batches():
        assert batch.num_rows <= 7  # streamed in bounded batches
        out.extend(orjson.loads(e.body) for e in enc.encode(batch, ordinal))
        ordinal += batch.num_rows
    return out


def test_all_sources_give_identical_calls(tmp_path: Path):
    table = events_table(40, prefix="src")
    expected = _bodies(table)
    assert len(expected) == 40
    df = table.to_pandas()
    pq.write_table(table, tmp_path / "e.parquet", row_group_size=9)
    df.to_csv(tmp_path / "e.csv", index=False)
    (tmp_path / "e.jsonl").write_bytes(b"\n".join(orjson.dumps(r) for r in table.to_pylist()))
    db = str(tmp_path / "e.duckdb")
    with duckdb.connect(db) as con:
        con.register("t", table)
        con.execute("CREATE TABLE events AS SELECT * FROM t")
    sources = {
        "pandas": df,
        "polars": pl.from_arrow(table),
        "polars lazy": pl.from_arrow(table).lazy(),
        "parquet": tmp_path / "e.parquet",
        "csv": str(tmp_path / "e.csv"),
        "jsonl": tmp_path / "e.jsonl",
        "duckdb": bulk.Query("SELECT * FROM events ORDER BY seq", database=db),
        "records": table.to_pylist(),
    }
    for name, source in sources.items():
        got = _bodies(source)
        assert [c["messageId"] for c in got] == [c["messageId"] for c in expected], name


def test_file_sources_have_a_stable_identity_and_frames_none(tmp_path: Path):
    table = events_table(5)
    pq.write_table(table, tmp_path / "a.parquet")
    a = bulk.open_source(tmp_path / "a.parquet")
    assert a.identity == bulk.open_source(str(tmp_path / "a.parquet")).identity and a.num_rows == 5
    assert bulk.open_source(table).identity is None


def test_bad_sources_are_named(tmp_path: Path):
    with pytest.raises(ValidationError, match="no such file"):
        bulk.open_source(tmp_path / "missing.parquet")
    (tmp_path / "x.xlsx").write_text("x")
    with pytest.raises(ValidationError, match="cannot tell the format"):
        bulk.open_source(tmp_path / "x.xlsx")
    with pytest.raises(ValidationError, match="unsupported type"):
        bulk.open_source(42)
