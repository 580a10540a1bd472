"""The official Python App client (``customerio.api.APIClient``), unchanged, over http and TLS.

It sends transactional messages only (email, push, SMS; its WhatsApp, inbox and in-app sends have
no spec operation, see src/cio_toolkit/specs/DIVERGENCES.md); a broadcast trigger goes through
its own ``send_request``. People are set up with our Track client and every send is read back
over our App client (_app.py, shared with customerio-node's tests).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from customerio.api import APIClient, SendEmailRequest, SendPushRequest, SendSMSRequest
from customerio.client_base import CustomerIOException

from cio_toolkit import CustomerIO
from cio_toolkit.emulator import Emulator

from . import _app
from ._peers import AppReader, Peers

pytestmark = pytest.mark.sdk


def _person(emu: Emulator, *, email: bool = False, device: bool = False, **attributes: Any) -> str:
    """A new person (with an email address, a push device), added with our Track client."""
    user = f"sdk-py-{uuid.uuid4().hex[:10]}"
    with CustomerIO(**emu.settings()) as cio:
        cio.track.customers.identify(id=user, email=f"{user}@example.com" if email else None, attributes=attributes)
        if device:
            cio.track.customers.add_device(id=user, device_id=f"{user}-token", platform="ios")
    return user


def _official(emu: Emulator, key: str | None = None) -> APIClient:
    """The official client pointed at ``emu`` by its URL; no retries."""
    return APIClient(key or emu.keys.app_api_key, url=emu.url, retries=0)


def test_transactional_email(trusted: Peers, app_of: AppReader) -> None:
    emu = trusted.main
    user = _person(emu, email=True)
    with _official(emu) as official:
        sent = official.send_email(SendEmailRequest(
            transactional_message_id=_app.targets(app_of(emu))["email"], to=f"{user}@example.com",
            identifiers={"id": user}, message_data={"order": 7},
        ))
    _app.check_delivery(app_of(emu), sent["delivery_id"], user, "email")


def test_push_without_to(trusted: Peers, app_of: AppReader) -> None:
    emu = trusted.main
    user = _person(emu, device=True)
    with _official(emu) as official:
        sent = official.send_push(SendPushRequest(
            transactional_message_id=_app.targets(app_of(emu))["push"], identifiers={"id": user},
        ))
    _app.check_delivery(app_of(emu), sent["delivery_id"], user, "push")


def test_sms(trusted: Peers, app_of: AppReader) -> None:
    emu = trusted.main
    user = _person(emu, phone=_app.PHONE)
    with _official(emu) as official:
        sent = official.send_sms(SendSMSRequest(
            transactional_message_id=_app.targets(app_of(emu))["sms"], identifiers={"id": user}, to=_app.PHONE,
        ))
    _app.check_delivery(app_of(emu), sent["delivery_id"], user, "sms")


def test_broadcast_trigger_on_the_spec_path(trusted: Peers, app_of: AppReader) -> None:
    emu = trusted.main
    user = _person(emu)
    broadcast = _app.targets(app_of(emu))["broadcast"]
    with _official(emu) as official:
        answer = official.send_request("POST", f"{official.url}/v1/campaigns/{broadcast}/triggers", {
            "data": {"tag": user}, "ids": [user], "id_ignore_missing": True,
        })
    _app.check_trigger(app_of(emu), answer.json()["id"], user)


def test_wrong_key_reaches_the_exception(trusted: Peers, app_of: AppReader) -> None:
    emu = trusted.main
    with _official(emu, key="not-the-key") as official, pytest.raises(CustomerIOException) as info:
        official.send_sms(SendSMSRequest(
            transactional_message_id=_app.targets(app_of(emu))["sms"], identifiers={"id": "nobody"}, to=_app.PHONE,
        ))
    # The client's text is "<status>: <url> <data> <body>".
    text = str(info.value)
    assert text.startswith("401: ") and text.endswith("Unauthorized request"), text


def test_validation_error_names_the_field(trusted: Peers, app_of: AppReader) -> None:
    emu = trusted.refused
    with _official(emu) as official, pytest.raises(CustomerIOException) as info:
        official.send_email(SendEmailRequest(
            transactional_message_id=_app.targets(app_of(emu))["email"], to="nobody@example.com",
        ))
    # The client's text is "<status>: <url> <data> <body>"; the data names no identifiers.
    text = str(info.value)
    assert text.startswith("400: ") and "identifiers" in text, text
