"""The demo workspace's messages the App scenarios send, and how both App SDKs' sends are read back.

customerio-node's APIClient (node/scenarios/app_*.js) and the Python ``customerio.api`` client
(test_customerio_python_app.py) send transactional messages and trigger a broadcast; these read
the deliveries and the trigger back over our App client.
"""

from __future__ import annotations

from typing import Any

from cio_toolkit.app import AppClient

PHONE = "+15555550100"
# The demo seed's transactional messages, by channel (trigger names, looked up as ids).
_TEMPLATES = {"email": "password_reset", "sms": "login_code", "push": "order_shipped"}
# Delivery types as the App API names them.
_TYPES = {"email": "email", "sms": "twilio", "push": "push"}


_DEMO: dict[str, Any] = {}


def targets(app: AppClient) -> dict[str, Any]:
    """Ids of a transactional message per channel, of a broadcast and of a newsletter.

    Every emulator seeded with the demo workspace has the same, so they are looked up once.
    """
    if not _DEMO:
        ids = {t["name"]: t["id"] for t in app.transactional.list().to_list()}
        _DEMO.update({channel: ids[name] for channel, name in _TEMPLATES.items()})
        _DEMO["broadcast"] = app.broadcasts.list().to_list()[0]["id"]
        _DEMO["newsletter"] = app.newsletters.list().to_list()[0]["id"]
    return _DEMO


def check_delivery(app: AppClient, delivery_id: str, user: str, channel: str) -> None:
    """The delivery is the user's, of the channel's template and type."""
    message = app.messages.get(message_id=delivery_id)
    template = targets(app)[channel]
    assert (message["customer_id"], message["type"], message["message_template_id"]) == (
        user,
        _TYPES[channel],
        template,
    )


def check_trigger(app: AppClient, trigger_id: int, user: str) -> None:
    """The trigger is the broadcast's, and the user got the broadcast's messages."""
    broadcast = targets(app)["broadcast"]
    trigger = app.broadcasts.triggers.get(broadcast_id=broadcast, trigger_id=trigger_id)
    assert trigger["broadcast_id"] == broadcast
    assert any(m["broadcast_id"] == broadcast for m in app.customers.messages(customer_id=user).to_list())
