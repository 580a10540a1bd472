"""Higher-level flows against the demo emulator: export into a DataFrame, metrics frames, async pages."""

from __future__ import annotations

from cio_toolkit.app import AppClient, AsyncAppClient
from cio_toolkit.app.filters import attr, segment


def test_customers_export_matches_the_segment(app: AppClient, tmp_path):
    seg = next(s for s in app.segments.list() if app.segments.customer_count(segment_id=s["id"]).get("count"))
    count = app.segments.customer_count(segment_id=seg["id"])["count"]
    result = app.exports.fetch("customers", filters=segment(seg["id"]), poll_interval=0.05, timeout=30)
    df = result.to_pandas()
    assert len(df) == count == len(result)
    members = {m.get("id") for m in app.segments.members(segment_id=seg["id"])}
    assert set(df["id"]) == members
    assert result.to_parquet(tmp_path / "seg.parquet").stat().st_size > 0


def test_deliveries_export(app: AppClient):
    campaign = next(iter(app.campaigns.list()))
    result = app.exports.fetch("deliveries", campaign_id=campaign["id"], poll_interval=0.05, timeout=30)
    assert result.export.get("type") == "deliveries"
    messages = app.campaigns.messages(campaign_id=campaign["id"]).to_list()
    frame = result.to_polars()
    assert frame.height == len(messages) == result.export["total"]
    assert set(frame["delivery_id"].to_list()) == {m["id"] for m in messages}
    assert frame["campaign_id"].unique().to_list() == [str(campaign["id"])]  # *_id columns stay strings


def test_metrics_frames(app: AppClient):
    campaign = next(iter(app.campaigns.list()))
    frame = app.campaigns.metrics_frame(campaign_id=campaign["id"], version="1", period="days", steps=7)
    assert {"campaign_id", "period_start", "metric", "value"} <= set(frame.columns)
    assert (frame["campaign_id"] == campaign["id"]).all()
    raw = app.campaigns.metrics(campaign_id=campaign["id"], version="1", period="days", steps=7)
    assert len(frame) == sum(len(v) for v in raw["series"].values())
    links = app.campaigns.link_metrics_frame(campaign_id=campaign["id"], period="days", steps=7)
    assert {"link_id", "href", "metric", "value"} <= set(links.columns)


async def test_async_client_on_the_emulator(aapp: AsyncAppClient):
    people = await aapp.customers.search(filter=attr("email").exists(), limit=2)
    ids = [p["id"] async for p in people]
    assert len(ids) > 2 and len(ids) == len(set(ids))  # more than one page, no duplicates
    campaign = (await (await aapp.campaigns.list()).to_list())[0]
    frame = await aapp.campaigns.metrics_frame(campaign_id=campaign["id"], version="1", period="weeks")
    assert not frame.empty
