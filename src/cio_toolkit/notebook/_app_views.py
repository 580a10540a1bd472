"""Views of App API results for the notebooks: metric charts, delivery funnels, message tables.

The inputs are what the App client returns: tidy metrics frames (``*.metrics_frame()``: one row per
period and metric), message records (``messages.list()``, ``campaigns.messages()``, ...), a
customer from ``customers.attributes()``. Everything here except :func:`wait_for_trigger` is pure;
charts use matplotlib and return the Axes they drew on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._exceptions import ValidationError
from .._wait import wait_until

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from .._client import CustomerIO
    from ..app import AppClient

__all__ = [
    "FUNNEL_STAGES",
    "attributes_table",
    "changes_frame",
    "content_inventory",
    "delivery_funnel",
    "delivery_status",
    "messages_table",
    "metric_totals",
    "performance_summary",
    "plot_funnel",
    "plot_metrics",
    "transactional_templates",
    "wait_for_trigger",
    "with_datetimes",
]

FUNNEL_STAGES: tuple[str, ...] = ("sent", "delivered", "opened", "clicked", "converted")
_LINE_METRICS = ("sent", "delivered", "opened", "clicked")
# A message's status is the first of these it reached: complaints and failures outrank engagement,
# engagement outranks plain delivery.
_STATUS_ORDER = ("spammed", "unsubscribed", "bounced", "failed", "dropped", "undeliverable", "suppressed",
                 "converted", "clicked", "opened", "delivered", "sent", "deferred", "attempted", "drafted", "created")
# Metric timestamps shown as columns of a messages table, in the order a delivery goes through them.
_TIMELINE = ("created", "sent", "delivered", "opened", "clicked", "converted", "bounced", "spammed",
             "unsubscribed", "failed", "dropped", "undeliverable")
_REF_COLUMNS = ("campaign_id", "action_id", "newsletter_id", "content_id", "broadcast_id", "message_template_id")
# Snippets appear as {{ snippets.name }} (Customer.io's form) or {% snippet "name" %}.
_SNIPPET_RE = re.compile(r"""\{\{-?\s*snippets\.([A-Za-z0-9_-]+)|\{%-?\s*snippet\s+["']([^"']+)["']""")
_HREF_RE = re.compile(r"""href\s*=\s*["']([^"'{}\s]+)["']""", re.IGNORECASE)
_EPOCH_NAMES = frozenset({"created", "updated", "timestamp", "first_started", "sent_at", "queued_at", "processed_at"})


def _require_tidy(frame: pd.DataFrame, name: str = "frame") -> None:
    missing = [c for c in ("metric", "value") if c not in frame.columns]
    if missing:
        raise ValidationError(f"{name}: expected a tidy metrics frame with columns metric and value, "
                              f"missing {missing}", field=name, limit=["metric", "value"], actual=list(frame.columns))


def metric_totals(frame: pd.DataFrame, *, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Sum a tidy metrics frame over its periods: one column per metric, one row per ``by`` group (or one row)."""
    import pandas as pd

    _require_tidy(frame)
    keys = [by] if isinstance(by, str) else list(by or [])
    for key in keys:
        if key not in frame.columns:
            raise ValidationError(f"by: column {key!r} is not in the frame", field="by", limit=list(frame.columns),
                                  actual=key)
    if frame.empty:
        return pd.DataFrame(index=pd.Index([], name=keys[0]) if len(keys) == 1 else None)
    values = pd.to_numeric(frame["value"], errors="coerce").fillna(0)
    data = frame.assign(value=values)
    if keys:
        totals = data.pivot_table(index=keys, columns="metric", values="value", aggfunc="sum", fill_value=0)
    else:
        totals = data.groupby("metric")["value"].sum().to_frame().T.reset_index(drop=True)
    totals.columns.name = None
    return totals.astype("int64")


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den.where(den > 0)).astype("float64")


def performance_summary(frame: pd.DataFrame, *, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Totals and rates per ``by`` group: delivery, open, click, click-to-open, conversion, bounce, unsubscribe.

    Rates follow Customer.io's dashboard: delivery and bounce over sent, the others over delivered
    (click-to-open over opened). A rate with a zero denominator is NaN, not 0.
    """
    totals = metric_totals(frame, by=by)
    cols = ("sent", "delivered", "opened", "clicked", "converted", "bounced", "unsubscribed")
    out = totals.reindex(columns=list(cols), fill_value=0)
    out["delivery_rate"] = _ratio(out["delivered"], out["sent"])
    out["open_rate"] = _ratio(out["opened"], out["delivered"])
    out["click_rate"] = _ratio(out["clicked"], out["delivered"])
    out["click_to_open"] = _ratio(out["clicked"], out["opened"])
    out["conversion_rate"] = _ratio(out["converted"], out["delivered"])
    out["bounce_rate"] = _ratio(out["bounced"], out["sent"])
    out["unsubscribe_rate"] = _ratio(out["unsubscribed"], out["delivered"])
    return out


def delivery_funnel(data: pd.DataFrame, *, stages: Sequence[str] = FUNNEL_STAGES) -> pd.DataFrame:
    """Counts per funnel stage with the share of the first stage and of the previous one.

    ``data`` is a tidy metrics frame (values summed per metric) or a :func:`messages_table`
    or a deliveries export (rows with a ``<stage>_at`` time are counted per stage).
    """
    import pandas as pd

    if not stages:
        raise ValidationError("stages: needs at least one stage", field="stages", limit=1, actual=0)
    if "metric" in data.columns and "value" in data.columns:
        totals = metric_totals(data)
        counts = [int(totals[s].iloc[0]) if s in totals.columns and len(totals) else 0 for s in stages]
    elif any(f"{s}_at" in data.columns for s in stages):
        # messages_table() drops the time columns nobody reached: a missing column counts 0.
        counts = [int(data[f"{s}_at"].notna().sum()) if f"{s}_at" in data.columns else 0 for s in stages]
    else:
        raise ValidationError("data: expected a tidy metrics frame (metric, value) or rows with <stage>_at columns",
                              field="data", limit="metric/value or <stage>_at columns",
                              actual=list(data.columns))
    funnel = pd.DataFrame({"stage": list(stages), "count": counts})
    first = counts[0]
    funnel["of_first"] = [c / first if first else float("nan") for c in counts]
    funnel["of_previous"] = [float("nan") if i == 0 else (c / counts[i - 1] if counts[i - 1] else float("nan"))
                             for i, c in enumerate(counts)]
    return funnel


def plot_metrics(frame: pd.DataFrame, *, metrics: Sequence[str] = _LINE_METRICS, title: str | None = None,
                 ylabel: str = "messages", ax: Axes | None = None) -> Axes:
    """Line chart of a tidy metrics frame over time: one line per metric, summed over links and ids."""
    import matplotlib.pyplot as plt
    import pandas as pd

    _require_tidy(frame)
    if "period_start" not in frame.columns:
        raise ValidationError("frame: needs a period_start column (a *_metrics_frame result)", field="frame",
                              limit="period_start", actual=list(frame.columns))
    unknown = sorted(set(metrics) - set(frame["metric"].unique())) if not frame.empty else []
    if unknown:
        raise ValidationError(f"metrics: {unknown} not in the frame (it has {sorted(frame['metric'].unique())})",
                              field="metrics", limit=sorted(frame["metric"].unique()), actual=unknown)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.5))
    data = frame[frame["metric"].isin(list(metrics))].assign(value=lambda d: pd.to_numeric(d["value"]))
    wide = data.pivot_table(index="period_start", columns="metric", values="value", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=[m for m in metrics if m in wide.columns])
    if not wide.empty:
        wide.plot(ax=ax, marker="o", markersize=3, linewidth=1.6)
    ax.set_xlabel("")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    if title:
        ax.set_title(title)
    if not wide.empty:
        ax.legend(title="", loc="best", ncols=min(len(wide.columns), 6), frameon=False)
    return ax


def plot_funnel(funnel: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Bar chart of a :func:`delivery_funnel`, each bar labelled with its count and share of the first stage."""
    import matplotlib.pyplot as plt

    for col in ("stage", "count", "of_first"):
        if col not in funnel.columns:
            raise ValidationError(f"funnel: missing column {col!r} (pass a delivery_funnel() result)",
                                  field="funnel", limit=["stage", "count", "of_first"], actual=list(funnel.columns))
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.5))
    bars = ax.bar(funnel["stage"].astype(str), funnel["count"], color="#4C72B0")
    labels = [f"{c:,}" + ("" if share != share else f"\n{share:.0%}")
              for c, share in zip(funnel["count"], funnel["of_first"], strict=True)]
    ax.bar_label(bars, labels=labels, padding=2, fontsize=9)
    ax.set_ylabel("messages")
    ax.margins(y=0.25)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title)
    return ax


def delivery_status(metrics: Mapping[str, Any] | None, failure_message: str | None = None) -> str:
    """The outcome of one message from its ``metrics`` timestamps (``clicked``, ``bounced``, ...).

    Some answers carry only ``sent`` and ``delivered`` (a person's messages, per the spec); there a
    ``failure_message`` without a failure metric means the message failed.
    """
    reached = {k for k, v in (metrics or {}).items() if v}
    status = next((s for s in _STATUS_ORDER if s in reached), "created")
    if failure_message and status not in _STATUS_ORDER[:_STATUS_ORDER.index("converted")]:
        return "failed"
    return status


def messages_table(messages: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Messages (deliveries) as one row each: who, what, ``status``, and a UTC time per metric reached."""
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for msg in messages:
        metrics = msg.get("metrics") or {}
        idents = msg.get("customer_identifiers") or {}
        row: dict[str, Any] = {
            "id": msg.get("id"), "customer_id": msg.get("customer_id") or idents.get("id"),
            "email": idents.get("email"), "recipient": msg.get("recipient"), "type": msg.get("type"),
            "subject": msg.get("subject"), "status": delivery_status(metrics, msg.get("failure_message")),
            "failure_message": msg.get("failure_message"),
        }
        row.update({k: msg.get(k) for k in _REF_COLUMNS})
        row.update({f"{m}_at": metrics.get(m) or (msg.get("created") if m == "created" else None) for m in _TIMELINE})
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["id", "customer_id", "email", "recipient", "type", "subject", "status",
                                        "failure_message", *_REF_COLUMNS, *(f"{m}_at" for m in _TIMELINE)])
    # Keep only the references and times some message has, so a table of one campaign stays narrow.
    sparse = [*_REF_COLUMNS, *(f"{m}_at" for m in _TIMELINE if m != "created"), "failure_message"]
    frame = frame.drop(columns=[c for c in sparse if frame[c].isna().all()]) if rows else frame
    for col in [c for c in frame.columns if c.endswith("_at")]:
        frame[col] = pd.to_datetime(pd.to_numeric(frame[col]), unit="s", utc=True)
    for col in [c for c in _REF_COLUMNS if c in frame.columns]:
        frame[col] = pd.to_numeric(frame[col]).astype("Int64")
    return frame


def attributes_table(customer: Mapping[str, Any]) -> pd.DataFrame:
    """A person's attributes (from ``customers.attributes()``) as rows: attribute, value, last updated (UTC)."""
    import pandas as pd

    attributes = customer.get("attributes")
    if not isinstance(attributes, Mapping):
        raise ValidationError("customer: no attributes (pass the result of customers.attributes())",
                              field="customer.attributes", limit="object")
    stamps = customer.get("timestamps") or {}
    frame = pd.DataFrame({"attribute": list(attributes), "value": [attributes[k] for k in attributes],
                          "updated": [stamps.get(k) for k in attributes]})
    frame["updated"] = pd.to_datetime(pd.to_numeric(frame["updated"]), unit="s", utc=True)
    return frame.sort_values("attribute", ignore_index=True)


def with_datetimes(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A copy with Unix-seconds columns as UTC datetimes (default: ``created``, ``updated``, ``*_at``, ...)."""
    import pandas as pd

    out = frame.copy()
    if columns is None:
        columns = [c for c in out.columns if (c in _EPOCH_NAMES or str(c).endswith("_at"))
                   and pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c])]
    for col in columns:
        if col not in out.columns:
            raise ValidationError(f"columns: {col!r} is not in the frame", field="columns", limit=list(out.columns),
                                  actual=col)
        out[col] = pd.to_datetime(pd.to_numeric(out[col], errors="coerce"), unit="s", utc=True)
    return out


def changes_frame(before: Mapping[str, Any], after: Mapping[str, Any], *,
                  fields: Sequence[str] | None = None) -> pd.DataFrame:
    """The fields whose value differs between two versions of a record: field, before, after."""
    import pandas as pd

    names = list(fields) if fields is not None else sorted(set(before) | set(after))
    rows = [{"field": f, "before": before.get(f), "after": after.get(f)} for f in names
            if before.get(f) != after.get(f)]
    # object columns: values keep their own types (None stays None, ints stay ints) side by side.
    return pd.DataFrame(rows, columns=["field", "before", "after"], dtype=object)


def wait_for_trigger(client: CustomerIO | AppClient, *, broadcast_id: int, trigger_id: int, timeout: float = 120.0,
                     poll_interval: float = 2.0) -> dict[str, Any]:
    """Poll a broadcast trigger (broadcastStatus) until Customer.io has processed it; return its status."""
    if timeout <= 0:
        raise ValidationError(f"timeout: must be > 0, got {timeout}", field="timeout", limit="> 0", actual=timeout)
    if poll_interval <= 0:
        raise ValidationError(f"poll_interval: must be > 0, got {poll_interval}", field="poll_interval",
                              limit="> 0", actual=poll_interval)
    app = _app(client)

    def processed() -> dict[str, Any] | None:
        status = dict(app.broadcasts.triggers.get(broadcast_id=broadcast_id, trigger_id=trigger_id))
        return status if status.get("processed_at") else None

    return wait_until(processed, timeout=timeout, interval=poll_interval,
                      message=f"broadcast {broadcast_id} trigger {trigger_id} was not processed after {timeout:g} s; "
                              "check it later with broadcasts.triggers.get()")


def _app(client: CustomerIO | AppClient) -> AppClient:
    return client.app if hasattr(client, "app") else client  # type: ignore[return-value]


def transactional_templates(client: CustomerIO | AppClient) -> pd.DataFrame:
    """Every transactional template with its channel (email, twilio = SMS, push) and languages.

    The channel is the type of the template's latest message (a template's content type does not
    tell SMS from email); a template that never sent anything gets its content's type. Two
    requests per template.
    """
    import pandas as pd

    app = _app(client)
    rows = []
    for template in app.transactional.list():
        tid = int(template["id"])
        contents = list(app.transactional.contents(transactional_id=tid).items)
        latest = app.transactional.messages(transactional_id=tid, limit=1).items
        channel = latest[0].get("type") if latest else (contents[0].get("type") if contents else None)
        rows.append({"id": tid, "name": template.get("name"), "description": template.get("description"),
                     "channel": channel, "languages": sorted(str(c.get("language") or "default") for c in contents),
                     "content_ids": [c.get("id") for c in contents], "updated_at": template.get("updated_at")})
    frame = pd.DataFrame(rows, columns=["id", "name", "description", "channel", "languages", "content_ids",
                                        "updated_at"])
    return with_datetimes(frame, ["updated_at"])


def _content_row(kind: str, parent_id: Any, parent_name: Any, content: Mapping[str, Any]) -> dict[str, Any]:
    body = str(content.get("body") or "")
    snippets = sorted({a or b for a, b in _SNIPPET_RE.findall(body)})
    return {"kind": kind, "parent_id": parent_id, "parent_name": parent_name, "content_id": content.get("id"),
            "name": content.get("name"), "type": content.get("type"), "language": content.get("language") or "",
            "subject": content.get("subject"), "snippets": snippets, "links": sorted(set(_HREF_RE.findall(body))),
            "body_chars": len(body), "updated": content.get("updated")}


def content_inventory(client: CustomerIO | AppClient, *, campaigns: bool = True, broadcasts: bool = True,
                      newsletters: bool = True, transactional: bool = True) -> pd.DataFrame:
    """Every message content of the workspace in one table: where it lives, subject, snippets and links used.

    One request per list plus one per campaign, broadcast, newsletter and transactional template
    (the App API's 10 requests per second apply).
    """
    import pandas as pd

    app = _app(client)
    rows: list[dict[str, Any]] = []
    if campaigns:
        for c in app.campaigns.list():
            rows += [_content_row("campaign", c["id"], c.get("name"), a)
                     for a in app.campaigns.actions.list(campaign_id=int(c["id"]))]
    if broadcasts:
        for b in app.broadcasts.list():
            rows += [_content_row("broadcast", b["id"], b.get("name"), a)
                     for a in app.broadcasts.actions.list(broadcast_id=int(b["id"]))]
    if newsletters:
        for n in app.newsletters.list():
            rows += [_content_row("newsletter", n["id"], n.get("name"), v)
                     for v in app.newsletters.contents.list(newsletter_id=int(n["id"]))]
    if transactional:
        for t in app.transactional.list():
            rows += [_content_row("transactional", t["id"], t.get("name"), v)
                     for v in app.transactional.contents(transactional_id=int(t["id"]))]
    columns = ["kind", "parent_id", "parent_name", "content_id", "name", "type", "language", "subject", "snippets",
               "links", "body_chars", "updated"]
    return with_datetimes(pd.DataFrame(rows, columns=columns), ["updated"])
