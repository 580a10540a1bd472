# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Messages resources of the App API (generated)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Literal

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["AsyncMessages", "Messages"]


class Messages(SyncResource):
    """Deliveries across campaigns, newsletters and transactional messages."""

    @operation("app_api", "listMessages")
    def list(
        self,
        *,
        start: str | None = None,
        limit: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
        metric: Literal[
            "attempted",
            "sent",
            "delivered",
            "opened",
            "clicked",
            "converted",
            "bounced",
            "spammed",
            "unsubscribed",
            "dropped",
            "failed",
            "undeliverable",
        ]
        | None = None,
        drafts: bool | None = None,
        campaign_id: int | None = None,
        newsletter_id: int | None = None,
        action_id: int | None = None,
        start_ts: int | datetime.datetime | None = None,
        end_ts: int | datetime.datetime | None = None,
    ) -> SyncPage[m.Message]:
        """List messages (operation ``listMessages``)."""
        return self._page(
            "listMessages",
            {
                "start": start,
                "limit": limit,
                "type": type,
                "metric": metric,
                "drafts": drafts,
                "campaign_id": campaign_id,
                "newsletter_id": newsletter_id,
                "action_id": action_id,
                "start_ts": start_ts,
                "end_ts": end_ts,
            },
        )

    @operation("app_api", "getMessage")
    def get(
        self,
        *,
        message_id: str,
    ) -> m.Message:
        """Get a message (operation ``getMessage``)."""
        return self._call("getMessage", {"message_id": message_id})

    @operation("app_api", "getArchivedMessage")
    def archived(
        self,
        *,
        message_id: str,
    ) -> m.ArchivedMessage:
        """Get an archived message (operation ``getArchivedMessage``)."""
        return self._call("getArchivedMessage", {"message_id": message_id})


class AsyncMessages(AsyncResource):
    """Deliveries across campaigns, newsletters and transactional messages."""

    @operation("app_api", "listMessages")
    async def list(
        self,
        *,
        start: str | None = None,
        limit: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
        metric: Literal[
            "attempted",
            "sent",
            "delivered",
            "opened",
            "clicked",
            "converted",
            "bounced",
            "spammed",
            "unsubscribed",
            "dropped",
            "failed",
            "undeliverable",
        ]
        | None = None,
        drafts: bool | None = None,
        campaign_id: int | None = None,
        newsletter_id: int | None = None,
        action_id: int | None = None,
        start_ts: int | datetime.datetime | None = None,
        end_ts: int | datetime.datetime | None = None,
    ) -> AsyncPage[m.Message]:
        """List messages (operation ``listMessages``)."""
        return await self._page(
            "listMessages",
            {
                "start": start,
                "limit": limit,
                "type": type,
                "metric": metric,
                "drafts": drafts,
                "campaign_id": campaign_id,
                "newsletter_id": newsletter_id,
                "action_id": action_id,
                "start_ts": start_ts,
                "end_ts": end_ts,
            },
        )

    @operation("app_api", "getMessage")
    async def get(
        self,
        *,
        message_id: str,
    ) -> m.Message:
        """Get a message (operation ``getMessage``)."""
        return await self._call("getMessage", {"message_id": message_id})

    @operation("app_api", "getArchivedMessage")
    async def archived(
        self,
        *,
        message_id: str,
    ) -> m.ArchivedMessage:
        """Get an archived message (operation ``getArchivedMessage``)."""
        return await self._call("getArchivedMessage", {"message_id": message_id})
