"""Messaging: a transactional email to the address you name, and reporting-webhook management."""

from __future__ import annotations

import pytest

from ._live import Live


@pytest.mark.live("app", writes=True, env=("CIO_LIVE_EMAIL", "CIO_LIVE_TRANSACTIONAL_ID"))
def test_transactional_email_to_your_address(live: Live) -> None:
    """Operations: App sendEmail (one email to CIO_LIVE_EMAIL), getMessage, getPersonMessages."""
    person = live.person("transactional")  # the send creates this person if missing; the cleanup deletes it
    template = live.env["CIO_LIVE_TRANSACTIONAL_ID"]
    sent = live.cio.app.send.email(
        transactional_message_id=int(template) if template.isdigit() else template, to=live.env["CIO_LIVE_EMAIL"],
        identifiers={"id": person}, message_data={"cio_live_run": live.run})
    delivery_id = sent["delivery_id"]
    message = live.wait(lambda: live.cio.app.messages.get(message_id=delivery_id), f"message {delivery_id}")
    assert message["id"] == delivery_id
    live.wait(lambda: [m for m in live.cio.app.customers.messages(customer_id=person) if m.get("id") == delivery_id],
              f"message {delivery_id} among {person}'s messages")


@pytest.mark.live("app", writes=True, env=("CIO_LIVE_WEBHOOK_URL",))
def test_reporting_webhook_create_list_delete(live: Live) -> None:
    """Operations: App createWebhook (disabled, so nothing is posted to your URL), listWebhooks, getWebhook,
    deleteWebhook."""
    name = live.name("webhook")
    created = live.cio.app.reporting_webhooks.create(name=name, endpoint=live.env["CIO_LIVE_WEBHOOK_URL"],
                                                     events=["email_sent", "email_delivered"], disabled=True)
    webhook_id = int(created["id"])
    live.ledger.record("webhook", webhook_id=webhook_id)

    def listed() -> set[int]:
        return {int(w["id"]) for w in live.cio.app.reporting_webhooks.list()}

    live.wait(lambda: webhook_id in listed(), f"webhook {webhook_id} listed")
    fetched = live.cio.app.reporting_webhooks.get(webhook_id=webhook_id)
    assert fetched["name"] == name and fetched["disabled"] is True
    live.cio.app.reporting_webhooks.delete(webhook_id=webhook_id)
    live.wait(lambda: webhook_id not in listed(), f"webhook {webhook_id} gone from the list")
