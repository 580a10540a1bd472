"""Objects and relationships: create objects, relate people to them, remove the relationship and the object."""

from __future__ import annotations

from typing import Any

import pytest

from cio_toolkit import NotFoundError
from cio_toolkit.track import v2

from ._live import Live


def _related_objects(live: Live, person: str) -> set[str]:
    return {str(r.get("identifiers", {}).get("object_id")) for r in live.cio.app.customers.relationships(customer_id=person)}


def _object_gone(live: Live, object_id: str) -> bool:
    try:
        live.cio.app.objects.attributes(object_type_id=int(live.object_type_id), object_id=object_id)
    except NotFoundError:
        return True
    return False


def _object(live: Live, object_id: str) -> Any:
    return live.wait(lambda: live.cio.app.objects.attributes(object_type_id=int(live.object_type_id),
                                                             object_id=object_id), f"object {object_id}")


@pytest.mark.live("pipelines", "app", writes=True)
def test_pipelines_group_relationship_then_deletes(live: Live) -> None:
    """Operations: Pipelines identify, group, track ("Relationship Deleted", "Object Deleted"); App
    getObjectAttributes, getPersonRelationships, getObjectRelationships."""
    person, account = live.person("objects-cdp"), live.object_id("account-cdp")
    pipelines = live.cio.pipelines
    pipelines.identify(user_id=person, traits=live.traits())
    live.customer(person)
    pipelines.group(user_id=person, group_id=account, object_type_id=live.object_type_id,
                    traits=live.traits(name="Acme (live test)", plan="enterprise"),
                    relationship_attributes={"role": "admin"})
    obj = _object(live, account)
    assert obj.get("attributes", {}).get("plan") == "enterprise"
    live.wait(lambda: account in _related_objects(live, person), f"{person} related to {account}")
    members = live.wait(lambda: [m for m in live.cio.app.objects.relationships(
        object_type_id=int(live.object_type_id), object_id=account) if m], f"members of {account}")
    assert members
    pipelines.delete_relationship(user_id=person, object_id=account, object_type_id=live.object_type_id)
    live.wait(lambda: account not in _related_objects(live, person), f"{person} no longer related to {account}")
    pipelines.delete_object(object_id=account, object_type_id=live.object_type_id)
    live.wait(lambda: _object_gone(live, account), f"object {account} deleted")


@pytest.mark.live("track", "app", writes=True)
def test_track_v2_object_and_relationships(live: Live) -> None:
    """Operations: Track v2 entity (object identify with relationships, delete_relationships, delete); App
    getObjectAttributes, getPersonRelationships."""
    person, team = live.person("objects-track"), live.object_id("team-track")
    live.cio.track.customers.identify(id=person, attributes=live.traits())
    live.customer(person)
    live.cio.track.v2.entity(v2.object_identify(
        object_type_id=live.object_type_id, object_id=team, attributes=live.traits(name="Team (live test)"),
        cio_relationships=[v2.person_relationship(id=person)]))
    _object(live, team)
    live.wait(lambda: team in _related_objects(live, person), f"{person} related to {team}")
    live.cio.track.v2.entity(v2.object_delete_relationships(
        object_type_id=live.object_type_id, object_id=team, cio_relationships=[v2.person_relationship(id=person)]))
    live.wait(lambda: team not in _related_objects(live, person), f"{person} no longer related to {team}")
    live.cio.track.v2.entity(v2.object_delete(object_type_id=live.object_type_id, object_id=team))
    live.wait(lambda: _object_gone(live, team), f"object {team} deleted")
