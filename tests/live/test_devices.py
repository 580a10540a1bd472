"""Devices: register push devices through Track and Pipelines, read them back, remove them."""

from __future__ import annotations

import pytest

from ._live import Live


@pytest.mark.live("track", "pipelines", "app", writes=True)
def test_add_and_remove_devices(live: Live) -> None:
    """Operations: Track identify, add_device, delete_device; Pipelines track ("Device Created or Updated",
    "Device Deleted"); App getPersonAttributes (devices)."""
    person = live.person("devices")
    ios, android = live.name("device-ios"), live.name("device-android")
    live.cio.track.customers.identify(id=person, attributes=live.traits())
    live.customer(person)
    live.cio.track.customers.add_device(id=person, device_id=ios, platform="ios", attributes={"app_version": "1.2"})
    live.cio.pipelines.add_device(user_id=person, token=android, type="android")
    customer = live.devices(person, {ios, android})
    platforms = {d["id"]: d.get("platform") for d in customer["devices"]}
    assert platforms == {ios: "ios", android: "android"}
    live.cio.track.customers.delete_device(id=person, device_id=ios)
    live.cio.pipelines.delete_device(user_id=person, token=android, type="android")
    live.devices(person, set())
