"""Batches: a Data Pipelines /v1/batch and a Track v2 /api/v2/batch, each read back."""

from __future__ import annotations

import pytest

from cio_toolkit.pipelines import calls
from cio_toolkit.track import v2

from ._live import Live


@pytest.mark.live("pipelines", "app", writes=True)
def test_pipelines_batch(live: Live) -> None:
    """Operations: Pipelines batch (identify x2, track, group); App getPersonAttributes, getPersonActivities,
    getPersonRelationships."""
    first, second, account = live.person("batch-cdp-1"), live.person("batch-cdp-2"), live.object_id("batch-account")
    result = live.cio.pipelines.batch([
        calls.identify(user_id=first, traits=live.traits(plan="pro")),
        calls.identify(user_id=second, traits=live.traits(plan="free")),
        calls.track(user_id=first, event="cio_live_batch_event", properties={"n": 1}),
        calls.group(user_id=second, group_id=account, object_type_id=live.object_type_id,
                    traits=live.traits(name="Batch account")),
    ])
    assert result.calls == 4, result
    live.attribute(first, "plan", "pro")
    live.attribute(second, "plan", "free")
    live.activity(first, "cio_live_batch_event")
    live.wait(lambda: [r for r in live.cio.app.customers.relationships(customer_id=second)
                       if r.get("identifiers", {}).get("object_id") == account], f"{second} related to {account}")


@pytest.mark.live("track", "app", writes=True)
def test_track_v2_batch(live: Live) -> None:
    """Operations: Track v2 batch (person identify x2, person event); App getPersonAttributes, getPersonActivities."""
    first, second = live.person("batch-v2-1"), live.person("batch-v2-2")
    result = live.cio.track.v2.batch([
        v2.person_identify(id=first, attributes=live.traits(plan="pro")),
        v2.person_identify(id=second, attributes=live.traits(plan="free")),
        v2.person_event(id=first, name="cio_live_v2_event", attributes={"n": 2}),
    ])
    assert result.ok and result.delivered == 3, result.errors
    live.attribute(first, "plan", "pro")
    live.attribute(second, "plan", "free")
    assert live.activity(first, "cio_live_v2_event")["data"] == {"n": 2}
