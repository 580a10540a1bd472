"""A data engineer's edges of the "customerio" data source: options refused on the driver, reads typed as documented.

The SparkSession and its emulator are the package's (conftest.py).
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (java on PATH)", allow_module_level=True)

from cio_toolkit import CustomerIO, ValidationError
from cio_toolkit.emulator import Emulator
from cio_toolkit.spark._options import ReadOptions, WriteOptions
from cio_toolkit.spark._read import LISTS, fetch, spark_schema

pytestmark = [pytest.mark.spark,
              pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")]

BASE = {"kind": "track", "key": "event_id", "job": "rv", "checkpoint": "/lake/cio/rv"}
COHORT = '{"attribute": {"field": "email", "operator": "exists"}}'


def read(spark: Any, **options: str) -> Any:
    reader = spark.read.format("customerio")
    for name, value in options.items():
        reader = reader.option(name, value)
    return reader.load()


@pytest.mark.parametrize(("filters", "where"), [
    ('{"atribute": {"field": "plan", "operator": "eq", "value": "pro"}}', "filters: 'atribute'"),
    ('{"attribute": {"field": "plan", "operator": "like", "value": "pro"}}', "filters.attribute.operator"),
    ('{"attribute": {"operator": "exists"}}', "filters.attribute.field"),
    ('{"segment": {"id": "7"}}', "filters.segment.id"),
    ('{"and": [{"segment": {"id": 1}}, {"or": "x"}]}', "filters.and[1].or"),
    ('{"and": []}', "filters.and"),
    ('{"segment": {"id": 1}, "attribute": {"field": "plan", "operator": "exists"}}', "filters"),
    ('{"not": {"segment": {"id": 1}, "x": 1}}', "filters.not"),
])
def test_an_export_filter_outside_the_apis_grammar_is_refused_naming_where(filters, where):
    with pytest.raises(ValidationError, match="filters") as caught:
        ReadOptions.parse({"export": "customers", "filters": filters}, LISTS)
    assert str(caught.value).startswith(where) and caught.value.field == "filters"
    good = '{"and": [{"segment": {"id": 1}}, {"not": {"attribute": {"field": "plan", "operator": "eq", "value": "x"}}}]}'
    assert ReadOptions.parse({"export": "customers", "filters": good}, LISTS).filters["and"][0] == {"segment": {"id": 1}}


def test_a_misspelled_filter_exports_nobody_instead_of_everybody(spark, cio: CustomerIO):
    before = len(list(cio.app.exports.list()))
    with pytest.raises(Exception, match="filters: 'atribute'"):
        read(spark, export="customers", filters='{"atribute": {"field": "plan", "operator": "exists"}}')
    assert len(list(cio.app.exports.list())) == before  # refused on the driver: no export was created


def test_deliveries_export_options_are_typed_as_the_api_documents(cio: CustomerIO, emu: Emulator, monkeypatch):
    o = ReadOptions.parse({"export": "deliveries", "campaign_id": "1", "drafts": "false", "attributes": "plan, country",
                           "start": "1700000000", "metric": "opened"}, LISTS)
    assert o.fields == {"campaign_id": 1, "drafts": False, "attributes": ["plan", "country"], "start": 1700000000,
                        "metric": "opened"}
    for bad, field in (({"campaign_id": "abc"}, "campaign_id"), ({"campaign_id": "1", "drafts": "perhaps"}, "drafts")):
        with pytest.raises(ValidationError) as caught:
            ReadOptions.parse({"export": "deliveries", **bad}, LISTS)
        assert caught.value.field == field
    expected = cio.app.exports.fetch("deliveries", campaign_id=1, drafts=False, poll_interval=0.05)
    for name, value in emu.env().items():  # what the data source's planner runs, over HTTP
        monkeypatch.setenv(name, value)
    rows = fetch(ReadOptions.parse({"export": "deliveries", "campaign_id": "1", "drafts": "false",
                                    "poll_interval": "0.05"}, LISTS))
    assert rows.num_rows == len(expected) > 0 and str(rows.schema.field("delivery_id").type) == "string"
    with pytest.raises(ValidationError, match="only an export takes filters"):
        ReadOptions.parse({"list": "segments", "filters": COHORT}, LISTS)


def test_a_path_or_a_fractional_count_is_refused_not_ignored(spark):
    for change, field in (({"path": "/lake/cio/orders"}, "path"), ({"concurrency": "2.5"}, "concurrency"),
                          ({"tasks": "1.5"}, "tasks")):
        with pytest.raises(ValidationError) as caught:
            WriteOptions.parse({**BASE, **change})
        assert caught.value.field == field
    with pytest.raises(Exception, match="path"):
        spark.read.format("customerio").option("list", "campaigns").load("campaigns")


def test_an_empty_list_has_the_columns_of_the_documented_items(spark, emu: Emulator, monkeypatch):
    with Emulator(keys=emu.keys) as bare:  # no campaigns: what the data source's planner fetches, over HTTP
        for name, value in bare.env().items():
            monkeypatch.setenv(name, value)
        empty = fetch(ReadOptions.parse({"list": "campaigns"}, LISTS))
    assert empty.num_rows == 0
    types = {f.name: f.dataType.simpleString() for f in spark_schema(empty).fields}
    assert types["id"] == "bigint" and types["name"] == "string" and types["active"] == "boolean"
    seeded = dict(read(spark, list="campaigns").dtypes)  # the same columns, typed alike, once there are items
    assert {n: seeded[n] for n in ("id", "name", "active", "actions")} == {n: types[n] for n in
                                                                          ("id", "name", "active", "actions")}
