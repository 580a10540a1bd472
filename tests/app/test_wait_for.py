"""customers.wait_for: a person read back through the App API once a Track or Pipelines write is visible."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from cio_toolkit import AsyncCustomerIO, NotReadyError


def _person() -> str:
    return f"wait-for-{uuid.uuid4().hex[:8]}"


def test_waits_for_the_person_then_for_the_condition(cio):
    person = _person()
    with pytest.raises(NotReadyError, match=rf"customer '{person}' is not visible through the App API after 0 s"):
        cio.app.customers.wait_for(id=person, timeout=0)
    cio.pipelines.identify(user_id=person, traits={"plan": "free"})
    customer = cio.app.customers.wait_for(id=person, timeout=30)
    assert customer["id"] == person and customer["attributes"]["plan"] == "free"

    def on_pro(c):
        return c["attributes"].get("plan") == "pro"

    with pytest.raises(NotReadyError, match="is visible but did not meet the condition within 0 s"):
        cio.app.customers.wait_for(id=person, until=on_pro, timeout=0)
    cio.track.customers.identify(id=person, attributes={"plan": "pro"})
    assert cio.app.customers.wait_for(id=person, until=on_pro, timeout=30)["attributes"]["plan"] == "pro"


def test_by_email_and_asyncio(emulator):
    person = _person()
    email = f"{person}@example.com"

    async def run() -> dict:
        async with AsyncCustomerIO(**emulator.settings()) as cio:
            with pytest.raises(NotReadyError, match=rf"customer '{email}' \(email\) is not visible"):
                await cio.app.customers.wait_for(id=email, id_type="email", timeout=0)
            await cio.pipelines.identify(user_id=person, traits={"email": email})
            return await cio.app.customers.wait_for(id=email, id_type="email", timeout=30)

    assert asyncio.run(run())["identifiers"]["email"] == email
