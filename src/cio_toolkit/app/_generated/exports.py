# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Exports resources of the App API (generated)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit._types import UNSET, Unset
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.app.filters import Filter
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["AsyncExports", "Exports"]


class Exports(SyncResource):
    """Customer and delivery exports."""

    @operation("app_api", "listExports")
    def list(self) -> SyncPage[m.ListExportsExport]:
        """List exports (operation ``listExports``)."""
        return self._page("listExports", {})

    @operation("app_api", "getExport")
    def get(
        self,
        *,
        export_id: int,
    ) -> m.ListExportsExport:
        """Get an export (operation ``getExport``)."""
        return self._call("getExport", {"export_id": export_id})

    @operation("app_api", "downloadExport")
    def download_url(
        self,
        *,
        export_id: int,
    ) -> m.DownloadExportResponse:
        """Download an export (operation ``downloadExport``)."""
        return self._call("downloadExport", {"export_id": export_id})

    @operation("app_api", "exportPeopleData")
    def create_customers(
        self,
        *,
        filters: Filter | Mapping[str, Any],
    ) -> m.ListExportsExport:
        """Export customer data (operation ``exportPeopleData``)."""
        return self._call("exportPeopleData", {"filters": filters})

    @operation("app_api", "exportDeliveriesData")
    def create_deliveries(
        self,
        *,
        newsletter_id: int | Unset = UNSET,
        start: int | datetime.datetime | Unset = UNSET,
        end: int | datetime.datetime | Unset = UNSET,
        attributes: Sequence[str] | Unset = UNSET,
        metric: str | Unset = UNSET,
        drafts: bool | Unset = UNSET,
        campaign_id: int | Unset = UNSET,
        transactional_message_id: int | Unset = UNSET,
        action_id: int | Unset = UNSET,
    ) -> m.ExportDeliveriesDataExport:
        """Export information about deliveries (operation ``exportDeliveriesData``)."""
        return self._call(
            "exportDeliveriesData",
            {
                "newsletter_id": newsletter_id,
                "start": start,
                "end": end,
                "attributes": attributes,
                "metric": metric,
                "drafts": drafts,
                "campaign_id": campaign_id,
                "transactional_message_id": transactional_message_id,
                "action_id": action_id,
            },
        )


class AsyncExports(AsyncResource):
    """Customer and delivery exports."""

    @operation("app_api", "listExports")
    async def list(self) -> AsyncPage[m.ListExportsExport]:
        """List exports (operation ``listExports``)."""
        return await self._page("listExports", {})

    @operation("app_api", "getExport")
    async def get(
        self,
        *,
        export_id: int,
    ) -> m.ListExportsExport:
        """Get an export (operation ``getExport``)."""
        return await self._call("getExport", {"export_id": export_id})

    @operation("app_api", "downloadExport")
    async def download_url(
        self,
        *,
        export_id: int,
    ) -> m.DownloadExportResponse:
        """Download an export (operation ``downloadExport``)."""
        return await self._call("downloadExport", {"export_id": export_id})

    @operation("app_api", "exportPeopleData")
    async def create_customers(
        self,
        *,
        filters: Filter | Mapping[str, Any],
    ) -> m.ListExportsExport:
        """Export customer data (operation ``exportPeopleData``)."""
        return await self._call("exportPeopleData", {"filters": filters})

    @operation("app_api", "exportDeliveriesData")
    async def create_deliveries(
        self,
        *,
        newsletter_id: int | Unset = UNSET,
        start: int | datetime.datetime | Unset = UNSET,
        end: int | datetime.datetime | Unset = UNSET,
        attributes: Sequence[str] | Unset = UNSET,
        metric: str | Unset = UNSET,
        drafts: bool | Unset = UNSET,
        campaign_id: int | Unset = UNSET,
        transactional_message_id: int | Unset = UNSET,
        action_id: int | Unset = UNSET,
    ) -> m.ExportDeliveriesDataExport:
        """Export information about deliveries (operation ``exportDeliveriesData``)."""
        return await self._call(
            "exportDeliveriesData",
            {
                "newsletter_id": newsletter_id,
                "start": start,
                "end": end,
                "attributes": attributes,
                "metric": metric,
                "drafts": drafts,
                "campaign_id": campaign_id,
                "transactional_message_id": transactional_message_id,
                "action_id": action_id,
            },
        )
