"""Every typed webhook event class (``EmailClicked``, ``PushDelivered``, ...) and the base classes.

The classes are generated from the spec into ``_generated_events.py``; this module is the stable
place to import them from.
"""

from __future__ import annotations

from cio_toolkit.webhooks._event_base import EventData, Identifiers, WebhookEvent
from cio_toolkit.webhooks._generated_events import *  # noqa: F403
from cio_toolkit.webhooks._generated_events import __all__ as _generated_all

__all__ = ["EventData", "Identifiers", "WebhookEvent", *_generated_all]
