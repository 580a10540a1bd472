"""Summaries of stored webhook events (the flat schema of ``WebhookStore.to_pandas()``).

Counts are of distinct deliveries, not of events: a receiver may legitimately hold several events
for one delivery and metric (``full_resolution`` webhooks report every open and click).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cio_toolkit._exceptions import ValidationError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["bounces_by_domain", "metric_counts"]


def _require(events: pd.DataFrame, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in events.columns]
    if missing:
        raise ValidationError(
            f"events: missing column(s) {missing} (pass WebhookStore.to_pandas() or events_to_pandas())",
            field="events",
            limit=list(columns),
            actual=list(events.columns),
        )


def metric_counts(events: pd.DataFrame, *, object_type: str | None = "email") -> pd.DataFrame:
    """Distinct deliveries per metric as a tidy ``metric, value`` frame (feeds ``notebook.delivery_funnel``).

    ``object_type`` picks one channel (``None`` counts every channel together).
    """
    import pandas as pd

    _require(events, ("object_type", "metric", "delivery_id"))
    rows = events if object_type is None else events[events["object_type"] == object_type]
    rows = rows[rows["delivery_id"].notna()]
    counts = rows.groupby("metric")["delivery_id"].nunique()
    return pd.DataFrame({"metric": counts.index.astype(str), "value": counts.to_numpy(dtype="int64")})


def bounces_by_domain(events: pd.DataFrame) -> pd.DataFrame:
    """Email bounces per recipient domain: ``domain, messages, bounced, bounce_rate``, most bounces first."""
    import pandas as pd

    _require(events, ("object_type", "metric", "delivery_id", "recipient"))
    email = events[(events["object_type"] == "email") & events["delivery_id"].notna()]
    domain = email["recipient"].astype("string").str.rsplit("@", n=1).str[-1].str.lower()
    email = email.assign(domain=domain.fillna("(unknown)"))
    # A bounced delivery counts as attempted even if its sent event was not subscribed to.
    attempted = email[email["metric"].isin(["sent", "bounced"])].groupby("domain")["delivery_id"].nunique()
    bounced = email[email["metric"] == "bounced"].groupby("domain")["delivery_id"].nunique()
    out = pd.DataFrame({"messages": attempted, "bounced": bounced}).fillna(0).astype("int64")
    out["bounce_rate"] = out["bounced"] / out["messages"].where(out["messages"] > 0)
    out = out.rename_axis("domain").reset_index()
    return out.sort_values(["bounced", "domain"], ascending=[False, True], ignore_index=True)
