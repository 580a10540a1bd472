"""Sources for bulk loads: every input becomes a stream of Arrow record batches.

Files are streamed (Parquet row groups, CSV blocks, JSON Lines blocks, DuckDB result chunks),
so memory stays bounded by one batch however large the input. In-memory frames are sliced the
same way, so the rest of the pipeline sees one shape.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._exceptions import ValidationError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Query", "Source", "open_source", "DEFAULT_BATCH_ROWS"]

DEFAULT_BATCH_ROWS = 20_000
_PARQUET = (".parquet", ".pq")
_CSV = (".csv", ".csv.gz", ".tsv")
_JSONL = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".json")


@dataclass(frozen=True)
class Query:
    """A DuckDB SQL query used as a source; ``database`` is a DuckDB file (None: in-memory)."""

    sql: str
    database: str | None = None

    def __repr__(self) -> str:
        text = " ".join(self.sql.split())
        return f"Query({text[:80]!r}{', database=' + repr(self.database) if self.database else ''})"


class Source:
    """A re-readable input: ``batches()`` streams it from the start every time it is called."""

    def __init__(
        self, describe: str, opener: Any, *, num_rows: int | None, schema: pa.Schema, identity: str | None
    ) -> None:
        self.describe = describe
        self._opener = opener
        self.num_rows = num_rows
        self.schema = schema
        # Stable across processes for files and queries (used to name a job), None for frames.
        self.identity = identity

    @property
    def columns(self) -> list[str]:
        """Column names, in source order."""
        return list(self.schema.names)

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Stream the source from its first row, in record batches."""
        for batch in self._opener():
            if batch.num_rows:
                yield batch

    def __repr__(self) -> str:
        rows = f", rows={self.num_rows}" if self.num_rows is not None else ""
        return f"Source({self.describe}{rows})"


def _require_pyarrow() -> Any:
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - the data extra is the supported install
        raise ImportError("bulk loads need pyarrow: pip install 'cio_toolkit[data]'") from None
    return pa


def _file_identity(path: Path) -> str:
    st = path.stat()
    raw = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    return "file:" + hashlib.sha1(raw.encode()).hexdigest()[:16]


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in (*_PARQUET, *_CSV, *_JSONL):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def _parquet(path: Path, batch_rows: int) -> Source:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path)
    schema = meta.schema_arrow
    rows = meta.metadata.num_rows
    meta.close()

    def opener() -> Iterator[pa.RecordBatch]:
        # One ParquetFile per pass, so a second pass (or a resume) starts clean.
        with pq.ParquetFile(path, buffer_size=1 << 20, pre_buffer=False) as pf:
            yield from pf.iter_batches(batch_size=batch_rows, use_threads=False)

    return Source(f"parquet file {path.name}", opener, num_rows=rows, schema=schema, identity=_file_identity(path))


def _csv(path: Path, batch_rows: int, column_types: Mapping[str, Any] | None) -> Source:
    import pyarrow.csv as pcsv

    delimiter = "\t" if path.name.lower().endswith(".tsv") else ","
    # Big blocks make type inference see enough rows; explicit column_types win.
    read = pcsv.ReadOptions(block_size=8 << 20, use_threads=False)
    parse = pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True)
    convert = pcsv.ConvertOptions(column_types=dict(column_types or {}), strings_can_be_null=True)

    def opener() -> Iterator[pa.RecordBatch]:
        reader = pcsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert)
        try:
            for batch in reader:
                yield from _slices(batch, batch_rows)
        except Exception as exc:
            if type(exc).__name__ == "ArrowInvalid":
                raise ValidationError(
                    f"{path.name}: {exc}; a column's type changed past the first block: "
                    "pass column_types={'column': 'string', ...}",
                    field="column_types",
                ) from None
            raise

    reader = pcsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    schema = reader.schema
    reader.close()
    return Source(f"CSV file {path.name}", opener, num_rows=None, schema=schema, identity=_file_identity(path))


def _jsonl(path: Path, batch_rows: int) -> Source:
    import pyarrow as pa
    import pyarrow.json as pjson

    read = pjson.ReadOptions(block_size=8 << 20, use_threads=False)
    with pjson.open_json(path, read_options=read) as reader:
        inferred = reader.schema
    # Arrow's JSON reader turns "…+05:00" into UTC but also accepts zone-less text without a
    # trace; keep timestamps as text so each row's zone is checked like any other string time.
    as_text = [pa.field(f.name, pa.string()) for f in inferred if pa.types.is_timestamp(f.type)]
    parse = pjson.ParseOptions(explicit_schema=pa.schema(as_text), unexpected_field_behavior="infer")

    def opener() -> Iterator[pa.RecordBatch]:
        with pjson.open_json(path, read_options=read, parse_options=parse) as reader:
            for batch in reader:
                yield from _slices(batch, batch_rows)

    with pjson.open_json(path, read_options=read, parse_options=parse) as reader:
        schema = reader.schema
    return Source(f"JSON Lines file {path.name}", opener, num_rows=None, schema=schema, identity=_file_identity(path))


def _query(query: Query, batch_rows: int) -> Source:
    try:
        import duckdb
    except ImportError:  # pragma: no cover
        raise ImportError("SQL sources need duckdb: pip install 'cio_toolkit[data]'") from None

    def run() -> Any:
        con = duckdb.connect(query.database or ":memory:", read_only=bool(query.database))
        return con, con.sql(query.sql).to_arrow_reader(batch_rows)

    def opener() -> Iterator[pa.RecordBatch]:
        con, reader = run()
        try:
            yield from reader
        finally:
            con.close()

    con, reader = run()
    schema = reader.schema
    con.close()
    ident = "sql:" + hashlib.sha1(f"{query.database}|{query.sql}".encode()).hexdigest()[:16]
    return Source(f"DuckDB query {query!r}", opener, num_rows=None, schema=schema, identity=ident)


def _slices(batch: pa.RecordBatch, batch_rows: int) -> Iterator[pa.RecordBatch]:
    for start in range(0, batch.num_rows, batch_rows):
        yield batch.slice(start, batch_rows)


def _table(table: pa.Table, describe: str, batch_rows: int) -> Source:
    def opener() -> Iterator[pa.RecordBatch]:
        yield from table.to_batches(max_chunksize=batch_rows)

    return Source(describe, opener, num_rows=table.num_rows, schema=table.schema, identity=None)


def _pandas(df: Any, batch_rows: int) -> Source:
    pa = _require_pyarrow()
    # Convert slice by slice, so a large frame is never copied to Arrow all at once.
    # Table (not RecordBatch) conversion: pandas 3 string columns arrive as chunked Arrow arrays.
    schema = pa.Table.from_pandas(df.iloc[:1000], preserve_index=False).schema

    def opener() -> Iterator[Any]:
        for start in range(0, len(df), batch_rows):
            part = pa.Table.from_pandas(df.iloc[start : start + batch_rows], preserve_index=False)
            if part.schema != schema and _castable(part.schema, schema):
                part = part.cast(schema)
            yield from part.to_batches(max_chunksize=batch_rows)

    return Source(f"pandas DataFrame ({len(df)} rows)", opener, num_rows=len(df), schema=schema, identity=None)


def _castable(got: pa.Schema, want: pa.Schema) -> bool:
    # A slice that is all-null in one column infers type null; cast it back to the frame's type.
    return got.names == want.names and all(
        a.type == b.type or str(a.type) == "null" for a, b in zip(got, want, strict=True)
    )


def open_source(
    source: Any,
    *,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    column_types: Mapping[str, Any] | None = None,
) -> Source:
    """Wrap ``source`` (DataFrame, Arrow, file path, :class:`Query`, rows) as a streaming :class:`Source`."""
    if isinstance(source, Source):
        return source
    if batch_rows < 1:
        raise ValidationError(f"batch_rows: must be >= 1, got {batch_rows}", field="batch_rows", limit=1)
    pa = _require_pyarrow()
    if isinstance(source, Query):
        return _query(source, batch_rows)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise ValidationError(f"source: no such file {str(path)!r}", field="source")
        suffix = _suffix(path)
        if suffix in _PARQUET:
            return _parquet(path, batch_rows)
        if suffix in _CSV:
            return _csv(path, batch_rows, column_types)
        if suffix in _JSONL:
            return _jsonl(path, batch_rows)
        raise ValidationError(
            f"source: cannot tell the format of {path.name!r}; use .parquet, .csv, .tsv or .jsonl",
            field="source", limit="parquet|csv|tsv|jsonl",
        )
    if isinstance(source, pa.Table):
        return _table(source, f"Arrow table ({source.num_rows} rows)", batch_rows)
    if isinstance(source, pa.RecordBatch):
        return _table(pa.Table.from_batches([source]), f"Arrow record batch ({source.num_rows} rows)", batch_rows)
    if isinstance(source, pa.RecordBatchReader):
        # A reader can be consumed once; materialize it so a pre-flight pass and the send agree.
        return _table(source.read_all(), "Arrow record batch reader", batch_rows)
    module = type(source).__module__
    if module.startswith("pandas") and hasattr(source, "iloc"):
        return _pandas(source, batch_rows)
    if module.startswith("polars"):
        if hasattr(source, "collect"):  # LazyFrame
            source = source.collect()
        return _table(source.to_arrow(), f"polars DataFrame ({source.height} rows)", batch_rows)
    if hasattr(source, "__arrow_c_stream__"):
        return _table(pa.table(source), f"{type(source).__name__} (Arrow stream)", batch_rows)
    if isinstance(source, Iterable) and not isinstance(source, str | bytes | Mapping):
        rows = list(source)
        return _table(pa.Table.from_pylist(rows), f"{len(rows)} records", batch_rows)
    raise ValidationError(
        f"source: unsupported type {type(source).__name__}; pass a pandas/polars DataFrame, an Arrow table, "
        "a .parquet/.csv/.jsonl path, a bulk.Query or a list of dicts",
        field="source",
    )
