"""The read side of the "customerio" data source: App API lists and the export flow as DataFrames.

``.option("list", "campaigns")`` drains a paginated App API list (``cio.app.campaigns.list()``);
``.option("export", "customers")`` runs the export flow (``cio.app.exports.fetch``: create, poll,
download). Both are fetched once, on the driver, when Spark asks for the schema, and the rows
travel with the reader, so every action on the DataFrame sees the same snapshot. Scalar fields
keep their types, nested ones (objects, lists) are JSON text; export identifier columns stay
strings. An empty list has the columns the spec documents for its items. One partition: this
first step is for the sizes these endpoints return.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pyspark.sql.datasource import DataSourceReader, InputPartition

from .._serialize import dumps
from ._options import ReadOptions

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql.types import StructType

__all__ = ["LISTS", "CustomerIOReader", "fetch", "spark_schema"]

# App API resources whose list() takes no arguments (paginated with ``start``).
LISTS = ("broadcasts", "campaigns", "collections", "exports", "newsletters", "reporting_webhooks", "segments",
         "snippets", "transactional", "workspaces")


def fetch(options: ReadOptions) -> pa.Table:
    """Fetch the list or export named by ``options`` with a client from the CIO_* variables."""
    import pyarrow as pa

    from .._client import CustomerIO

    with CustomerIO.from_env(env_file=None) as cio:
        if options.list is not None:
            resource = getattr(cio.app, options.list)
            items = list(resource.list())
            # No items, no columns to infer: the documented item's, so a select of them still works.
            return records_table(items) if items else documented_table(resource.list)
        assert options.export is not None
        result = cio.app.exports.fetch(options.export, filters=options.filters,  # type: ignore[arg-type]
                                       poll_interval=options.poll_interval, timeout=options.timeout,
                                       **options.fields)
        frame = result.to_pandas()
    return _plain(pa.Table.from_pandas(frame, preserve_index=False))


def _column(values: list[Any]) -> tuple[pa.DataType, list[Any]]:
    import pyarrow as pa

    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pa.bool_(), values
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pa.int64(), values
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pa.float64(), [None if v is None else float(v) for v in values]
    if all(isinstance(v, str) for v in present):
        return pa.string(), values
    # Nested or mixed: JSON text, which Spark's from_json reads back.
    return pa.string(), [None if v is None else v if isinstance(v, str) else dumps(v).decode() for v in values]


_SPEC_TYPES = {"integer": "int64", "number": "float64", "boolean": "bool_", "string": "string"}


def _item_properties(schema: Any, spec: Mapping[str, Any], out: dict[str, str]) -> None:
    """The top-level properties of an item schema and their spec types (across oneOf/anyOf/allOf)."""
    if not isinstance(schema, Mapping):
        return
    if isinstance(ref := schema.get("$ref"), str) and ref.startswith("#/"):
        target: Any = spec
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, Mapping) else {}
        _item_properties(target, spec, out)
    for name, prop in (schema.get("properties") or {}).items():
        kind = str(prop.get("type")) if isinstance(prop, Mapping) else ""
        out[name] = kind if out.get(name, kind) == kind else "mixed"
    for combined in ("oneOf", "anyOf", "allOf"):
        for part in schema.get(combined) or ():
            _item_properties(part, spec, out)


def documented_table(list_method: Any) -> pa.Table:
    """An empty table with the columns of the items the spec documents for a list method's operation."""
    import pyarrow as pa

    from ..app._generated.operations import OPERATIONS
    from ..specs import load_spec, operations
    from ..specs._registry import _ATTR

    _, operation_id = getattr(list_method, _ATTR)
    op = next(o for _, _, o in operations("app_api") if o.get("operationId") == operation_id)
    body = (((op.get("responses") or {}).get("200") or {}).get("content") or {}).get("application/json") or {}
    items = ((body.get("schema") or {}).get("properties") or {}).get(OPERATIONS[operation_id].result_key) or {}
    found: dict[str, str] = {}
    _item_properties(items.get("items"), load_spec("app_api"), found)
    # Scalars keep their types; nested or mixed fields are JSON text, as records_table makes them.
    return pa.schema([pa.field(n, getattr(pa, _SPEC_TYPES.get(t, "string"))()) for n, t in found.items()]).empty_table()


def records_table(records: Sequence[Any]) -> pa.Table:
    """List items as an Arrow table: a column per top-level field (in order of first appearance)."""
    import pyarrow as pa

    rows = [dict(r) if isinstance(r, Mapping) else {"value": r} for r in records]
    names = list(dict.fromkeys(k for r in rows for k in r))
    arrays, fields = [], []
    for name in names:
        type_, values = _column([r.get(name) for r in rows])
        arrays.append(pa.array(values, type_))
        fields.append(pa.field(name, type_))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _plain(table: pa.Table) -> pa.Table:
    # Spark reads plain strings; pandas and polars hand over large or view strings.
    import pyarrow as pa

    fields = [pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type) or pa.types.is_string_view(f.type)
              or pa.types.is_null(f.type) else f for f in table.schema]
    return table.cast(pa.schema(fields))


def spark_schema(table: pa.Table) -> StructType:
    """The Spark schema of a fetched table."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(table.schema)


class CustomerIOReader(DataSourceReader):
    """Yields the fetched rows (fetching them here when the schema came from the user)."""

    def __init__(self, options: ReadOptions, schema: StructType, table: pa.Table | None) -> None:
        self.options = options
        self.schema = schema
        self.table = table

    def partitions(self) -> Sequence[InputPartition]:
        """One partition."""
        return [InputPartition(0)]

    def read(self, partition: InputPartition) -> Iterator[pa.RecordBatch]:  # type: ignore[override]
        """The rows, in the order and types of the DataFrame's schema."""
        import pyarrow as pa
        from pyspark.sql.pandas.types import to_arrow_schema

        table = self.table if self.table is not None else fetch(self.options)
        target = to_arrow_schema(self.schema)
        columns = [table.column(f.name).cast(f.type) if f.name in table.schema.names
                   else pa.nulls(table.num_rows, f.type) for f in target]
        yield from pa.Table.from_arrays(columns, schema=target).to_batches()
