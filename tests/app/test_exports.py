"""exports.fetch: create, poll, download (plain or gzip CSV from another host), read; and its failure modes."""

from __future__ import annotations

import gzip
import json

import pytest

from cio_toolkit._exceptions import APIError, NotReadyError, ValidationError
from cio_toolkit.app import AppClient, AsyncAppClient
from cio_toolkit.app._exports import csv_rows, decode_export, export_status, id_columns
from cio_toolkit.app.filters import attr, segment

from ._local import RoutedServer, json_reply

CSV = b"id,email,plan,lifetime_value\n007,ada@example.com,pro,12.5\n042,bob@example.com,free,0\n"


class ExportWorld:
    """An App API that finishes export 5 after ``pending_polls`` polls and a file host serving the CSV."""

    def __init__(self, *, pending_polls: int = 2, gzip_file: bool = True, final: str = "done",
                 payload: bytes | None = None, total: int = 2) -> None:
        self.pending_polls = pending_polls
        self.polls = 0
        self.final = final
        self.total = total
        self.created: list[tuple[str, dict]] = []
        if payload is None:
            payload = gzip.compress(CSV) if gzip_file else CSV
        self.files = RoutedServer(lambda m, p, h, b: (200, {"Content-Type": "application/octet-stream"}, payload))
        self.api = RoutedServer(self.route)

    def export(self, status: str) -> dict:
        return {"id": 5, "type": "customers", "status": status, "failed": status == "failed", "total": self.total}

    def route(self, method: str, path: str, headers: dict, body: bytes):
        if method == "POST" and path.startswith("/v1/exports/"):
            self.created.append((path, json.loads(body)))
            return json_reply({"export": self.export("pending")})
        if path == "/v1/exports/5":
            self.polls += 1
            return json_reply({"export": self.export(self.final if self.polls > self.pending_polls else "pending")})
        if path == "/v1/exports/5/download":
            return json_reply({"url": f"{self.files.url}/exports/5.csv.gz?X-Amz-Signature=s3cr3t"})
        return json_reply({"errors": [{"detail": "not found"}]}, 404)

    def __enter__(self) -> ExportWorld:
        self.files.__enter__()
        self.api.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.api.__exit__()
        self.files.__exit__()


def test_fetch_customers_polls_downloads_gzip_and_reads(tmp_path):
    with ExportWorld(pending_polls=2) as world, AppClient("k-app", base_url=world.api.url, rate_limits=False) as app:
        result = app.exports.fetch("customers", filters=segment(3) & attr("plan").exists(), poll_interval=0.01)
    assert world.created == [("/v1/exports/customers", {"filters": {"and": [
        {"segment": {"id": 3}}, {"attribute": {"field": "plan", "operator": "exists"}}]}})]
    assert world.polls == 3
    assert result.id == 5 and result.content == CSV and len(result) == 2
    df = result.to_pandas()
    assert df["id"].tolist() == ["007", "042"]  # identifiers stay strings
    assert df["lifetime_value"].tolist() == [12.5, 0.0]
    assert result.to_polars()["id"].to_list() == ["007", "042"]
    import pyarrow.parquet as pq

    table = pq.read_table(result.to_parquet(tmp_path / "out" / "people.parquet"))
    assert table.column("id").to_pylist() == ["007", "042"] and table.num_rows == 2
    # The API key goes to the API, never to the file host; the signed URL is not shown in the repr.
    assert all(h.get("Authorization") == "Bearer k-app" for _, _, h in world.api.seen)
    assert [h.get("Authorization") for _, _, h in world.files.seen] == [None]
    assert "s3cr3t" not in repr(result)


def test_fetch_deliveries_plain_csv():
    with (ExportWorld(pending_polls=0, gzip_file=False) as world,
          AppClient("k-app", base_url=world.api.url, rate_limits=False) as app):
        result = app.exports.fetch("deliveries", campaign_id=4, metric="sent", start=1700000000, poll_interval=0.01)
    assert world.created == [("/v1/exports/deliveries", {"campaign_id": 4, "metric": "sent", "start": 1700000000})]
    assert result.content == CSV


def test_fetch_times_out_with_a_clear_error():
    with (ExportWorld(pending_polls=10**6) as world,
          AppClient("k-app", base_url=world.api.url, rate_limits=False) as app):
        with pytest.raises(NotReadyError, match=r"export 5 was not done after 0.3 s \(status 'pending'\)"):
            app.exports.fetch("customers", filters=segment(1), poll_interval=0.05, timeout=0.3)


def test_failed_export_raises():
    with (ExportWorld(pending_polls=0, final="failed") as world,
          AppClient("k-app", base_url=world.api.url, rate_limits=False) as app,
          pytest.raises(APIError, match="export 5 failed")):
        app.exports.fetch("customers", filters=segment(1), poll_interval=0.01)


async def test_async_fetch():
    with ExportWorld(pending_polls=1) as world:
        async with AsyncAppClient("k-app", base_url=world.api.url, rate_limits=False) as app:
            result = await app.exports.fetch("customers", filters=segment(2), poll_interval=0.01)
    assert result.content == CSV and world.polls == 2


@pytest.mark.parametrize(("kind", "kw", "field"), [
    ("customers", {}, "filters"),
    ("customers", {"filters": segment(1), "campaign_id": 3}, "campaign_id"),
    ("deliveries", {"filters": segment(1), "campaign_id": 3}, "filters"),
    ("deliveries", {}, "newsletter_id"),
    ("deliveries", {"campaign_id": 1, "newsletter_id": 2}, "newsletter_id"),
    ("deliveries", {"campaign_id": 1, "colour": "red"}, "colour"),
    ("people", {}, "kind"),
    ("customers", {"filters": segment(1), "timeout": 0}, "timeout"),
])
def test_bad_input_is_refused_before_any_request(kind, kw, field):
    with ExportWorld() as world, AppClient("k-app", base_url=world.api.url, rate_limits=False) as app:
        with pytest.raises(ValidationError) as err:
            app.exports.fetch(kind, **kw)
        assert err.value.field == field
    assert world.api.seen == []


def test_pure_helpers():
    assert decode_export(gzip.compress(b"a,b\n1,2\n")) == b"a,b\n1,2\n"
    assert decode_export(b"a,b\n") == b"a,b\n"
    assert id_columns(b"\xef\xbb\xbfid,name,campaign_id,email\r\n1,x,2,y\r\n") == ["id", "campaign_id", "email"]
    assert export_status({"status": "done"}) == "done"
    assert export_status({"status": "done", "failed": True}) == "failed"
    assert export_status({}) == "pending"


def test_a_cut_short_gzip_download_is_an_api_error_saying_so():
    whole = gzip.compress(CSV * 50)
    with (ExportWorld(pending_polls=0, payload=whole[: len(whole) // 2]) as world,
          AppClient("k-app", base_url=world.api.url, rate_limits=False) as app,
          pytest.raises(APIError, match=r"export 5: the downloaded file \(\d+ bytes\) is not a complete gzip file")):
        app.exports.fetch("customers", filters=segment(1), poll_interval=0.01)


def test_a_file_with_fewer_rows_than_the_export_counted_is_an_error():
    with (ExportWorld(pending_polls=0, gzip_file=False, total=3) as world,
          AppClient("k-app", base_url=world.api.url, rate_limits=False) as app,
          pytest.raises(APIError, match="holds 2 rows but the export has 3; the download was cut short")):
        app.exports.fetch("customers", filters=segment(1), poll_interval=0.01)


def test_rows_are_counted_as_csv_records_not_lines():
    content = b'id,note\n1,"two\nlines"\n2,plain\n\n'
    with (ExportWorld(pending_polls=0, gzip_file=False, payload=content) as world,
          AppClient("k-app", base_url=world.api.url, rate_limits=False) as app):
        result = app.exports.fetch("customers", filters=segment(1), poll_interval=0.01)
    assert len(result) == 2 == len(result.to_pandas()) and csv_rows(b"id\n") == 0
