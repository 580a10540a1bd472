"""Export: Customer.io data back out as DataFrames or Parquet, through the App API.

``export(cio, "customers", filters=segment(3), to="people.parquet")`` runs the App API's export
flow (create, poll, download) via ``cio.app.exports.fetch``; ``export_pages(page, to=...)``
drains any paginated App API list with a progress bar.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._exceptions import ValidationError
from ._progress import make_progress

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["export", "export_pages"]

_FORMATS = (".parquet", ".pq", ".csv")


def _target(to: str | os.PathLike[str] | None) -> Path | None:
    if to is None:
        return None
    path = Path(to)
    if path.suffix.lower() not in _FORMATS:
        raise ValidationError(f"to: {path.name!r} must end in .parquet or .csv", field="to", limit=_FORMATS)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def export(
    cio: Any,
    kind: str,
    *,
    to: str | os.PathLike[str] | None = None,
    filters: Any = None,
    poll_interval: float = 1.0,
    timeout: float = 600,
    progress: str | bool | None = "auto",
    **fields: Any,
) -> pd.DataFrame:
    """Export ``customers`` (needs ``filters``) or ``deliveries`` (needs e.g. ``campaign_id``) into a DataFrame.

    With ``to`` the rows are also written to a .parquet or .csv file. Identifier columns stay
    strings (leading zeros kept).
    """
    path = _target(to)
    bar = make_progress(progress)
    bar.phase(f"export {kind}", None)
    try:
        bar.note("waiting for Customer.io to build the file")
        result = cio.app.exports.fetch(kind, filters=filters, poll_interval=poll_interval, timeout=timeout, **fields)
        df = result.to_pandas()
        bar.update(len(df))
        bar.note(f"export {result.id}: {len(df):,} rows")
    finally:
        bar.close()
    if path is not None:
        if path.suffix.lower() == ".csv":
            path.write_bytes(result.content)
        else:
            result.to_parquet(path)
    return df


def _parquet_safe(df: pd.DataFrame) -> pd.DataFrame:
    # Columns mixing lists, dicts and scalars have no single Arrow type: keep them as JSON text.
    import pyarrow as pa

    from .._serialize import dumps

    out = df.copy()
    for col in out.columns:
        if out[col].dtype != object:
            continue
        try:
            pa.array(out[col].tolist())
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
            out[col] = [None if v is None else dumps(v).decode() if isinstance(v, list | dict) else str(v)
                        for v in out[col]]
    return out


def export_pages(
    page: Any,
    *,
    to: str | os.PathLike[str] | None = None,
    flatten: bool = True,
    progress: str | bool | None = "auto",
    limit: int | None = None,
) -> pd.DataFrame:
    """Drain a paginated App API list (a Page from e.g. ``cio.app.campaigns.list()``) into a DataFrame.

    Shows items fetched with a progress bar; ``limit`` stops after that many items; ``to``
    also writes a .parquet or .csv file. Nested objects become dotted columns when ``flatten``.
    """
    from .._pagination import records_to_pandas

    if not hasattr(page, "iter_pages"):
        raise ValidationError(f"page: expected a Page from an App API list call, got {type(page).__name__}",
                              field="page")
    path = _target(to)
    records: list[Mapping[str, Any]] = []
    bar = make_progress(progress)
    bar.phase(f"export {getattr(page, 'items_key', 'items')}", None, unit="items")
    pages = 0
    try:
        for p in page.iter_pages():
            pages += 1
            items = list(p.items)
            if limit is not None:
                items = items[: max(0, limit - len(records))]
            records.extend(items)
            bar.update(len(items))
            bar.note(f"{pages} pages")
            if limit is not None and len(records) >= limit:
                break
    finally:
        bar.close()
    df = records_to_pandas(records, flatten=flatten)
    if path is not None:
        if path.suffix.lower() == ".csv":
            df.to_csv(path, index=False)
        else:
            _parquet_safe(df).to_parquet(path, index=False)
    return df
