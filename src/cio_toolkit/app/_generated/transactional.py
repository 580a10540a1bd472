# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Transactional resources of the App API (generated)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit._types import UNSET, Unset
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AsyncTransactional", "Transactional"]


class Transactional(SyncResource):
    """Transactional message templates, contents, metrics."""

    @operation("app_api", "listTransactional")
    def list(self) -> SyncPage[m.ListTransactionalMessage]:
        """List transactional messages (operation ``listTransactional``)."""
        return self._page("listTransactional", {})

    @operation("app_api", "getTransactional")
    def get(
        self,
        *,
        transactional_id: int,
    ) -> m.ListTransactionalMessage:
        """Get a transactional message (operation ``getTransactional``)."""
        return self._call("getTransactional", {"transactional_id": transactional_id})

    @operation("app_api", "listTransactionalVariants")
    def contents(
        self,
        *,
        transactional_id: int,
    ) -> SyncPage[m.ContentItem]:
        """List all variants of a transactional message (operation ``listTransactionalVariants``)."""
        return self._page("listTransactionalVariants", {"transactional_id": transactional_id})

    @operation("app_api", "updateTransactional")
    def update_content(
        self,
        *,
        transactional_id: int,
        content_id: int,
        body: str | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        headers: Sequence[Mapping[str, Any]] | Unset = UNSET,
    ) -> SyncPage[m.ContentItem]:
        """Update a transactional message (operation ``updateTransactional``)."""
        return self._page(
            "updateTransactional",
            {
                "transactional_id": transactional_id,
                "content_id": content_id,
                "body": body,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "subject": subject,
                "preheader_text": preheader_text,
                "body_amp": body_amp,
                "headers": headers,
            },
        )

    @operation("app_api", "getTransactionalVariant")
    def get_translation(
        self,
        *,
        transactional_id: int,
        language: str,
    ) -> SyncPage[m.ContentItem]:
        """Get a translation of a transactional message (operation ``getTransactionalVariant``)."""
        return self._page(
            "getTransactionalVariant", {"transactional_id": transactional_id, "language": language}
        )

    @operation("app_api", "updateTransactionalVariant")
    def update_translation(
        self,
        *,
        transactional_id: int,
        language: str,
        body: str | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        headers: Sequence[Mapping[str, Any]] | Unset = UNSET,
    ) -> SyncPage[m.ContentItem]:
        """Update a translation of a transactional message (operation ``updateTransactionalVariant``)."""
        return self._page(
            "updateTransactionalVariant",
            {
                "transactional_id": transactional_id,
                "language": language,
                "body": body,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "subject": subject,
                "preheader_text": preheader_text,
                "body_amp": body_amp,
                "headers": headers,
            },
        )

    @operation("app_api", "transactionalMetrics")
    def metrics(
        self,
        *,
        transactional_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
    ) -> m.TransactionalMetric:
        """Get transactional message metrics (operation ``transactionalMetrics``)."""
        return self._call(
            "transactionalMetrics", {"transactional_id": transactional_id, "period": period, "steps": steps}
        )

    def metrics_frame(
        self,
        *,
        transactional_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
    ) -> pd.DataFrame:
        """Get transactional message metrics as a tidy DataFrame, one row per period and metric (operation ``transactionalMetrics``)."""
        return self._frame(
            "transactionalMetrics",
            "series",
            {"transactional_id": transactional_id, "period": period, "steps": steps},
        )

    @operation("app_api", "transactionalLinks")
    def link_metrics(
        self,
        *,
        transactional_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> SyncPage[m.Link]:
        """Get transactional message link metrics (operation ``transactionalLinks``)."""
        return self._page(
            "transactionalLinks",
            {"transactional_id": transactional_id, "period": period, "steps": steps, "unique": unique},
        )

    def link_metrics_frame(
        self,
        *,
        transactional_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> pd.DataFrame:
        """Get transactional message link metrics as a tidy DataFrame, one row per period and metric (operation ``transactionalLinks``)."""
        return self._frame(
            "transactionalLinks",
            "links",
            {"transactional_id": transactional_id, "period": period, "steps": steps, "unique": unique},
        )

    @operation("app_api", "transactionalMessages")
    def messages(
        self,
        *,
        transactional_id: int,
        start: str | None = None,
        limit: int | None = None,
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
        state: Literal["failed", "sent", "drafted", "attempted"] | None = None,
        start_ts: int | datetime.datetime | None = None,
        end_ts: int | datetime.datetime | None = None,
    ) -> SyncPage[m.TransactionalMessagesMessage]:
        """Get transactional message deliveries (operation ``transactionalMessages``)."""
        return self._page(
            "transactionalMessages",
            {
                "transactional_id": transactional_id,
                "start": start,
                "limit": limit,
                "metric": metric,
                "state": state,
                "start_ts": start_ts,
                "end_ts": end_ts,
            },
        )


class AsyncTransactional(AsyncResource):
    """Transactional message templates, contents, metrics."""

    @operation("app_api", "listTransactional")
    async def list(self) -> AsyncPage[m.ListTransactionalMessage]:
        """List transactional messages (operation ``listTransactional``)."""
        return await self._page("listTransactional", {})

    @operation("app_api", "getTransactional")
    async def get(
        self,
        *,
        transactional_id: int,
    ) -> m.ListTransactionalMessage:
        """Get a transactional message (operation ``getTransactional``)."""
        return await self._call("getTransactional", {"transactional_id": transactional_id})

    @operation("app_api", "listTransactionalVariants")
    async def contents(
        self,
        *,
        transactional_id: int,
    ) -> AsyncPage[m.ContentItem]:
        """List all variants of a transactional message (operation ``listTransactionalVariants``)."""
        return await self._page("listTransactionalVariants", {"transactional_id": transactional_id})

    @operation("app_api", "updateTransactional")
    async def update_content(
        self,
        *,
        transactional_id: int,
        content_id: int,
        body: str | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        headers: Sequence[Mapping[str, Any]] | Unset = UNSET,
    ) -> AsyncPage[m.ContentItem]:
        """Update a transactional message (operation ``updateTransactional``)."""
        return await self._page(
            "updateTransactional",
            {
                "transactional_id": transactional_id,
                "content_id": content_id,
                "body": body,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "subject": subject,
                "preheader_text": preheader_text,
                "body_amp": body_amp,
                "headers": headers,
            },
        )

    @operation("app_api", "getTransactionalVariant")
    async def get_translation(
        self,
        *,
        transactional_id: int,
        language: str,
    ) -> AsyncPage[m.ContentItem]:
        """Get a translation of a transactional message (operation ``getTransactionalVariant``)."""
        return await self._page(
            "getTransactionalVariant", {"transactional_id": transactional_id, "language": language}
        )

    @operation("app_api", "updateTransactionalVariant")
    async def update_translation(
        self,
        *,
        transactional_id: int,
        language: str,
        body: str | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        headers: Sequence[Mapping[str, Any]] | Unset = UNSET,
    ) -> AsyncPage[m.ContentItem]:
        """Update a translation of a transactional message (operation ``updateTransactionalVariant``)."""
        return await self._page(
            "updateTransactionalVariant",
            {
                "transactional_id": transactional_id,
                "language": language,
                "body": body,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "subject": subject,
                "preheader_text": preheader_text,
                "body_amp": body_amp,
                "headers": headers,
            },
        )

    @operation("app_api", "transactionalMetrics")
    async def metrics(
        self,
        *,
        transactional_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
    ) -> m.TransactionalMetric:
        """Get transactional message metrics (operation ``transactionalMetrics``)."""
        return await self._call(
            "transactionalMetrics", {"transactional_id": transactional_id, "period": period, "steps": steps}
        )

    async def metrics_frame(
        self,
        *,
        transactional_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
    ) -> pd.DataFrame:
        """Get transactional message metrics as a tidy DataFrame, one row per period and metric (operation ``transactionalMetrics``)."""
        return await self._frame(
            "transactionalMetrics",
            "series",
            {"transactional_id": transactional_id, "period": period, "steps": steps},
        )

    @operation("app_api", "transactionalLinks")
    async def link_metrics(
        self,
        *,
        transactional_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> AsyncPage[m.Link]:
        """Get transactional message link metrics (operation ``transactionalLinks``)."""
        return await self._page(
            "transactionalLinks",
            {"transactional_id": transactional_id, "period": period, "steps": steps, "unique": unique},
        )

    async def link_metrics_frame(
        self,
        *,
        transactional_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> pd.DataFrame:
        """Get transactional message link metrics as a tidy DataFrame, one row per period and metric (operation ``transactionalLinks``)."""
        return await self._frame(
            "transactionalLinks",
            "links",
            {"transactional_id": transactional_id, "period": period, "steps": steps, "unique": unique},
        )

    @operation("app_api", "transactionalMessages")
    async def messages(
        self,
        *,
        transactional_id: int,
        start: str | None = None,
        limit: int | None = None,
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
        state: Literal["failed", "sent", "drafted", "attempted"] | None = None,
        start_ts: int | datetime.datetime | None = None,
        end_ts: int | datetime.datetime | None = None,
    ) -> AsyncPage[m.TransactionalMessagesMessage]:
        """Get transactional message deliveries (operation ``transactionalMessages``)."""
        return await self._page(
            "transactionalMessages",
            {
                "transactional_id": transactional_id,
                "start": start,
                "limit": limit,
                "metric": metric,
                "state": state,
                "start_ts": start_ts,
                "end_ts": end_ts,
            },
        )
