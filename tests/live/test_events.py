"""Events: custom and semantic events, page and screen views, anonymous activity that joins a person."""

from __future__ import annotations

import pytest

from ._live import Live

PRICING = "https://example.com/pricing"


@pytest.mark.live("pipelines", "app", writes=True)
def test_pipelines_custom_semantic_page_and_screen(live: Live) -> None:
    """Operations: Pipelines identify, track, track (semantic "Product Viewed"), page, screen; App getPersonActivities."""
    person = live.person("events-cdp")
    pipelines = live.cio.pipelines
    pipelines.identify(user_id=person, traits=live.traits())
    live.customer(person)  # the person exists before their events arrive
    pipelines.track(user_id=person, event="cio_live_custom", properties={"step": 1},
                    idempotency_key=live.name("events-cdp-custom"))
    pipelines.track_semantic(user_id=person, event="Product Viewed", properties={"product_id": "p-1"})
    pipelines.page(user_id=person, name="Pricing", properties={"url": PRICING})
    pipelines.screen(user_id=person, name="Settings")
    assert live.activity(person, "cio_live_custom")["data"] == {"step": 1}
    assert live.activity(person, "Product Viewed")["data"]["product_id"] == "p-1"
    # A page view is listed under its name or its URL: accept either.
    live.activity(person, type="page", where=lambda a: PRICING in (a.get("name"), (a.get("data") or {}).get("url"))
                  or a.get("name") == "Pricing")
    live.activity(person, type="screen", where=lambda a: a.get("name") == "Settings")


@pytest.mark.live("pipelines", "app", writes=True)
def test_pipelines_anonymous_then_identified(live: Live) -> None:
    """Operations: Pipelines track with anonymousId, identify with userId and anonymousId; App getPersonActivities."""
    person, visitor = live.person("events-cdp-anon"), live.name("visitor-cdp")
    live.cio.pipelines.track(anonymous_id=visitor, event="cio_live_before_signup", properties={"source": "ad"})
    live.cio.pipelines.identify(user_id=person, anonymous_id=visitor, traits=live.traits())
    assert live.activity(person, "cio_live_before_signup")["data"] == {"source": "ad"}


@pytest.mark.live("track", "app", writes=True)
def test_track_events_and_anonymous_events(live: Live) -> None:
    """Operations: Track identify, track (POST /api/v1/customers/{id}/events), trackAnonymous, identify with
    anonymous_id; App getPersonActivities."""
    person, visitor = live.person("events-track"), live.name("visitor-track")
    track = live.cio.track
    track.customers.identify(id=person, attributes=live.traits())
    live.customer(person)
    track.events.track(id=person, name="cio_live_track_event", data={"n": 2})
    track.events.track_anonymous(anonymous_id=visitor, name="cio_live_track_anonymous", data={"n": 3})
    track.customers.identify(id=person, anonymous_id=visitor)
    assert live.activity(person, "cio_live_track_event")["data"] == {"n": 2}
    assert live.activity(person, "cio_live_track_anonymous")["data"] == {"n": 3}
