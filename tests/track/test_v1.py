"""Track v1 operations end to end against the session emulator: the store shows the effect."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import httpx2
import pytest

from cio_toolkit import CustomerIO
from cio_toolkit._exceptions import NotFoundError, ValidationError
from cio_toolkit.emulator import Emulator
from cio_toolkit.track import Region, TrackClient

from .conftest import uid


def person(emulator: Emulator, **where: str) -> dict[str, Any] | None:
    (column, value), = where.items()
    rows = emulator.store.query(f"SELECT * FROM people WHERE {column} = ?", (value,))
    assert len(rows) <= 1
    return rows[0] if rows else None


def manual_segment(emulator: Emulator, *, kind: str = "manual") -> int:
    emulator.store.execute("INSERT INTO segments (name, type) VALUES (?, ?)", (uid("seg"), kind))
    return int(emulator.store.query("SELECT max(id) AS id FROM segments")[0]["id"])


def members(emulator: Emulator, segment_id: int) -> set[str]:
    rows = emulator.store.query(
        "SELECT p.id FROM segment_members m JOIN people p ON p.pk = m.person_pk WHERE m.segment_id = ?", (segment_id,)
    )
    return {r["id"] for r in rows}


# ---------------------------------------------------------------- identify


def test_identify_by_id_sets_email_and_attributes(track: TrackClient, emulator: Emulator) -> None:
    pid = uid()
    when = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
    track.customers.identify(id=pid, email=f"{pid}@example.com", attributes={"plan": "pro", "seats": 3.0,
                                                                            "trial_ends": when},
                             created_at=when)
    p = person(emulator, id=pid)
    assert p is not None and p["email"] == f"{pid}@example.com"
    # Integral floats become integers, datetimes Unix seconds (what segment date conditions compare).
    assert p["attributes"]["seats"] == 3 and p["attributes"]["trial_ends"] == int(when.timestamp())
    assert p["attributes"]["created_at"] == int(when.timestamp())


def test_identify_by_email_then_by_cio_id_updates_identifiers(track: TrackClient, emulator: Emulator) -> None:
    email = f"{uid()}@Example.com"
    track.customers.identify(email=email, attributes={"source": "form"})
    p = person(emulator, email=email)
    assert p is not None and p["id"] is None
    # Emails are matched case-insensitively: same person.
    track.customers.identify(email=email.lower(), attributes={"step": 2})
    assert person(emulator, email=email)["attributes"]["step"] == 2  # type: ignore[index]
    new_id = uid()
    track.customers.identify(cio_id=p["cio_id"], id=new_id, attributes={"linked": True})
    after = person(emulator, cio_id=p["cio_id"])
    assert after is not None and after["id"] == new_id and after["attributes"]["linked"] is True


def test_unknown_cio_id_is_dropped_like_the_real_api(track: TrackClient, emulator: Emulator) -> None:
    before = len(emulator.store.people())
    track.customers.identify(cio_id="cio_doesnotexist0000", attributes={"x": "y"})
    assert len(emulator.store.people()) == before


def test_none_removes_an_attribute(track: TrackClient, emulator: Emulator) -> None:
    pid = uid()
    track.customers.identify(id=pid, attributes={"coupon": "SPRING", "plan": "pro"})
    track.customers.identify(id=pid, attributes={"coupon": None})
    assert person(emulator, id=pid)["attributes"] == {"plan": "pro"}  # type: ignore[index]


def test_update_only_never_creates(track: TrackClient, emulator: Emulator) -> None:
    pid = uid()
    track.customers.identify(id=pid, attributes={"a": "1"}, update=True)
    assert person(emulator, id=pid) is None
    track.customers.identify(id=pid, attributes={"a": "1"})
    track.customers.identify(id=pid, attributes={"a": "2"}, update=True)
    assert person(emulator, id=pid)["attributes"]["a"] == "2"  # type: ignore[index]


def test_an_older_timestamp_does_not_overwrite_a_newer_update(track: TrackClient, emulator: Emulator) -> None:
    pid = uid()
    track.customers.identify(id=pid, attributes={"plan": "pro"}, timestamp=2_000_000_000)
    track.customers.identify(id=pid, attributes={"plan": "free"}, timestamp=1_900_000_000)
    assert person(emulator, id=pid)["attributes"]["plan"] == "pro"  # type: ignore[index]


def test_track_and_pipelines_write_the_same_person(cio: CustomerIO, emulator: Emulator) -> None:
    pid = uid()
    cio.pipelines.identify(user_id=pid, traits={"from": "pipelines"})
    cio.track.customers.identify(id=pid, attributes={"from_track": "yes"})
    p = person(emulator, id=pid)
    assert p is not None and p["attributes"] == {"from": "pipelines", "from_track": "yes"}


def test_v1_attribute_values_outside_the_spec_are_refused_before_sending(track: TrackClient) -> None:
    with pytest.raises(ValidationError) as info:
        track.customers.identify(id=uid(), attributes={"price": 9.99})
    assert info.value.field == "attributes.price" and "v2" in str(info.value)
    with pytest.raises(ValidationError) as info:
        track.customers.identify(id=uid(), attributes={"when": dt.datetime(2024, 1, 1)})
    assert info.value.field == "attributes.when" and "time zone" in str(info.value)
    with pytest.raises(ValidationError, match="exactly one"):
        track.customers.delete(id="a", email="a@example.com")


# ---------------------------------------------------------------- delete, devices, suppress


def test_delete_removes_the_person(track: TrackClient, emulator: Emulator) -> None:
    pid = uid()
    track.customers.identify(id=pid)
    track.customers.delete(id=pid)
    assert person(emulator, id=pid) is None
    track.customers.delete(id=pid)  # deleting again is fine


def test_devices_are_added_updated_and_deleted(track: TrackClient, emulator: Emulator) -> None:
    pid = uid()
    track.customers.identify(id=pid)
    track.customers.add_device(id=pid, device_id="tok/1", platform="ios", last_used=1_700_000_000,
                               attributes={"push_enabled": True, "app_version": "1.2"})
    track.customers.add_device(id=pid, device_id="tok/1", platform="ios", attributes={"app_version": "1.3"})
    pk = person(emulator, id=pid)["pk"]  # type: ignore[index]
    devices = emulator.store.query("SELECT * FROM devices WHERE person_pk = ?", (pk,))
    assert [(d["device_id"], d["attributes"]) for d in devices] == [("tok/1", {"app_version": "1.3"})]
    track.customers.delete_device(id=pid, device_id="tok/1")
    assert emulator.store.query("SELECT * FROM devices WHERE person_pk = ?", (pk,)) == []


def test_suppress_blocks_the_identifiers_until_unsuppressed(track: TrackClient, emulator: Emulator) -> None:
    pid = uid()
    email = f"{pid}@example.com"
    track.customers.identify(id=pid, email=email)
    track.customers.suppress(id=pid)
    assert person(emulator, id=pid) is None
    # Both the id and the email are blocked: re-identifying either is dropped.
    track.customers.identify(id=pid, attributes={"back": "yes"})
    track.customers.identify(email=email)
    track.events.track(id=pid, name="ignored")
    assert person(emulator, id=pid) is None and person(emulator, email=email) is None
    track.customers.unsuppress(email=email)
    track.customers.identify(id=pid, attributes={"back": "yes"})
    p = person(emulator, id=pid)
    assert p is not None and p["attributes"] == {"back": "yes"}  # a new profile, no history


def test_merge_moves_the_secondary_into_the_primary(track: TrackClient, emulator: Emulator) -> None:
    a, b = uid("primary"), uid("dupe")
    track.customers.identify(id=a, attributes={"plan": "pro"})
    track.customers.identify(email=f"{b}@example.com", attributes={"plan": "free", "city": "Oslo"})
    track.events.track(email=f"{b}@example.com", name=uid("ev"))
    track.customers.merge(primary={"id": a}, secondary={"email": f"{b}@example.com"})
    p = person(emulator, id=a)
    assert p is not None and p["attributes"]["plan"] == "pro" and p["attributes"]["city"] == "Oslo"
    assert p["email"] == f"{b}@example.com"
    assert len(emulator.store.events(person_pk=p["pk"])) == 1
    assert len(emulator.store.query("SELECT 1 FROM people WHERE email = ?", (f"{b}@example.com",))) == 1
    track.customers.merge(primary={"id": a}, secondary={"email": f"{b}@example.com"})  # a retry is harmless
    with pytest.raises(ValidationError, match="primary"):
        track.customers.merge(primary={"id": a, "email": "x@example.com"}, secondary={"id": b})


# ---------------------------------------------------------------- events


def test_event_ids_deduplicate_resends(track: TrackClient, emulator: Emulator) -> None:
    pid, name = uid(), uid("ev")
    first = track.events.track(id=pid, name=name, data={"amount": 10}, timestamp=1_700_000_000)
    again = track.events.track(id=pid, name=name, data={"amount": 10}, event_id=first)
    keyed = track.events.track(id=pid, name=name, idempotency_key=f"{name}:1")
    assert again == first
    assert track.events.track(id=pid, name=name, idempotency_key=f"{name}:1") == keyed
    events = emulator.store.events(name=name)
    assert len(events) == 2 and events[0]["timestamp"] == 1_700_000_000


def test_page_and_screen_events(track: TrackClient, emulator: Emulator) -> None:
    pid = uid()
    page, screen = uid("/page"), uid("screen")
    track.events.track(id=pid, name=page, type="page", data={"url": "https://example.com"})
    track.events.track(id=pid, name=screen, type="screen", anonymous_id=uid("anon"))
    assert emulator.store.events(name=page)[0]["type"] == "page"
    assert emulator.store.events(name=screen)[0]["type"] == "screen"
    with pytest.raises(ValidationError, match="anonymous_id"):
        track.events.track(id=pid, name="s", type="screen")


def test_anonymous_events_join_the_person_who_claims_the_anonymous_id(track: TrackClient, emulator: Emulator) -> None:
    anon, name = uid("anon"), uid("ev")
    track.events.track_anonymous(anonymous_id=anon, name=name, data={"page": "/pricing"})
    assert emulator.store.events(name=name)[0]["person_pk"] is None
    pid = uid()
    track.customers.identify(id=pid, anonymous_id=anon)
    assert emulator.store.events(name=name)[0]["person_pk"] == person(emulator, id=pid)["pk"]  # type: ignore[index]


def test_metrics_push_metrics_and_unsubscribe(track: TrackClient, emulator: Emulator) -> None:
    delivery = uid("dlv")
    track.events.metric(delivery_id=delivery, metric="clicked", href="https://example.com", recipient="a@example.com")
    with pytest.warns(DeprecationWarning) as warned:
        track.events.push_metric(delivery_id=delivery, event="opened", device_id="tok")
    assert warned[0].filename == __file__  # points at the caller's line, not inside the package
    rows = emulator.store.query("SELECT metric, source FROM track_metrics WHERE delivery_id = ? ORDER BY pk",
                                (delivery,))
    assert [(r["metric"], r["source"]) for r in rows] == [("clicked", "metrics"), ("opened", "push")]
    with pytest.raises(ValidationError) as info:
        track.events.metric(delivery_id=delivery, metric="liked")
    assert info.value.field == "metric"
    track.customers.unsubscribe(delivery_id=delivery)
    assert emulator.store.query("SELECT unsubscribe FROM track_unsubscribes WHERE delivery_id = ?",
                                (delivery,)) == [{"unsubscribe": 1}]


def test_unsubscribe_of_a_sent_delivery_unsubscribes_its_person(cio: CustomerIO, emulator: Emulator) -> None:
    pid = uid("unsub")
    cio.track.customers.identify(id=pid, email=f"{pid}@example.com", attributes={"plan": "pro"})
    sent = cio.app.send.email(identifiers={"id": pid}, to=f"{pid}@example.com", subject="Hi", body="<p>Hi</p>",
                              from_="team@example.com")
    assert cio.app.customers.attributes(customer_id=pid)["unsubscribed"] is False
    cio.track.customers.unsubscribe(delivery_id=sent["delivery_id"])
    customer = cio.app.customers.attributes(customer_id=pid)
    assert customer["unsubscribed"] is True
    assert customer["attributes"]["unsubscribed"] == "true" and customer["attributes"]["plan"] == "pro"
    # The unsubscribe is attributed to the delivery it came from.
    message = cio.app.messages.get(message_id=sent["delivery_id"])
    assert "unsubscribed" in message["metrics"]
    # unsubscribe: false is recorded but changes nobody; an unknown delivery id is only recorded.
    other = uid("unsub")
    cio.track.customers.identify(id=other, email=f"{other}@example.com")
    kept = cio.app.send.email(identifiers={"id": other}, to=f"{other}@example.com", subject="Hi",
                              body="<p>Hi</p>", from_="team@example.com")
    cio.track.customers.unsubscribe(delivery_id=kept["delivery_id"], unsubscribe=False)
    assert "unsubscribed" not in person(emulator, id=other)["attributes"]  # type: ignore[index]
    before = emulator.store.query("SELECT pk, attributes, updated_at FROM people ORDER BY pk")
    unknown = uid("dlv")
    cio.track.customers.unsubscribe(delivery_id=unknown)
    assert emulator.store.query("SELECT pk, attributes, updated_at FROM people ORDER BY pk") == before
    assert emulator.store.query("SELECT unsubscribe FROM track_unsubscribes WHERE delivery_id = ?",
                                (unknown,)) == [{"unsubscribe": 1}]


# ---------------------------------------------------------------- segments, forms, region


def test_manual_segment_membership(track: TrackClient, emulator: Emulator) -> None:
    seg = manual_segment(emulator)
    ids = [uid() for _ in range(3)]
    for pid in ids:
        track.customers.identify(id=pid)
    assert track.segments.add_customers(segment_id=seg, ids=[*ids, "nobody-" + uid()]) == 1
    assert members(emulator, seg) == set(ids)
    track.segments.remove_customers(segment_id=seg, ids=ids[:1])
    assert members(emulator, seg) == set(ids[1:])
    email = f"{ids[0]}@example.com"
    track.customers.identify(id=ids[0], email=email)
    track.segments.add_customers(segment_id=seg, ids=[email], id_type="email")
    assert members(emulator, seg) == set(ids)


def test_segment_ids_are_sent_1000_per_request(track: TrackClient, emulator: Emulator) -> None:
    seg = manual_segment(emulator)
    assert track.segments.add_customers(segment_id=seg, ids=[f"x{i}" for i in range(2001)]) == 3


def test_unknown_or_data_driven_segment(track: TrackClient, emulator: Emulator) -> None:
    with pytest.raises(NotFoundError):
        track.segments.add_customers(segment_id=987654, ids=["a"])
    dynamic = manual_segment(emulator, kind="dynamic")
    with pytest.raises(Exception, match="manual"):
        track.segments.add_customers(segment_id=dynamic, ids=["a"])


def test_form_submission_identifies_the_person(track: TrackClient, emulator: Emulator) -> None:
    email = f"{uid()}@example.com"
    track.forms.submit(form_id="newsletter", data={"email": email, "first_name": "Ada", "opt_in": True})
    p = person(emulator, email=email)
    assert p is not None and p["attributes"]["first_name"] == "Ada" and p["attributes"]["opt_in"] == "true"
    with pytest.raises(ValidationError, match="email or id"):
        track.forms.submit(form_id="newsletter", data={"first_name": "Ada"})


def test_region_and_a_client_for_it(track: TrackClient) -> None:
    region = track.region()
    assert isinstance(region, Region) and region.region == "us" and region.url == "https://track.customer.io"
    assert isinstance(region.environment_id, int)
    with track.with_account_region() as regional:
        assert regional.settings.region == "us"
        assert regional.base_url == track.base_url  # a custom base URL (the emulator) serves every region
        assert regional.region() == region


def test_region_helper_switches_to_the_region_the_api_reports() -> None:
    # A tiny server answering as the real API does for an EU account.
    from cio_toolkit._config import Settings
    from tests._servers import Action, ScriptedServer

    answer = {"url": "https://track-eu.customer.io", "region": "eu", "environment_id": 7}
    with ScriptedServer(Action(200, answer)) as server, TrackClient("site", "key", base_url=server.url) as client:
        with client.with_account_region() as eu:
            assert eu.settings.region == "eu" and eu.settings.site_id == "site"
        assert server.seen[0].path == "/api/v1/accounts/region"
    # Without a custom base URL the new client talks to the EU host.
    us = TrackClient(settings=Settings(site_id="s", track_api_key="k"))
    assert us.base_url == "https://track.customer.io"
    assert us._for_region(Region(answer["url"], "eu", 7)).base_url == "https://track-eu.customer.io"


def test_identifiers_in_paths_are_encoded(track: TrackClient, emulator: Emulator) -> None:
    pid = uid("a/b c+d")
    track.customers.identify(id=pid, attributes={"ok": True})
    assert person(emulator, id=pid) is not None


def test_secrets_never_in_reprs_or_errors(private_emu: Emulator) -> None:
    client = TrackClient(private_emu.keys.site_id, "wrong-key-123456", base_url=private_emu.url)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(Exception) as info:
            client.customers.identify(id="x")
    assert "wrong-key-123456" not in repr(client) and "wrong-key-123456" not in str(info.value)
    assert "wrong-key-123456" not in (info.value.body or "")  # type: ignore[attr-defined]


def test_unsubscribe_needs_no_credentials_but_works_with_them(private_emu: Emulator, raw: httpx2.Client) -> None:
    delivery = uid("d")
    with httpx2.Client(base_url=private_emu.url) as anonymous:
        assert anonymous.post(f"/unsubscribe/{delivery}", json={"unsubscribe": True}).status_code == 200
    assert private_emu.store.query("SELECT unsubscribe FROM track_unsubscribes WHERE delivery_id = ?",
                                   (delivery,)) == [{"unsubscribe": 1}]
