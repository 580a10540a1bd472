"""Metrics answers become tidy rows: one per (period, metric), with link and resource ids."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cio_toolkit._exceptions import ValidationError
from cio_toolkit.app._metrics import metrics_frame, period_starts, tidy_metrics
from cio_toolkit.specs import load_spec

from ._samples import example_from_schema

SPEC = load_spec("app_api")
NOW = dt.datetime(2024, 3, 15, 10, 30, tzinfo=dt.UTC)


def spec_example(path: str) -> dict:
    """The 200 answer of GET ``path`` built from the spec's own examples."""
    schema = SPEC["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return example_from_schema(schema, SPEC)


def test_link_metrics_from_the_spec_example():
    data = spec_example("/v1/campaigns/{campaign_id}/metrics/links")
    # The spec's example for a link series is [1, 3, 5, 7], one value per period, oldest first.
    assert data["links"][0]["metric"]["series"]["clicked"] == [1, 3, 5, 7]
    rows = tidy_metrics(data, kind="links", args={"campaign_id": 9, "period": "days", "steps": 4}, now=NOW)
    assert [(r["period_index"], r["value"]) for r in rows] == [(0, 1), (1, 3), (2, 5), (3, 7)]
    assert {r["link_id"] for r in rows} == {1234} and {r["href"] for r in rows} == {"https://docs.customer.io"}
    assert {r["campaign_id"] for r in rows} == {9} and {r["metric"] for r in rows} == {"clicked"}
    assert [r["period_start"] for r in rows] == [dt.datetime(2024, 3, d, tzinfo=dt.UTC) for d in (12, 13, 14, 15)]


@pytest.mark.parametrize("path", [
    "/v1/campaigns/{campaign_id}/metrics",
    "/v1/broadcasts/{broadcast_id}/metrics",
    "/v1/newsletters/{newsletter_id}/metrics",
    "/v1/transactional/{transactional_id}/metrics",
    "/v1/campaigns/{campaign_id}/actions/{action_id}/metrics",
    "/v1/newsletters/{newsletter_id}/contents/{content_id}/metrics",
])
def test_series_metrics_from_spec_examples(path):
    data = spec_example(path)
    series = data["metric"]["series"]
    frame = metrics_frame(data, kind="series", args={"period": "weeks"}, now=NOW)
    assert list(frame.columns) == ["period_index", "period_start", "metric", "value"]
    assert len(frame) == sum(len(v) for v in series.values())
    for name, values in series.items():
        assert frame.loc[frame.metric == name].sort_values("period_index")["value"].tolist() == values


def test_series_reshape_v1_ends_at_the_current_period():
    data = {"metric": {"series": {"sent": [5, 6, 7], "opened": [1, 2, 3]}}}
    frame = metrics_frame(data, kind="series", args={"campaign_id": 3, "period": "hours"}, now=NOW)
    assert list(frame.columns) == ["campaign_id", "period_index", "period_start", "metric", "value"]
    sent = frame[frame.metric == "sent"]
    assert sent["value"].tolist() == [5, 6, 7]
    assert sent["period_start"].tolist() == [pd.Timestamp(f"2024-03-15 {h:02d}:00", tz="UTC") for h in (8, 9, 10)]
    assert "UTC" in str(frame["period_start"].dtype)


def test_series_reshape_v2_starts_at_start_in_the_time_zone():
    data = {"metric": {"series": {"delivered": [10, 20]}}}
    start = int(dt.datetime(2024, 1, 30, 15, tzinfo=dt.UTC).timestamp())
    args = {"version": "2", "res": "monthly", "start": start, "tz": "America/New_York"}
    frame = metrics_frame(data, kind="series", args=args)
    assert [t.isoformat() for t in frame["period_start"]] == ["2024-01-01T00:00:00-05:00",
                                                              "2024-02-01T00:00:00-05:00"]


def test_journey_metrics():
    data = {"journey_metric": {"started": [4, 2], "finished": [1, 3]}}
    start = dt.datetime(2024, 5, 1, 7, tzinfo=dt.UTC)
    rows = tidy_metrics(data, kind="journey", args={"campaign_id": 1, "start": start, "res": "days"})
    assert [(r["metric"], r["period_start"].day, r["value"]) for r in rows] == [
        ("finished", 1, 1), ("started", 1, 4), ("finished", 2, 3), ("started", 2, 2)]


def test_month_and_week_arithmetic():
    starts = period_starts(3, args={"period": "months"}, now=dt.datetime(2024, 1, 20, tzinfo=dt.UTC))
    assert [s.date().isoformat() for s in starts] == ["2023-11-01", "2023-12-01", "2024-01-01"]
    starts = period_starts(2, args={"period": "weeks"}, now=NOW)
    assert starts[1] - starts[0] == dt.timedelta(weeks=1)
    with pytest.raises(ValidationError) as err:
        period_starts(2, args={"period": "fortnights"})
    assert err.value.field == "period"


def test_empty_and_odd_answers():
    assert tidy_metrics({}, kind="series") == []
    assert tidy_metrics({"links": []}, kind="links") == []
    assert metrics_frame(None, kind="links").columns.tolist() == ["link_id", "href", "period_index", "period_start",
                                                                  "metric", "value"]
    # A shorter series is aligned to the current period (its newest value is "now").
    rows = tidy_metrics({"metric": {"series": {"a": [1, 2, 3], "b": [9]}}}, kind="series", now=NOW)
    assert [r["period_index"] for r in rows if r["metric"] == "b"] == [2]
