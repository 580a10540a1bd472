"""The App API's view of a person (getPersonAttributes' ``customer`` object): the person, their devices and last email."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._db import Store
from .devices import person_devices
from .messages import last_sent_at
from .people import as_string, identifiers, is_unsubscribed

__all__ = ["customer_json"]


def _device_json(device: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": device["device_id"], "platform": device["platform"]}
    if device.get("last_used") is not None:
        out["last_used"] = int(device["last_used"])
    out["attributes"] = {k: as_string(v) for k, v in (device.get("attributes") or {}).items() if v is not None}
    return out


def customer_json(store: Store, person: Mapping[str, Any]) -> dict[str, Any]:
    """The getPersonAttributes ``customer`` object of a person."""
    attrs: dict[str, Any] = {k: as_string(v) for k, v in (person.get("attributes") or {}).items() if v is not None}
    attrs["id"] = person.get("id")
    attrs["email"] = person.get("email")
    attrs["cio_id"] = person["cio_id"]
    created, updated = int(person["created_at"]), int(person["updated_at"])
    timestamps: dict[str, int] = {k: updated for k in attrs if k not in ("id", "email", "cio_id")}
    timestamps["cio_id"] = created
    if person.get("id") is not None:
        timestamps["id"] = created
    if person.get("email") is not None:
        timestamps["email"] = updated
    last_emailed = last_sent_at(store, person["pk"], "email")
    if last_emailed is not None:
        timestamps["_last_emailed"] = int(last_emailed)
    return {
        "id": person.get("id") or person["cio_id"],
        "identifiers": identifiers(person),
        "attributes": attrs,
        "timestamps": timestamps,
        "unsubscribed": is_unsubscribed(person),
        # The App API only knows iOS and Android devices.
        "devices": [_device_json(d) for d in person_devices(store, person["pk"]) if d.get("platform") in ("ios", "android")],
    }
