from __future__ import annotations

from pathlib import Path

import orjson
import pyarrow.parquet as pq
from typer.testing import CliRunner

from cio_toolkit.webhooks import WebhookStore, parse_event
from cio_toolkit.webhooks._cli import app

from .conftest import payload

runner = CliRunner()


def test_export_writes_the_flat_schema_to_parquet(tmp_path: Path) -> None:
    store_path = tmp_path / "events.duckdb"
    with WebhookStore(store_path) as store:
        for i in range(5):
            raw = payload(f"x{i}", metric="opened")
            store.add(parse_event(raw), orjson.dumps(raw))
    target = tmp_path / "out.parquet"
    result = runner.invoke(app, ["export", "--store", str(store_path), "--to", str(target)])
    assert result.exit_code == 0, result.output
    assert "wrote 5 events" in result.output
    table = pq.read_table(target)
    assert table.num_rows == 5 and set(table.column("metric").to_pylist()) == {"opened"}
    assert table.schema.field("timestamp").type.tz == "UTC"


def test_export_of_a_missing_store_fails_clearly(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["export", "--store", str(tmp_path / "nope.duckdb"), "--to", str(tmp_path / "o.parquet")]
    )
    assert result.exit_code == 2 and "does not exist" in result.output
    assert not (tmp_path / "nope.duckdb").exists()


def test_serve_without_a_signing_key_names_the_variable(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CIO_WEBHOOK_SIGNING_KEY", raising=False)
    result = runner.invoke(app, ["serve", "--store", str(tmp_path / "e.duckdb")])
    assert result.exit_code == 2 and "CIO_WEBHOOK_SIGNING_KEY" in result.output
