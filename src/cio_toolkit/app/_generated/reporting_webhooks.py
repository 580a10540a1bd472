# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Reporting Webhooks resources of the App API (generated)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit._types import UNSET, Unset
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["AsyncReportingWebhooks", "ReportingWebhooks"]


class ReportingWebhooks(SyncResource):
    """Reporting webhook configurations."""

    @operation("app_api", "listWebhooks")
    def list(self) -> SyncPage[m.WebhookResponse]:
        """List reporting webhooks (operation ``listWebhooks``)."""
        return self._page("listWebhooks", {})

    @operation("app_api", "createWebhook")
    def create(
        self,
        *,
        name: str,
        endpoint: str,
        events: Sequence[str],
        disabled: bool | Unset = UNSET,
        full_resolution: bool | Unset = UNSET,
        with_content: bool | Unset = UNSET,
    ) -> m.WebhookResponse:
        """Create a reporting webhook (operation ``createWebhook``)."""
        return self._call(
            "createWebhook",
            {
                "name": name,
                "endpoint": endpoint,
                "disabled": disabled,
                "full_resolution": full_resolution,
                "with_content": with_content,
                "events": events,
            },
        )

    @operation("app_api", "getWebhook")
    def get(
        self,
        *,
        webhook_id: int,
    ) -> m.WebhookResponse:
        """Get a reporting webhook (operation ``getWebhook``)."""
        return self._call("getWebhook", {"webhook_id": webhook_id})

    @operation("app_api", "updateWebhook")
    def update(
        self,
        *,
        webhook_id: int,
        name: str,
        endpoint: str,
        events: Sequence[str],
        disabled: bool | Unset = UNSET,
        full_resolution: bool | Unset = UNSET,
        with_content: bool | Unset = UNSET,
    ) -> m.WebhookResponse:
        """Update a webhook configuration (operation ``updateWebhook``)."""
        return self._call(
            "updateWebhook",
            {
                "webhook_id": webhook_id,
                "name": name,
                "endpoint": endpoint,
                "disabled": disabled,
                "full_resolution": full_resolution,
                "with_content": with_content,
                "events": events,
            },
        )

    @operation("app_api", "deleteWebhook")
    def delete(
        self,
        *,
        webhook_id: int,
    ) -> None:
        """Delete a reporting webhook (operation ``deleteWebhook``)."""
        return self._call("deleteWebhook", {"webhook_id": webhook_id})


class AsyncReportingWebhooks(AsyncResource):
    """Reporting webhook configurations."""

    @operation("app_api", "listWebhooks")
    async def list(self) -> AsyncPage[m.WebhookResponse]:
        """List reporting webhooks (operation ``listWebhooks``)."""
        return await self._page("listWebhooks", {})

    @operation("app_api", "createWebhook")
    async def create(
        self,
        *,
        name: str,
        endpoint: str,
        events: Sequence[str],
        disabled: bool | Unset = UNSET,
        full_resolution: bool | Unset = UNSET,
        with_content: bool | Unset = UNSET,
    ) -> m.WebhookResponse:
        """Create a reporting webhook (operation ``createWebhook``)."""
        return await self._call(
            "createWebhook",
            {
                "name": name,
                "endpoint": endpoint,
                "disabled": disabled,
                "full_resolution": full_resolution,
                "with_content": with_content,
                "events": events,
            },
        )

    @operation("app_api", "getWebhook")
    async def get(
        self,
        *,
        webhook_id: int,
    ) -> m.WebhookResponse:
        """Get a reporting webhook (operation ``getWebhook``)."""
        return await self._call("getWebhook", {"webhook_id": webhook_id})

    @operation("app_api", "updateWebhook")
    async def update(
        self,
        *,
        webhook_id: int,
        name: str,
        endpoint: str,
        events: Sequence[str],
        disabled: bool | Unset = UNSET,
        full_resolution: bool | Unset = UNSET,
        with_content: bool | Unset = UNSET,
    ) -> m.WebhookResponse:
        """Update a webhook configuration (operation ``updateWebhook``)."""
        return await self._call(
            "updateWebhook",
            {
                "webhook_id": webhook_id,
                "name": name,
                "endpoint": endpoint,
                "disabled": disabled,
                "full_resolution": full_resolution,
                "with_content": with_content,
                "events": events,
            },
        )

    @operation("app_api", "deleteWebhook")
    async def delete(
        self,
        *,
        webhook_id: int,
    ) -> None:
        """Delete a reporting webhook (operation ``deleteWebhook``)."""
        return await self._call("deleteWebhook", {"webhook_id": webhook_id})
