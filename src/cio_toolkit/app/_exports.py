"""Exports end to end: create, poll until done, download, read as a DataFrame or write Parquet.

``cio.app.exports.fetch("customers", filters=...)`` and ``fetch("deliveries", campaign_id=...)``
run exportPeopleData/exportDeliveriesData, getExport (polled, bounded by ``timeout``) and
downloadExport, then download the signed file URL. The file is CSV, sometimes gzip-compressed;
both are handled. Identifier columns (``id``, ``cio_id``, ``email``, ``*_id``) are read as strings
so ids such as ``007`` keep their leading zeros.

The signed URL is a credential for 15 minutes: it is never shown in reprs or errors, and the API
key is sent with the download only when the URL is on the API's own host (the emulator), never
to a storage host.

A download that is cut short never passes for the export: a gzip file that does not decompress,
or a file holding fewer rows than the export's ``total``, raises :class:`APIError` saying so.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urljoin

import httpx2

from .. import _constants as C
from .._exceptions import APIError, ValidationError
from .._transport import auth_header, error_for_exception, error_for_response, trust
from .._wait import wait_until, wait_until_async
from ._resource import AsyncResource, SyncResource
from .filters import Filter

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

__all__ = ["ExportKind", "ExportResult", "ExportsFetch", "AsyncExportsFetch", "export_call", "export_status",
           "decode_export", "id_columns", "csv_rows"]

ExportKind = Literal["customers", "deliveries"]
_DELIVERY_FIELDS = frozenset({"newsletter_id", "campaign_id", "transactional_message_id", "action_id", "start", "end",
                              "attributes", "metric", "drafts"})
_DELIVERY_TARGETS = ("newsletter_id", "campaign_id", "transactional_message_id", "action_id")


def export_call(kind: str, *, filters: Filter | Mapping[str, Any] | None, fields: Mapping[str, Any]
                ) -> tuple[str, dict[str, Any]]:
    """The operationId and arguments that create an export of ``kind`` (ValidationError on bad input)."""
    if kind == "customers":
        if filters is None:
            raise ValidationError("filters: required for a customers export (e.g. segment(1) or attr('x').exists())",
                                  field="filters", limit="required")
        if fields:
            raise ValidationError(f"{sorted(fields)[0]}: not accepted by a customers export (only filters)",
                                  field=sorted(fields)[0], limit="filters only")
        return "exportPeopleData", {"filters": filters}
    if kind == "deliveries":
        if filters is not None:
            raise ValidationError("filters: only customers exports take filters", field="filters",
                                  limit="customers only")
        unknown = sorted(set(fields) - _DELIVERY_FIELDS)
        if unknown:
            raise ValidationError(f"{unknown[0]}: not a deliveries export field (allowed: {sorted(_DELIVERY_FIELDS)})",
                                  field=unknown[0], limit=sorted(_DELIVERY_FIELDS))
        targets = [t for t in _DELIVERY_TARGETS if fields.get(t) is not None]
        if len(targets) != 1:
            raise ValidationError(
                f"{'/'.join(_DELIVERY_TARGETS)}: a deliveries export needs exactly one of them, got {len(targets)}",
                field=_DELIVERY_TARGETS[0], limit=1, actual=len(targets))
        return "exportDeliveriesData", dict(fields)
    raise ValidationError(f"kind: must be 'customers' or 'deliveries', got {kind!r}", field="kind",
                          limit=["customers", "deliveries"], actual=kind)


def export_status(export: Mapping[str, Any]) -> Literal["done", "pending", "failed"]:
    """The state of an export's metadata (``failed: true`` counts as failed whatever the status)."""
    if export.get("failed") or export.get("status") == "failed":
        return "failed"
    return "done" if export.get("status") == "done" else "pending"


def decode_export(content: bytes) -> bytes:
    """The CSV bytes of a downloaded export, gunzipped when the file is gzip-compressed."""
    if content[:2] == b"\x1f\x8b":
        return gzip.decompress(content)
    return content


def csv_rows(content: bytes) -> int:
    """Data rows of a CSV file (quoted values may span lines; blank lines are no rows)."""
    text = io.StringIO(content.decode("utf-8-sig", "replace"), newline="")
    return max(0, sum(1 for row in csv.reader(text) if row) - 1)


def id_columns(content: bytes) -> list[str]:
    """Columns of the CSV header that hold identifiers (read as strings, never as numbers)."""
    first = content.split(b"\n", 1)[0].decode("utf-8-sig", "replace").strip("\r")
    header = next(csv.reader([first]), [])
    return [c for c in header if c in ("id", "cio_id", "email", "phone") or c.endswith("_id")]


@dataclass
class ExportResult:
    """A finished export: its metadata and the CSV ``content``; read it with ``to_pandas()``/``to_polars()``."""

    export: dict[str, Any]
    content: bytes
    _url: str = field(default="", repr=False)

    @property
    def id(self) -> int | None:
        """The export id."""
        value = self.export.get("id")
        return int(value) if value is not None else None

    def to_pandas(self, **read_csv: Any) -> pd.DataFrame:
        """The rows as a pandas DataFrame (identifier columns as strings; extra ``read_csv`` options allowed)."""
        import pandas as pd

        if not self.content.strip():
            return pd.DataFrame()
        dtype = {c: "string" for c in id_columns(self.content)}
        return pd.read_csv(io.BytesIO(self.content), **{"dtype": dtype, **read_csv})

    def to_polars(self, **read_csv: Any) -> pl.DataFrame:
        """The rows as a polars DataFrame (identifier columns as strings)."""
        import polars as pl

        if not self.content.strip():
            return pl.DataFrame()
        overrides = dict.fromkeys(id_columns(self.content), pl.String)
        return pl.read_csv(io.BytesIO(self.content), **{"schema_overrides": overrides, "infer_schema_length": 10000,
                                                         **read_csv})

    def to_parquet(self, path: str | Path) -> Path:
        """Write the rows to a Parquet file (identifier columns as strings); return its path."""
        import pyarrow as pa
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not self.content.strip():
            pq.write_table(pa.table({}), target)
            return target
        types = dict.fromkeys(id_columns(self.content), pa.string())
        table = pacsv.read_csv(io.BytesIO(self.content), convert_options=pacsv.ConvertOptions(column_types=types))
        pq.write_table(table, target)
        return target

    def __len__(self) -> int:
        return csv_rows(self.content)


def _download_plan(client: Any, url: str) -> tuple[str, dict[str, str]]:
    base = client.base_url.rstrip("/")
    full = urljoin(base + "/", url) if not url.startswith(("http://", "https://")) else url
    headers = {"User-Agent": C.USER_AGENT}
    if full.startswith(base + "/"):
        headers["Authorization"] = auth_header(client.settings, "app")
    return full, headers


def _check_download(status: int, headers: Mapping[str, str], content: bytes, secrets: tuple[str, ...]) -> None:
    if status >= 400:
        raise error_for_response(status, headers, content, operation_id="downloadExport (file)", secrets=secrets)


class _Poll:
    """The export being waited for: each check reads it again (the first uses the creation answer)."""

    def __init__(self, export: dict[str, Any], timeout: float) -> None:
        self.export = export
        self.id = export.get("id")
        self.timeout = timeout
        self.fresh = True

    def settled(self) -> dict[str, Any] | None:
        state = export_status(self.export)
        if state == "failed":
            raise _failed_error(self.id)
        return self.export if state == "done" else None

    def message(self) -> str:
        return (f"export {self.id} was not done after {self.timeout:g} s (status {self.export.get('status')!r}); "
                f"fetch it later with exports.get(export_id={self.id})")


def _failed_error(export_id: Any) -> APIError:
    return APIError(f"export {export_id} failed on the Customer.io side; create a new one")


def _downloaded(export: dict[str, Any], content: bytes, url: str) -> ExportResult:
    """The export's file, checked whole: it decompresses and holds every row the export counted."""
    export_id = export.get("id")
    try:
        data = decode_export(content)
    except (OSError, EOFError, zlib.error) as exc:
        raise APIError(f"export {export_id}: the downloaded file ({len(content):,} bytes) is not a complete gzip "
                       f"file ({exc}); the download was cut short, fetch the export again") from None
    result = ExportResult(export, data, url)
    total = export.get("total")
    if isinstance(total, int) and total > 0 and (rows := len(result)) < total:
        raise APIError(f"export {export_id}: the downloaded file holds {rows:,} rows but the export has {total:,}; "
                       "the download was cut short, fetch the export again")
    return result


def _start(kind: str, filters: Filter | Mapping[str, Any] | None, fields: Mapping[str, Any], timeout: float,
           poll_interval: float) -> tuple[str, dict[str, Any]]:
    """Check a fetch's arguments; the call that creates the export."""
    if timeout <= 0:
        raise ValidationError(f"timeout: must be > 0, got {timeout}", field="timeout", limit="> 0", actual=timeout)
    if poll_interval <= 0:
        raise ValidationError(f"poll_interval: must be > 0, got {poll_interval}", field="poll_interval",
                              limit="> 0", actual=poll_interval)
    return export_call(kind, filters=filters, fields=fields)


class ExportsFetch(SyncResource):
    """Adds :meth:`fetch` (create, poll, download) to the exports resource."""

    def fetch(
        self, kind: ExportKind, *, filters: Filter | Mapping[str, Any] | None = None,
        poll_interval: float = 1.0, timeout: float = 600, **fields: Any,
    ) -> ExportResult:
        """Create a customers or deliveries export, wait until it is done, download it (exportPeopleData/exportDeliveriesData, getExport, downloadExport)."""
        op_id, args = _start(kind, filters, fields, timeout, poll_interval)
        poll = _Poll(dict(self._call(op_id, args) or {}), timeout)

        def check() -> dict[str, Any] | None:
            if not poll.fresh:
                poll.export = dict(self._call("getExport", {"export_id": poll.id}) or {})
            poll.fresh = False
            return poll.settled()

        export = wait_until(check, timeout=timeout, interval=poll_interval, message=poll.message)
        export_id = poll.id
        url = str((self._call("downloadExport", {"export_id": export_id}) or {}).get("url") or "")
        if not url:
            raise APIError(f"export {export_id}: downloadExport returned no url")
        full, headers = _download_plan(self._client, url)
        try:
            with httpx2.Client(timeout=self._client.timeout, follow_redirects=True,
                              verify=trust(self._client.settings)) as http:
                r = http.get(full, headers=headers)
        except httpx2.TransportError as exc:
            raise error_for_exception(exc, operation_id="downloadExport (file)") from None
        _check_download(r.status_code, r.headers, r.content, self._client.settings.secrets())
        return _downloaded(export, r.content, full)


class AsyncExportsFetch(AsyncResource):
    """Adds :meth:`fetch` (create, poll, download) to the async exports resource."""

    async def fetch(
        self, kind: ExportKind, *, filters: Filter | Mapping[str, Any] | None = None,
        poll_interval: float = 1.0, timeout: float = 600, **fields: Any,
    ) -> ExportResult:
        """Create a customers or deliveries export, wait until it is done, download it (exportPeopleData/exportDeliveriesData, getExport, downloadExport)."""
        op_id, args = _start(kind, filters, fields, timeout, poll_interval)
        poll = _Poll(dict(await self._call(op_id, args) or {}), timeout)

        async def check() -> dict[str, Any] | None:
            if not poll.fresh:
                poll.export = dict(await self._call("getExport", {"export_id": poll.id}) or {})
            poll.fresh = False
            return poll.settled()

        export = await wait_until_async(check, timeout=timeout, interval=poll_interval, message=poll.message)
        export_id = poll.id
        url = str((await self._call("downloadExport", {"export_id": export_id}) or {}).get("url") or "")
        if not url:
            raise APIError(f"export {export_id}: downloadExport returned no url")
        full, headers = _download_plan(self._client, url)
        try:
            async with httpx2.AsyncClient(timeout=self._client.timeout, follow_redirects=True,
                                          verify=trust(self._client.settings)) as http:
                r = await http.get(full, headers=headers)
        except httpx2.TransportError as exc:
            raise error_for_exception(exc, operation_id="downloadExport (file)") from None
        _check_download(r.status_code, r.headers, r.content, self._client.settings.secrets())
        return _downloaded(export, r.content, full)
