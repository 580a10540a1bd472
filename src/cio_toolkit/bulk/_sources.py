"""Sources for bulk loads: every input becomes a stream of Arrow record batches.

Files are streamed (Parquet row groups, CSV blocks, JSON Lines blocks, DuckDB result chunks),
so memory stays bounded by one batch however large the input. In-memory frames are sliced the
same way, so the rest of the pipeline sees one shape.

Values Arrow cannot hold (a pandas object column or records mixing types, text that is not
valid Unicode such as a lone surrogate) do not fail the source: the column keeps its main type,
the offending cell becomes null and its row is flagged in the hidden :data:`INVALID` column
("column\x1freason\x1fvalue"), which the encoder turns into a rejected row. The other rows go through.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import queue
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._exceptions import ValidationError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Query", "Source", "open_source", "read_ahead", "DEFAULT_BATCH_ROWS", "INVALID"]

DEFAULT_BATCH_ROWS = 20_000
# A hidden column some batches carry: per row, None or "column\x1freason\x1fvalue" for a value that
# could not be read (see invalid_note).
INVALID = "\x00cio:invalid"


def invalid_note(field: str, reason: str, actual: Any) -> str:
    """One cell of the INVALID column: the field, the reason and the offending value (shortened)."""
    return f"{field}\x1f{reason}\x1f{str(actual)[:80]}"
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
        self, describe: str, opener: Any, *, num_rows: int | None, schema: pa.Schema, identity: str | None,
        path: Path | None = None,
    ) -> None:
        self.describe = describe
        self._opener = opener
        self.num_rows = num_rows
        self.schema = schema
        # Stable across processes for files (their path) and queries (used to name a job), None for frames.
        self.identity = identity
        self.path = path

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


_END = object()


def read_ahead(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``batches``, the next one read on a thread while the caller works on the current one.

    Decoding Parquet (or CSV) releases the GIL, so reading overlaps encoding. The iterator runs,
    and is closed, on its own thread only; its errors are raised here, in order.
    """
    ready: queue.Queue[tuple[Any, BaseException | None]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(item: tuple[Any, BaseException | None]) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for batch in batches:
                if not put((batch, None)):
                    return
            put((_END, None))
        except BaseException as exc:  # raised again on the caller's thread
            put((_END, exc))
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=work, name="cio-bulk-read", daemon=True)
    thread.start()
    try:
        while True:
            batch, exc = ready.get()
            if batch is _END:
                if exc is not None:
                    raise exc
                return
            yield batch
    finally:
        stop.set()
        thread.join()


def _require_pyarrow() -> Any:
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - the data extra is the supported install
        raise ImportError("bulk loads need pyarrow: pip install 'cio_toolkit[data]'") from None
    return pa


def _file_identity(path: Path) -> str:
    # The path alone: a job named after a file is found again after the file changed, so a resume
    # can check the source fingerprint instead of silently starting a new job.
    return "file:" + hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]


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

    return Source(f"parquet file {path.name}", opener, num_rows=rows, schema=schema, identity=_file_identity(path),
                  path=path)


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
    return Source(f"CSV file {path.name}", opener, num_rows=None, schema=schema, identity=_file_identity(path),
                  path=path)


def _jsonl(path: Path, batch_rows: int) -> Source:
    import pyarrow as pa
    import pyarrow.json as pjson

    read = pjson.ReadOptions(block_size=8 << 20, use_threads=False)
    parse: Any = None
    try:
        with pjson.open_json(path, read_options=read) as reader:
            inferred = reader.schema
        # Arrow's JSON reader turns "…+05:00" into UTC but also accepts zone-less text without a
        # trace; keep timestamps as text so each row's zone is checked like any other string time.
        as_text = [pa.field(f.name, pa.string()) for f in inferred if pa.types.is_timestamp(f.type)]
        parse = pjson.ParseOptions(explicit_schema=pa.schema(as_text), unexpected_field_behavior="infer")
        with pjson.open_json(path, read_options=read, parse_options=parse) as reader:
            schema = reader.schema
    except pa.ArrowInvalid:
        # The first block already mixes types in a field, or holds a line that is not JSON.
        parse = None
        schema = _data_schema(next(_jsonl_python(path, None, batch_rows), pa.table({})))

    def opener() -> Iterator[pa.RecordBatch]:
        done = 0
        if parse is not None:
            try:
                with pjson.open_json(path, read_options=read, parse_options=parse) as reader:
                    for batch in reader:
                        for part in _slices(batch, batch_rows):
                            yield part
                            done += part.num_rows
                return
            except pa.ArrowInvalid:
                pass  # a later block has values Arrow's reader refuses: go on line by line from the same row
        for table in _jsonl_python(path, schema, batch_rows, skip=done):
            yield from table.to_batches(max_chunksize=batch_rows)

    return Source(f"JSON Lines file {path.name}", opener, num_rows=None, schema=schema, identity=_file_identity(path),
                  path=path)


def _jsonl_python(path: Path, schema: pa.Schema | None, batch_rows: int, *, skip: int = 0) -> Iterator[pa.Table]:
    """JSON Lines read line by line: a line that is not a JSON object, or a value of another type, fails its row only."""
    import gzip

    import orjson

    rows: list[dict[str, Any]] = []
    notes: list[str | None] = []
    seen = 0
    with (gzip.open if path.name.lower().endswith(".gz") else open)(path, "rb") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue  # as Arrow's reader does
            seen += 1
            if seen <= skip:
                continue
            try:
                obj = orjson.loads(line)
                note = None if isinstance(obj, dict) else invalid_note("line", "not a JSON object", f"line {lineno}")
            except orjson.JSONDecodeError as exc:
                obj, note = None, invalid_note("line", "not valid JSON", f"line {lineno}: {exc}")
            rows.append(obj if isinstance(obj, dict) else {})
            notes.append(note)
            if len(rows) == batch_rows:
                yield _rows_to_arrow(rows, notes, schema)
                rows, notes = [], []
    if rows:
        yield _rows_to_arrow(rows, notes, schema)


def _rows_to_arrow(rows: list[Any], notes: list[str | None] | None, schema: pa.Schema | None) -> pa.Table:
    if schema is not None:
        names: Iterable[str] = schema.names
    else:
        seen: dict[str, None] = {}
        for row in rows:
            seen.update(dict.fromkeys(row))
        names = seen
    return _columns_to_arrow({n: [row.get(n) for row in rows] for n in names}, schema, missing_nan=False,
                             reasons=notes, rows=len(rows))


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
    _require_pyarrow()
    # Convert slice by slice, so a large frame is never copied to Arrow all at once.
    # Table (not RecordBatch) conversion: pandas 3 string columns arrive as chunked Arrow arrays.
    schema = _data_schema(_frame_to_arrow(df.iloc[:1000], None))

    def opener() -> Iterator[Any]:
        for start in range(0, len(df), batch_rows):
            part = _frame_to_arrow(df.iloc[start : start + batch_rows], schema)
            yield from _conform(part, schema).to_batches(max_chunksize=batch_rows)

    return Source(f"pandas DataFrame ({len(df)} rows)", opener, num_rows=len(df), schema=schema, identity=None)


def _records(rows: list[Any], batch_rows: int) -> Source:
    import pyarrow as pa

    try:
        table = pa.Table.from_pylist(rows)
    except _CONVERSION_ERRORS:
        table = _rows_to_arrow(rows, None, None)
    return _table(table, f"{len(rows)} records", batch_rows)


def _data_schema(table: pa.Table) -> pa.Schema:
    return table.drop_columns([INVALID]).schema if INVALID in table.schema.names else table.schema


def _conform(part: pa.Table, schema: pa.Schema) -> pa.Table:
    """Cast a slice to the frame's schema where only all-null columns differ; the INVALID column stays."""
    flagged = INVALID in part.schema.names
    data = part.drop_columns([INVALID]) if flagged else part
    if data.schema != schema and _castable(data.schema, schema):
        data = data.cast(schema)
    return data.append_column(INVALID, part.column(INVALID)) if flagged else data


def _castable(got: pa.Schema, want: pa.Schema) -> bool:
    # A slice that is all-null in one column infers type null; cast it back to the frame's type.
    return got.names == want.names and all(
        a.type == b.type or str(a.type) == "null" for a, b in zip(got, want, strict=True)
    )


# How converting Python values to Arrow fails: ArrowInvalid and UnicodeEncodeError are ValueErrors,
# ArrowTypeError a TypeError, ArrowNotImplementedError a NotImplementedError, a Python int beyond
# 64 bits an OverflowError.
_CONVERSION_ERRORS: tuple[type[BaseException], ...] = (ValueError, TypeError, NotImplementedError, OverflowError)


def _frame_to_arrow(frame: Any, schema: pa.Schema | None) -> pa.Table:
    """A pandas frame as Arrow; columns Arrow refuses are salvaged value by value (see :func:`_salvage`)."""
    import pyarrow as pa

    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except _CONVERSION_ERRORS:
        pass  # one column (or a few) holds values Arrow cannot take as they are
    columns: dict[str, Any] = {}
    for name in frame.columns:
        try:
            columns[str(name)] = pa.Table.from_pandas(frame[[name]], preserve_index=False).column(0)
        except _CONVERSION_ERRORS:
            columns[str(name)] = frame[name].tolist()
    return _columns_to_arrow(columns, schema, missing_nan=True)


def _columns_to_arrow(columns: dict[str, Any], schema: pa.Schema | None, *, missing_nan: bool,
                      reasons: list[str | None] | None = None, rows: int | None = None) -> pa.Table:
    """Arrow columns as they are, Python lists salvaged; flagged rows (and ``reasons`` given) go to INVALID."""
    import pyarrow as pa

    n = rows if rows is not None else len(next(iter(columns.values()))) if columns else 0
    reasons = list(reasons) if reasons is not None else [None] * n
    arrays = {}
    for name, values in columns.items():
        if isinstance(values, list):
            want = schema.field(name).type if schema is not None and name in schema.names else None
            try:
                arrays[name] = pa.array(values, type=want, from_pandas=missing_nan)
                continue
            except _CONVERSION_ERRORS:
                arrays[name] = _salvage(values, name, want, reasons, missing_nan=missing_nan)
        else:
            arrays[name] = values
    table = pa.table(arrays) if arrays else pa.table({"\x00": pa.nulls(n)}).drop_columns(["\x00"])
    if any(r is not None for r in reasons):
        table = table.append_column(INVALID, pa.array(reasons, pa.string()))
    return table


_KIND_OF_TYPE = (("is_string", "text"), ("is_large_string", "text"), ("is_boolean", "bool"),
                 ("is_integer", "number"), ("is_floating", "number"), ("is_decimal", "number"),
                 ("is_struct", "object"), ("is_map", "object"), ("is_list", "list"), ("is_large_list", "list"),
                 ("is_timestamp", "datetime"), ("is_date", "date"), ("is_binary", "bytes"))


def _kind(value: Any) -> str:
    """The family of a Python value, as Arrow groups them (an int and a float can share a column)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, bytes):
        return "bytes"
    if isinstance(value, int | float) or type(value).__name__ == "Decimal":
        return "number"
    dtype = getattr(value, "dtype", None)  # numpy scalars and arrays
    if dtype is not None:
        if getattr(value, "ndim", 0):
            return "list"
        return {"b": "bool", "i": "number", "u": "number", "f": "number", "M": "datetime", "U": "text",
                "S": "bytes"}.get(dtype.kind, type(value).__name__)
    return type(value).__name__


def _type_kind(t: pa.DataType) -> str | None:
    import pyarrow as pa

    for test, kind in _KIND_OF_TYPE:
        if getattr(pa.types, test)(t):
            return kind
    return None


def _bad_text(value: Any) -> bool:
    """True when text inside ``value`` is not valid Unicode (a lone surrogate): it cannot be UTF-8 encoded."""
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, Mapping):
        return any(_bad_text(k) or _bad_text(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_bad_text(v) for v in value)
    return False


def _missing(value: Any, nan: bool) -> bool:
    if value is None:
        return True
    if nan and isinstance(value, float) and math.isnan(value):
        return True
    return nan and type(value).__name__ in ("NAType", "NaTType")


def _salvage(values: list[Any], name: str, want: pa.DataType | None, reasons: list[str | None], *,
             missing_nan: bool) -> pa.Array:
    """The column as ``want`` (or its most common kind of value), flagging the values that cannot be that."""
    import pyarrow as pa

    clean: list[Any] = [None if _missing(v, missing_nan) else v for v in values]

    def flag(i: int, reason: str) -> None:
        if reasons[i] is None:
            reasons[i] = invalid_note(name, reason, repr(clean[i]))
        clean[i] = None

    for i, v in enumerate(clean):
        if v is not None and _bad_text(v):
            flag(i, "invalid text: not valid Unicode (a lone surrogate); fix or remove the character")
    present = [v for v in clean if v is not None]
    main = _type_kind(want) if want is not None and str(want) != "null" else None
    if main is None:
        kinds = Counter(_kind(v) for v in present)
        main = kinds.most_common(1)[0][0] if kinds else None
        want = None
    for i, v in enumerate(clean):
        if v is not None and _kind(v) != main:
            what = type(v).__name__
            flag(i, f"mixed types: {'an' if what[0] in 'aeiou' else 'a'} {what} value in a column of {main} values")
    try:
        return pa.array(clean, type=want, from_pandas=missing_nan)
    except _CONVERSION_ERRORS:
        pass
    # Same kind, still refused (an int beyond int64, structs whose fields disagree): find them one by one.
    if want is None:
        first = next((v for v in clean if v is not None), None)
        want = pa.array([first], from_pandas=missing_nan).type if first is not None else pa.null()
    for i, v in enumerate(clean):
        if v is not None:
            try:
                pa.array([v], type=want, from_pandas=missing_nan)
            except _CONVERSION_ERRORS:
                flag(i, f"cannot be read as {want}")
    return pa.array(clean, type=want, from_pandas=missing_nan)


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
        return _records(list(source), batch_rows)
    raise ValidationError(
        f"source: unsupported type {type(source).__name__}; pass a pandas/polars DataFrame, an Arrow table, "
        "a .parquet/.csv/.jsonl path, a bulk.Query or a list of dicts",
        field="source",
    )
