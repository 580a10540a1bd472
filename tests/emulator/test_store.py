"""The SQLite store on its own."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from cio_toolkit.emulator import Store


def test_upsert_merges_and_null_removes() -> None:
    store = Store()
    a = store.upsert_person(id="u1", attributes={"plan": "pro", "n": 1, "email": "u1@example.com"})
    b = store.upsert_person(id="u1", attributes={"plan": None, "n": 2})
    assert a["cio_id"] == b["cio_id"] and b["attributes"] == {"n": 2, "email": "u1@example.com"}
    assert b["email"] == "u1@example.com"
    assert store.find_person(cio_id=a["cio_id"])["id"] == "u1"
    assert store.find_person(id="nobody") is None
    with pytest.raises(ValueError, match="needs one of"):
        store.find_person()


def test_anonymous_profile_is_not_stolen_by_a_second_user() -> None:
    store = Store()
    store.upsert_person(id="u1", anonymous_id="anon")
    other = store.upsert_person(id="u2", anonymous_id="anon")
    assert other["id"] == "u2" and other["anonymous_id"] is None
    assert store.find_person(anonymous_id="anon")["id"] == "u1"
    assert len(store.people()) == 2


def test_events_deduplicate_by_message_id_and_delete_cascades() -> None:
    store = Store()
    person = store.upsert_person(id="u1")
    assert store.add_event(name="A", person_pk=person["pk"], message_id="m1", properties={"x": 1}) is True
    assert store.add_event(name="A", person_pk=person["pk"], message_id="m1") is False
    assert store.add_event(name="B", person_pk=person["pk"]) is True  # no message id: always stored
    assert [e["name"] for e in store.events(person_pk=person["pk"])] == ["A", "B"]
    assert store.delete_person(id="u1") is True and store.delete_person(id="u1") is False
    assert [e["person_pk"] for e in store.events()] == [None, None]  # events outlive the person


def test_ensure_schema_survives_reset_and_kv() -> None:
    store = Store()
    store.ensure_schema("CREATE TABLE IF NOT EXISTS campaigns (id INTEGER PRIMARY KEY, name TEXT)")
    store.execute("INSERT INTO campaigns (name) VALUES (?)", ("Welcome",))
    store.kv_set("webhooks", "w1", {"url": "http://127.0.0.1/x"})
    store.upsert_person(id="u1")
    store.reset()
    assert store.query("SELECT * FROM campaigns") == [] and store.people() == []
    assert store.kv_get("webhooks", "w1") is None and store.counters == {}
    store.kv_set("ns", "k", [1, 2])
    assert store.kv_items("ns") == {"k": [1, 2]} and store.kv_delete("ns", "k") is True


def test_file_database_uses_wal_and_is_shared_across_threads(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "emu.sqlite"))
    assert store.query("PRAGMA journal_mode")[0]["journal_mode"] == "wal"

    def write(prefix: str) -> None:
        for i in range(50):
            store.upsert_person(id=f"{prefix}{i}", attributes={"i": i})

    threads = [threading.Thread(target=write, args=(p,)) for p in "abcd"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.people()) == 200
    store.close()
    assert len(Store(str(tmp_path / "emu.sqlite")).people()) == 200
