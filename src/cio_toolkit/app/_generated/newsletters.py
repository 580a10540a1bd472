# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Newsletters resources of the App API (generated)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit._types import UNSET, Unset
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AsyncNewsletterContents", "AsyncNewsletters", "NewsletterContents", "Newsletters"]


class NewsletterContents(SyncResource):
    """Newsletter variants (contents) and their translations."""

    @operation("app_api", "listNewsletterVariants")
    def list(
        self,
        *,
        newsletter_id: int,
    ) -> SyncPage[m.Content]:
        """List newsletter variants (operation ``listNewsletterVariants``)."""
        return self._page("listNewsletterVariants", {"newsletter_id": newsletter_id})

    @operation("app_api", "getNewsletterVariant")
    def get(
        self,
        *,
        newsletter_id: int,
        content_id: int,
    ) -> m.Content:
        """Get a newsletter variant (operation ``getNewsletterVariant``)."""
        return self._call("getNewsletterVariant", {"newsletter_id": newsletter_id, "content_id": content_id})

    @operation("app_api", "updateNewsletterVariant")
    def update(
        self,
        *,
        newsletter_id: int,
        content_id: int,
        body: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        recipient: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        headers: Sequence[Mapping[str, Any]] | Unset = UNSET,
    ) -> m.Content:
        """Update a newsletter variant (operation ``updateNewsletterVariant``)."""
        return self._call(
            "updateNewsletterVariant",
            {
                "newsletter_id": newsletter_id,
                "content_id": content_id,
                "body": body,
                "body_amp": body_amp,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "recipient": recipient,
                "subject": subject,
                "preheader_text": preheader_text,
                "headers": headers,
            },
        )

    @operation("app_api", "getNewsletterVariantTranslation")
    def get_translation(
        self,
        *,
        newsletter_id: int,
        language: str,
    ) -> m.Content:
        """Get a translation of a newsletter variant (operation ``getNewsletterVariantTranslation``)."""
        return self._call(
            "getNewsletterVariantTranslation", {"newsletter_id": newsletter_id, "language": language}
        )

    @operation("app_api", "updateNewsletterVariantTranslation")
    def update_translation(
        self,
        *,
        newsletter_id: int,
        language: str,
        body: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        recipient: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        headers: Sequence[Mapping[str, Any]] | Unset = UNSET,
    ) -> m.Content:
        """Update a translation of a newsletter variant (operation ``updateNewsletterVariantTranslation``)."""
        return self._call(
            "updateNewsletterVariantTranslation",
            {
                "newsletter_id": newsletter_id,
                "language": language,
                "body": body,
                "body_amp": body_amp,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "recipient": recipient,
                "subject": subject,
                "preheader_text": preheader_text,
                "headers": headers,
            },
        )

    @operation("app_api", "getNewsletterVariantTranslationTest")
    def get_test_translation(
        self,
        *,
        newsletter_id: int,
        test_group_id: str,
        language: str,
    ) -> m.Content:
        """Get a translation in a newsletter test group (operation ``getNewsletterVariantTranslationTest``)."""
        return self._call(
            "getNewsletterVariantTranslationTest",
            {"newsletter_id": newsletter_id, "test_group_id": test_group_id, "language": language},
        )

    @operation("app_api", "updateNewsletterTestTranslation")
    def update_test_translation(
        self,
        *,
        newsletter_id: int,
        test_group_id: str,
        language: str,
        body: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        recipient: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        headers: Sequence[Mapping[str, Any]] | Unset = UNSET,
    ) -> m.Content:
        """Update a translation in a newsletter test group (operation ``updateNewsletterTestTranslation``)."""
        return self._call(
            "updateNewsletterTestTranslation",
            {
                "newsletter_id": newsletter_id,
                "test_group_id": test_group_id,
                "language": language,
                "body": body,
                "body_amp": body_amp,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "recipient": recipient,
                "subject": subject,
                "preheader_text": preheader_text,
                "headers": headers,
            },
        )

    @operation("app_api", "getVariantMetrics")
    def metrics(
        self,
        *,
        newsletter_id: int,
        content_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> m.CampaignMetric:
        """Get metrics for a variant (operation ``getVariantMetrics``)."""
        return self._call(
            "getVariantMetrics",
            {
                "newsletter_id": newsletter_id,
                "content_id": content_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )

    def metrics_frame(
        self,
        *,
        newsletter_id: int,
        content_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> pd.DataFrame:
        """Get metrics for a variant as a tidy DataFrame, one row per period and metric (operation ``getVariantMetrics``)."""
        return self._frame(
            "getVariantMetrics",
            "series",
            {
                "newsletter_id": newsletter_id,
                "content_id": content_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )

    @operation("app_api", "getVariantLinks")
    def link_metrics(
        self,
        *,
        newsletter_id: int,
        content_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> SyncPage[m.Link]:
        """Get newsletter variant link metrics (operation ``getVariantLinks``)."""
        return self._page(
            "getVariantLinks",
            {
                "newsletter_id": newsletter_id,
                "content_id": content_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )

    def link_metrics_frame(
        self,
        *,
        newsletter_id: int,
        content_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> pd.DataFrame:
        """Get newsletter variant link metrics as a tidy DataFrame, one row per period and metric (operation ``getVariantLinks``)."""
        return self._frame(
            "getVariantLinks",
            "links",
            {
                "newsletter_id": newsletter_id,
                "content_id": content_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )


class AsyncNewsletterContents(AsyncResource):
    """Newsletter variants (contents) and their translations."""

    @operation("app_api", "listNewsletterVariants")
    async def list(
        self,
        *,
        newsletter_id: int,
    ) -> AsyncPage[m.Content]:
        """List newsletter variants (operation ``listNewsletterVariants``)."""
        return await self._page("listNewsletterVariants", {"newsletter_id": newsletter_id})

    @operation("app_api", "getNewsletterVariant")
    async def get(
        self,
        *,
        newsletter_id: int,
        content_id: int,
    ) -> m.Content:
        """Get a newsletter variant (operation ``getNewsletterVariant``)."""
        return await self._call(
            "getNewsletterVariant", {"newsletter_id": newsletter_id, "content_id": content_id}
        )

    @operation("app_api", "updateNewsletterVariant")
    async def update(
        self,
        *,
        newsletter_id: int,
        content_id: int,
        body: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        recipient: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        headers: Sequence[Mapping[str, Any]] | Unset = UNSET,
    ) -> m.Content:
        """Update a newsletter variant (operation ``updateNewsletterVariant``)."""
        return await self._call(
            "updateNewsletterVariant",
            {
                "newsletter_id": newsletter_id,
                "content_id": content_id,
                "body": body,
                "body_amp": body_amp,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "recipient": recipient,
                "subject": subject,
                "preheader_text": preheader_text,
                "headers": headers,
            },
        )

    @operation("app_api", "getNewsletterVariantTranslation")
    async def get_translation(
        self,
        *,
        newsletter_id: int,
        language: str,
    ) -> m.Content:
        """Get a translation of a newsletter variant (operation ``getNewsletterVariantTranslation``)."""
        return await self._call(
            "getNewsletterVariantTranslation", {"newsletter_id": newsletter_id, "language": language}
        )

    @operation("app_api", "updateNewsletterVariantTranslation")
    async def update_translation(
        self,
        *,
        newsletter_id: int,
        language: str,
        body: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        recipient: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        headers: Sequence[Mapping[str, Any]] | Unset = UNSET,
    ) -> m.Content:
        """Update a translation of a newsletter variant (operation ``updateNewsletterVariantTranslation``)."""
        return await self._call(
            "updateNewsletterVariantTranslation",
            {
                "newsletter_id": newsletter_id,
                "language": language,
                "body": body,
                "body_amp": body_amp,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "recipient": recipient,
                "subject": subject,
                "preheader_text": preheader_text,
                "headers": headers,
            },
        )

    @operation("app_api", "getNewsletterVariantTranslationTest")
    async def get_test_translation(
        self,
        *,
        newsletter_id: int,
        test_group_id: str,
        language: str,
    ) -> m.Content:
        """Get a translation in a newsletter test group (operation ``getNewsletterVariantTranslationTest``)."""
        return await self._call(
            "getNewsletterVariantTranslationTest",
            {"newsletter_id": newsletter_id, "test_group_id": test_group_id, "language": language},
        )

    @operation("app_api", "updateNewsletterTestTranslation")
    async def update_test_translation(
        self,
        *,
        newsletter_id: int,
        test_group_id: str,
        language: str,
        body: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        recipient: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        headers: Sequence[Mapping[str, Any]] | Unset = UNSET,
    ) -> m.Content:
        """Update a translation in a newsletter test group (operation ``updateNewsletterTestTranslation``)."""
        return await self._call(
            "updateNewsletterTestTranslation",
            {
                "newsletter_id": newsletter_id,
                "test_group_id": test_group_id,
                "language": language,
                "body": body,
                "body_amp": body_amp,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "recipient": recipient,
                "subject": subject,
                "preheader_text": preheader_text,
                "headers": headers,
            },
        )

    @operation("app_api", "getVariantMetrics")
    async def metrics(
        self,
        *,
        newsletter_id: int,
        content_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> m.CampaignMetric:
        """Get metrics for a variant (operation ``getVariantMetrics``)."""
        return await self._call(
            "getVariantMetrics",
            {
                "newsletter_id": newsletter_id,
                "content_id": content_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )

    async def metrics_frame(
        self,
        *,
        newsletter_id: int,
        content_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> pd.DataFrame:
        """Get metrics for a variant as a tidy DataFrame, one row per period and metric (operation ``getVariantMetrics``)."""
        return await self._frame(
            "getVariantMetrics",
            "series",
            {
                "newsletter_id": newsletter_id,
                "content_id": content_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )

    @operation("app_api", "getVariantLinks")
    async def link_metrics(
        self,
        *,
        newsletter_id: int,
        content_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> AsyncPage[m.Link]:
        """Get newsletter variant link metrics (operation ``getVariantLinks``)."""
        return await self._page(
            "getVariantLinks",
            {
                "newsletter_id": newsletter_id,
                "content_id": content_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )

    async def link_metrics_frame(
        self,
        *,
        newsletter_id: int,
        content_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> pd.DataFrame:
        """Get newsletter variant link metrics as a tidy DataFrame, one row per period and metric (operation ``getVariantLinks``)."""
        return await self._frame(
            "getVariantLinks",
            "links",
            {
                "newsletter_id": newsletter_id,
                "content_id": content_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )


class Newsletters(SyncResource):
    """Newsletters, their metrics, messages and test groups."""

    @functools.cached_property
    def contents(self) -> NewsletterContents:
        """Newsletter variants (contents) and their translations."""
        return NewsletterContents(self._client)

    @operation("app_api", "listNewsletters")
    def list(
        self,
        *,
        limit: int | None = None,
        sort: Literal["asc", "desc"] | None = None,
        start: str | None = None,
    ) -> SyncPage[m.Newsletter]:
        """List newsletters (operation ``listNewsletters``)."""
        return self._page("listNewsletters", {"limit": limit, "sort": sort, "start": start})

    @operation("app_api", "getNewsletters")
    def get(
        self,
        *,
        newsletter_id: int,
    ) -> m.Newsletter:
        """Get a newsletter (operation ``getNewsletters``)."""
        return self._call("getNewsletters", {"newsletter_id": newsletter_id})

    @operation("app_api", "deletetNewsletters")
    def delete(
        self,
        *,
        newsletter_id: int,
    ) -> None:
        """Delete a newsletter (operation ``deletetNewsletters``)."""
        return self._call("deletetNewsletters", {"newsletter_id": newsletter_id})

    @operation("app_api", "getNewsletterMetrics")
    def metrics(
        self,
        *,
        newsletter_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> m.CampaignMetric:
        """Get newsletter metrics (operation ``getNewsletterMetrics``)."""
        return self._call(
            "getNewsletterMetrics",
            {"newsletter_id": newsletter_id, "period": period, "steps": steps, "type": type},
        )

    def metrics_frame(
        self,
        *,
        newsletter_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> pd.DataFrame:
        """Get newsletter metrics as a tidy DataFrame, one row per period and metric (operation ``getNewsletterMetrics``)."""
        return self._frame(
            "getNewsletterMetrics",
            "series",
            {"newsletter_id": newsletter_id, "period": period, "steps": steps, "type": type},
        )

    @operation("app_api", "getNewsletterLinks")
    def link_metrics(
        self,
        *,
        newsletter_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> SyncPage[m.Link]:
        """Get newsletter link metrics (operation ``getNewsletterLinks``)."""
        return self._page(
            "getNewsletterLinks",
            {"newsletter_id": newsletter_id, "period": period, "steps": steps, "unique": unique},
        )

    def link_metrics_frame(
        self,
        *,
        newsletter_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> pd.DataFrame:
        """Get newsletter link metrics as a tidy DataFrame, one row per period and metric (operation ``getNewsletterLinks``)."""
        return self._frame(
            "getNewsletterLinks",
            "links",
            {"newsletter_id": newsletter_id, "period": period, "steps": steps, "unique": unique},
        )

    @operation("app_api", "getNewsletterMsgMeta")
    def messages(
        self,
        *,
        newsletter_id: int,
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
        start_ts: int | datetime.datetime | None = None,
        end_ts: int | datetime.datetime | None = None,
    ) -> SyncPage[m.NewsletterMessage]:
        """Get newsletter message metadata (operation ``getNewsletterMsgMeta``)."""
        return self._page(
            "getNewsletterMsgMeta",
            {
                "newsletter_id": newsletter_id,
                "start": start,
                "limit": limit,
                "metric": metric,
                "start_ts": start_ts,
                "end_ts": end_ts,
            },
        )

    @operation("app_api", "getNewsletterTestGroups")
    def test_groups(
        self,
        *,
        newsletter_id: int,
    ) -> SyncPage[m.TestGroup]:
        """List A/B test groups in a newsletter (operation ``getNewsletterTestGroups``)."""
        return self._page("getNewsletterTestGroups", {"newsletter_id": newsletter_id})


class AsyncNewsletters(AsyncResource):
    """Newsletters, their metrics, messages and test groups."""

    @functools.cached_property
    def contents(self) -> AsyncNewsletterContents:
        """Newsletter variants (contents) and their translations."""
        return AsyncNewsletterContents(self._client)

    @operation("app_api", "listNewsletters")
    async def list(
        self,
        *,
        limit: int | None = None,
        sort: Literal["asc", "desc"] | None = None,
        start: str | None = None,
    ) -> AsyncPage[m.Newsletter]:
        """List newsletters (operation ``listNewsletters``)."""
        return await self._page("listNewsletters", {"limit": limit, "sort": sort, "start": start})

    @operation("app_api", "getNewsletters")
    async def get(
        self,
        *,
        newsletter_id: int,
    ) -> m.Newsletter:
        """Get a newsletter (operation ``getNewsletters``)."""
        return await self._call("getNewsletters", {"newsletter_id": newsletter_id})

    @operation("app_api", "deletetNewsletters")
    async def delete(
        self,
        *,
        newsletter_id: int,
    ) -> None:
        """Delete a newsletter (operation ``deletetNewsletters``)."""
        return await self._call("deletetNewsletters", {"newsletter_id": newsletter_id})

    @operation("app_api", "getNewsletterMetrics")
    async def metrics(
        self,
        *,
        newsletter_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> m.CampaignMetric:
        """Get newsletter metrics (operation ``getNewsletterMetrics``)."""
        return await self._call(
            "getNewsletterMetrics",
            {"newsletter_id": newsletter_id, "period": period, "steps": steps, "type": type},
        )

    async def metrics_frame(
        self,
        *,
        newsletter_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> pd.DataFrame:
        """Get newsletter metrics as a tidy DataFrame, one row per period and metric (operation ``getNewsletterMetrics``)."""
        return await self._frame(
            "getNewsletterMetrics",
            "series",
            {"newsletter_id": newsletter_id, "period": period, "steps": steps, "type": type},
        )

    @operation("app_api", "getNewsletterLinks")
    async def link_metrics(
        self,
        *,
        newsletter_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> AsyncPage[m.Link]:
        """Get newsletter link metrics (operation ``getNewsletterLinks``)."""
        return await self._page(
            "getNewsletterLinks",
            {"newsletter_id": newsletter_id, "period": period, "steps": steps, "unique": unique},
        )

    async def link_metrics_frame(
        self,
        *,
        newsletter_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> pd.DataFrame:
        """Get newsletter link metrics as a tidy DataFrame, one row per period and metric (operation ``getNewsletterLinks``)."""
        return await self._frame(
            "getNewsletterLinks",
            "links",
            {"newsletter_id": newsletter_id, "period": period, "steps": steps, "unique": unique},
        )

    @operation("app_api", "getNewsletterMsgMeta")
    async def messages(
        self,
        *,
        newsletter_id: int,
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
        start_ts: int | datetime.datetime | None = None,
        end_ts: int | datetime.datetime | None = None,
    ) -> AsyncPage[m.NewsletterMessage]:
        """Get newsletter message metadata (operation ``getNewsletterMsgMeta``)."""
        return await self._page(
            "getNewsletterMsgMeta",
            {
                "newsletter_id": newsletter_id,
                "start": start,
                "limit": limit,
                "metric": metric,
                "start_ts": start_ts,
                "end_ts": end_ts,
            },
        )

    @operation("app_api", "getNewsletterTestGroups")
    async def test_groups(
        self,
        *,
        newsletter_id: int,
    ) -> AsyncPage[m.TestGroup]:
        """List A/B test groups in a newsletter (operation ``getNewsletterTestGroups``)."""
        return await self._page("getNewsletterTestGroups", {"newsletter_id": newsletter_id})
