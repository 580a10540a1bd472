"""Privacy flows through the Data Pipelines semantic events: suppress, unsuppress, delete; and alias."""

from __future__ import annotations

import pytest

from ._live import Live

pytestmark = pytest.mark.live("pipelines", "app", writes=True)


def test_suppress_unsuppress_and_delete_a_person(live: Live) -> None:
    """Operations: Pipelines identify, track ("User Suppressed", "User Unsuppressed", "User Deleted"); App
    getPersonAttributes."""
    person = live.person("privacy")
    live.ledger.record("suppression", id=person)
    pipelines = live.cio.pipelines
    pipelines.identify(user_id=person, traits=live.traits(plan="trial"))
    live.customer(person)
    pipelines.suppress_person(user_id=person)
    live.gone(person)
    pipelines.unsuppress_person(user_id=person)

    def identify_and_look() -> bool:  # an identify that arrives before the unsuppress is dropped: send again
        pipelines.identify(user_id=person, traits=live.traits(plan="returning"))
        return live.cio.app.customers.attributes(customer_id=person).get("attributes", {}).get("plan") == "returning"  # type: ignore[typeddict-item]

    live.wait(identify_and_look, f"{person} identified again after the unsuppress")
    pipelines.delete_person(user_id=person)
    live.gone(person)


def test_alias_merges_the_previous_profile(live: Live) -> None:
    """Operations: Pipelines identify, alias; App getPersonAttributes."""
    previous, person = live.person("alias-previous"), live.person("alias-kept")
    pipelines = live.cio.pipelines
    pipelines.identify(user_id=previous, traits=live.traits(utm_source="newsletter"))
    pipelines.identify(user_id=person, traits=live.traits(plan="pro"))
    live.customer(previous)
    live.customer(person)
    pipelines.alias(previous_id=previous, user_id=person)
    kept = live.attribute(person, "utm_source", "newsletter")
    assert kept["attributes"]["plan"] == "pro"  # type: ignore[typeddict-item]
