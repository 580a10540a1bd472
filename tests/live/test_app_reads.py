"""App API reads: customer search, attributes, activities, segments and their members, campaign and
newsletter metrics. The metrics and segment listings only read; the rest reads back this run's people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from cio_toolkit import NotFoundError
from cio_toolkit.app import attr
from cio_toolkit.live import RUN_ATTRIBUTE

from ._live import Live

METRICS_COLUMNS = {"period_index", "period_start", "metric", "value"}


@pytest.mark.live("app")
def test_segments_and_their_members(live: Live) -> None:
    """Operations: App listSegments, getSegmentCount, getSegmentMembership (read only)."""
    segments = live.cio.app.segments.list().to_list()
    if not segments:
        pytest.skip("the workspace has no segments to read")
    first = segments[0]
    count = live.cio.app.segments.customer_count(segment_id=int(first["id"]))
    members = live.cio.app.segments.members(segment_id=int(first["id"]), limit=5)
    assert int(count["count"]) >= 0 and len(members.items) <= 5


def _metrics_of_the_first(kind: str, items: list[Any], read: Callable[[int], tuple[Any, pd.DataFrame]]) -> None:
    if not items:
        pytest.skip(f"the workspace has no {kind}s to read metrics of")
    raw, frame = read(int(items[0]["id"]))
    assert isinstance(raw, dict) and set(frame.columns) >= METRICS_COLUMNS


@pytest.mark.live("app")
def test_campaign_metrics(live: Live) -> None:
    """Operations: App listCampaigns, campaignMetrics (read only)."""
    campaigns = live.cio.app.campaigns
    _metrics_of_the_first("campaign", campaigns.list().to_list(), lambda i: (
        campaigns.metrics(campaign_id=i, version="1", period="days", steps=7),
        campaigns.metrics_frame(campaign_id=i, version="1", period="days", steps=7)))


@pytest.mark.live("app")
def test_newsletter_metrics(live: Live) -> None:
    """Operations: App listNewsletters, getNewsletterMetrics (read only)."""
    newsletters = live.cio.app.newsletters
    _metrics_of_the_first("newsletter", newsletters.list().to_list(), lambda i: (
        newsletters.metrics(newsletter_id=i, period="days", steps=7),
        newsletters.metrics_frame(newsletter_id=i, period="days", steps=7)))


@pytest.mark.live("pipelines", "app", writes=True)
def test_customer_search_attributes_and_activities(live: Live) -> None:
    """Operations: Pipelines identify x2, track; App getPeopleFilter, getPeopleEmail, getPersonAttributes,
    getPeopleById, getPersonActivities."""
    people = [live.person("search-1"), live.person("search-2")]
    for n, person in enumerate(people):
        live.cio.pipelines.identify(user_id=person, traits=live.traits(email=live.email(f"search-{n + 1}"),
                                                                        live_scenario="search"))
    mine = (attr(RUN_ATTRIBUTE) == live.run) & (attr("live_scenario") == "search")
    found = live.wait(lambda: (ids if (ids := {p.get("id") for p in live.cio.app.customers.search(filter=mine)})
                               >= set(people) else None), "both people found by search")
    assert found == set(people)
    live.cio.pipelines.track(user_id=people[0], event="cio_live_searched")
    by_email = live.wait(lambda: live.cio.app.customers.find(email=live.email("search-1")).items, "search-1 by email")
    assert by_email[0]["id"] == people[0]
    many = live.wait(lambda: (rows if len(rows := live.cio.app.customers.get_many(ids=people).to_list()) == 2
                              else None), "both people by id")
    assert {c["customer"]["id"] for c in many} == set(people)
    live.activity(people[0], "cio_live_searched", type="event")


@pytest.mark.live("track", "app", writes=True)
def test_manual_segment_membership(live: Live) -> None:
    """Operations: App createManSegment, getSegment, getSegmentMembership, getPersonSegments, deleteManSegment;
    Track identify, add_to_segment, remove_from_segment."""
    person = live.person("segment-member")
    live.cio.track.customers.identify(id=person, attributes=live.traits())
    live.customer(person)
    segment = live.cio.app.segments.create(name=live.name("segment"), description="cio_toolkit live suite")
    segment_id = int(segment["id"])
    live.ledger.record("segment", segment_id=segment_id)
    assert live.wait(lambda: live.cio.app.segments.get(segment_id=segment_id), "the new segment")["name"] \
        == live.name("segment")

    def members() -> set[str]:
        return {m.get("id") for m in live.cio.app.segments.members(segment_id=segment_id)}

    live.cio.track.segments.add_customers(segment_id=segment_id, ids=[person])
    live.wait(lambda: person in members(), f"{person} in segment {segment_id}")
    live.wait(lambda: [s for s in live.cio.app.customers.segments(customer_id=person) if s["id"] == segment_id],
              f"segment {segment_id} among {person}'s segments")
    live.cio.track.segments.remove_customers(segment_id=segment_id, ids=[person])
    live.wait(lambda: person not in members(), f"{person} out of segment {segment_id}")
    live.cio.app.segments.delete(segment_id=segment_id)
    live.wait(lambda: _segment_gone(live, segment_id), f"segment {segment_id} deleted")


def _segment_gone(live: Live, segment_id: int) -> bool:
    try:
        live.cio.app.segments.get(segment_id=segment_id)
    except NotFoundError:
        return True
    return False
