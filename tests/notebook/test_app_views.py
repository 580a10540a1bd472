"""The notebook views of App API results, fed with real answers of the demo emulator."""

from __future__ import annotations

import math
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from cio_toolkit import CustomerIO, ValidationError
from cio_toolkit.app import AppClient
from cio_toolkit.notebook import (
    FUNNEL_STAGES,
    attributes_table,
    changes_frame,
    content_inventory,
    delivery_funnel,
    delivery_status,
    messages_table,
    metric_totals,
    performance_summary,
    plot_funnel,
    plot_metrics,
    transactional_templates,
    wait_for_trigger,
    with_datetimes,
)


@pytest.fixture(autouse=True)
def _close_figures() -> Any:
    yield
    plt.close("all")


def _campaign_frames(app: AppClient) -> tuple[dict[str, list[int]], pd.DataFrame]:
    raw: dict[str, list[int]] = dict(app.campaigns.metrics(campaign_id=1, version="1", period="days",
                                                           steps=7)["series"])  # type: ignore[arg-type,union-attr]
    frame = app.campaigns.metrics_frame(campaign_id=1, version="1", period="days", steps=7)
    return raw, frame


def test_metric_totals_sum_the_series_of_the_api(views_app: AppClient) -> None:
    raw, frame = _campaign_frames(views_app)
    totals = metric_totals(frame)
    assert len(totals) == 1
    for metric, values in raw.items():
        assert totals[metric].iloc[0] == sum(values), metric


def test_performance_summary_rates_follow_the_dashboard(views_app: AppClient) -> None:
    raw, frame = _campaign_frames(views_app)
    row = performance_summary(frame).iloc[0]
    sent, delivered, opened, clicked = (sum(raw[m]) for m in ("sent", "delivered", "opened", "clicked"))
    assert row["sent"] == sent and row["delivered"] == delivered
    assert row["delivery_rate"] == pytest.approx(delivered / sent)
    assert row["open_rate"] == pytest.approx(opened / delivered)
    assert row["click_rate"] == pytest.approx(clicked / delivered)
    assert row["click_to_open"] == pytest.approx(clicked / opened)
    assert row["bounce_rate"] == pytest.approx(sum(raw["bounced"]) / sent)


def test_performance_summary_by_group_and_zero_denominators() -> None:
    frame = pd.DataFrame({"variant": ["A", "A", "A", "B", "B"],
                          "metric": ["sent", "delivered", "opened", "sent", "delivered"],
                          "value": [10, 8, 4, 0, 0]})
    summary = performance_summary(frame, by="variant")
    assert list(summary.index) == ["A", "B"]
    assert summary.loc["A", "open_rate"] == pytest.approx(0.5)
    assert summary.loc["A", "clicked"] == 0  # metrics absent from the answer count as 0
    assert math.isnan(float(summary.loc["B", "delivery_rate"]))  # type: ignore[arg-type]  # nothing sent: no rate, not 0 %
    with pytest.raises(ValidationError) as err:
        metric_totals(frame, by="nope")
    assert err.value.field == "by"


def test_delivery_funnel_from_a_metrics_frame(views_app: AppClient) -> None:
    raw, frame = _campaign_frames(views_app)
    funnel = delivery_funnel(frame)
    assert list(funnel["stage"]) == list(FUNNEL_STAGES)
    assert list(funnel["count"]) == [sum(raw[s]) for s in FUNNEL_STAGES]
    assert funnel["of_first"].iloc[0] == 1.0
    assert funnel["of_previous"].iloc[2] == pytest.approx(sum(raw["opened"]) / sum(raw["delivered"]))
    assert math.isnan(funnel["of_previous"].iloc[0])


def test_delivery_funnel_from_exported_deliveries(views_app: AppClient) -> None:
    rows = with_datetimes(views_app.exports.fetch("deliveries", newsletter_id=2, poll_interval=0.05).to_pandas())
    funnel = delivery_funnel(rows, stages=("sent", "delivered", "opened"))
    assert list(funnel["count"]) == [int(rows[f"{s}_at"].notna().sum()) for s in ("sent", "delivered", "opened")]
    assert funnel["count"].iloc[0] > 0


def test_delivery_funnel_rejects_other_tables() -> None:
    with pytest.raises(ValidationError) as err:
        delivery_funnel(pd.DataFrame({"a": [1]}))
    assert err.value.field == "data"
    with pytest.raises(ValidationError) as err:
        delivery_funnel(pd.DataFrame({"metric": [], "value": []}), stages=())
    assert err.value.field == "stages"


def test_delivery_status_precedence() -> None:
    assert delivery_status({"sent": 1, "delivered": 2, "opened": 3, "clicked": 4}) == "clicked"
    assert delivery_status({"sent": 1, "delivered": 2, "opened": 3, "spammed": 5}) == "spammed"
    assert delivery_status({"sent": 1, "bounced": 2}) == "bounced"
    assert delivery_status({"sent": 1, "opened": None}) == "sent"
    assert delivery_status({}) == "created"
    # A person's messages carry only sent/delivered: the failure message decides.
    assert delivery_status({"sent": 1}, "550 mailbox does not exist") == "failed"
    assert delivery_status({"sent": 1, "bounced": 2}, "550 mailbox does not exist") == "bounced"


def test_messages_table_reports_what_happened_to_each_send(views_app: AppClient) -> None:
    ok = views_app.send.sms(transactional_message_id=3, to="+15550001111", identifiers={"id": "u1001"},
                            message_data={"code": "123456"})
    no_device = views_app.send.push(transactional_message_id=4, to="last_used", identifiers={"id": "u1001"})
    table = messages_table(views_app.messages.get(message_id=d["delivery_id"]) for d in (ok, no_device))
    assert list(table["id"]) == [ok["delivery_id"], no_device["delivery_id"]]
    assert table.loc[1, "status"] == "failed" and table.loc[1, "failure_message"]
    assert table.loc[0, "status"] != "failed" and table.loc[0, "subject"] == "Your Acme login code is 123456"
    assert str(table["created_at"].dt.tz) == "UTC"
    assert "campaign_id" not in table.columns  # references nobody has are dropped
    assert table["content_id"].notna().all()


def test_messages_table_of_nothing_has_the_columns() -> None:
    table = messages_table([])
    assert table.empty and {"id", "status", "created_at"} <= set(table.columns)


def test_attributes_table(views_app: AppClient) -> None:
    customer = views_app.customers.attributes(customer_id="u1001")
    table = attributes_table(customer)
    assert list(table.columns) == ["attribute", "value", "updated"]
    assert table["attribute"].is_monotonic_increasing
    row = table[table["attribute"] == "plan"].iloc[0]
    attributes: dict[str, Any] = dict(customer["attributes"])
    stamps: dict[str, Any] = dict(customer["timestamps"])
    assert row["value"] == attributes["plan"]
    assert row["updated"] == pd.Timestamp(stamps["plan"], unit="s", tz="UTC")
    with pytest.raises(ValidationError) as err:
        attributes_table({"id": "x"})
    assert err.value.field == "customer.attributes"


def test_with_datetimes() -> None:
    frame = pd.DataFrame({"id": [1], "created": [1700000000], "sent_at": [1700000100.0], "name": ["x"],
                          "done_at": ["not a time"], "active": [True]})
    out = with_datetimes(frame)
    assert out.loc[0, "created"] == pd.Timestamp("2023-11-14 22:13:20", tz="UTC")
    assert out.loc[0, "sent_at"] == pd.Timestamp("2023-11-14 22:15:00", tz="UTC")
    assert out.loc[0, "id"] == 1 and out.loc[0, "done_at"] == "not a time"  # only numeric time columns
    assert frame.loc[0, "created"] == 1700000000  # the input is left alone
    with pytest.raises(ValidationError) as err:
        with_datetimes(frame, ["missing"])
    assert err.value.field == "columns"


def test_changes_frame() -> None:
    changes = changes_frame({"a": 1, "b": "x", "c": None}, {"a": 1, "b": "y", "d": 2})
    assert changes.to_dict("records") == [{"field": "b", "before": "x", "after": "y"},
                                          {"field": "d", "before": None, "after": 2}]
    assert changes_frame({"a": 1}, {"a": 2}, fields=["b"]).empty


def test_plot_metrics_draws_one_summed_line_per_metric(views_app: AppClient) -> None:
    frame = views_app.newsletters.link_metrics_frame(newsletter_id=1, period="days", steps=30)
    assert frame["link_id"].nunique() > 1
    ax = plot_metrics(frame, metrics=["clicked"], title="clicks", ylabel="clicks")
    (line,) = ax.get_lines()
    expected = frame.groupby("period_start")["value"].sum()
    assert [float(y) for y in line.get_ydata()] == [float(v) for v in expected]  # type: ignore[arg-type,union-attr]
    assert ax.get_title() == "clicks" and ax.get_ylabel() == "clicks"
    with pytest.raises(ValidationError) as err:
        plot_metrics(frame, metrics=["opened_twice"])
    assert err.value.field == "metrics"


def test_plot_funnel_labels_counts_and_shares() -> None:
    funnel = delivery_funnel(pd.DataFrame({"metric": ["sent", "delivered", "opened"], "value": [200, 150, 50]}),
                             stages=("sent", "delivered", "opened"))
    ax = plot_funnel(funnel)
    assert [p.get_height() for p in ax.patches] == [200, 150, 50]  # type: ignore[attr-defined]
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["200\n100%", "150\n75%", "50\n25%"]
    with pytest.raises(ValidationError):
        plot_funnel(pd.DataFrame({"stage": ["sent"]}))


def test_transactional_templates_know_their_channel(views_app: AppClient) -> None:
    templates = transactional_templates(views_app).set_index("name")
    assert templates.loc["password_reset", "channel"] == "email"
    assert templates.loc["password_reset", "languages"] == ["default", "fr"]
    assert templates.loc["login_code", "channel"] == "twilio"
    assert templates.loc["order_shipped", "channel"] == "push"
    assert str(templates["updated_at"].dt.tz) == "UTC"


def test_content_inventory_covers_every_place_content_lives(views_app: AppClient) -> None:
    inventory = content_inventory(views_app)
    assert set(inventory["kind"]) == {"campaign", "broadcast", "newsletter", "transactional"}
    n_actions = sum(len(views_app.campaigns.actions.list(campaign_id=int(c["id"])).to_list())
                    for c in views_app.campaigns.list())
    assert (inventory["kind"] == "campaign").sum() == n_actions
    welcome = inventory[(inventory["kind"] == "campaign") & (inventory["content_id"] == 1)].iloc[0]
    assert welcome["snippets"] == ["footer"]  # {% snippet "footer" %} in the body
    assert "https://acme.example/help" in welcome["links"]
    assert set(inventory.loc[inventory["kind"] == "newsletter", "language"]) >= {"", "fr"}
    only = content_inventory(views_app, campaigns=False, broadcasts=False, newsletters=False)
    assert set(only["kind"]) == {"transactional"}


def test_wait_for_trigger_returns_the_processed_status(views_emu: Any) -> None:
    with CustomerIO(**views_emu.settings(), rate_limits=False) as cio:
        trigger = cio.app.send.broadcast(broadcast_id=2, ids=["u1001", "nobody-here"], id_ignore_missing=False)
        status = wait_for_trigger(cio, broadcast_id=2, trigger_id=trigger["id"], timeout=10, poll_interval=0.05)
        assert status["id"] == trigger["id"] and status["processed_at"] >= status["created_at"]
        assert cio.app.broadcasts.triggers.errors(broadcast_id=2, trigger_id=trigger["id"]).to_list()
        with pytest.raises(ValidationError) as err:
            wait_for_trigger(cio.app, broadcast_id=2, trigger_id=trigger["id"], timeout=0)
        assert err.value.field == "timeout"
