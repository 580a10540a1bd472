# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Campaigns resources of the App API (generated)."""

from __future__ import annotations

import datetime
import functools
from typing import TYPE_CHECKING, Literal

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit._types import UNSET, Unset
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AsyncCampaignActions", "AsyncCampaigns", "CampaignActions", "Campaigns"]


class CampaignActions(SyncResource):
    """The actions (messages) of a campaign: content, translations, metrics."""

    @operation("app_api", "listCampaignActions")
    def list(
        self,
        *,
        campaign_id: int,
        start: str | None = None,
    ) -> SyncPage[m.CampaignAction1 | m.CampaignAction2 | m.CampaignAction3]:
        """List campaign actions (operation ``listCampaignActions``)."""
        return self._page("listCampaignActions", {"campaign_id": campaign_id, "start": start})

    @operation("app_api", "getCampaignAction")
    def get(
        self,
        *,
        campaign_id: int,
        action_id: int,
    ) -> m.CampaignAction1 | m.CampaignAction2 | m.CampaignAction3:
        """Get a campaign action (operation ``getCampaignAction``)."""
        return self._call("getCampaignAction", {"campaign_id": campaign_id, "action_id": action_id})

    @operation("app_api", "updateCampaignAction")
    def update(
        self,
        *,
        campaign_id: int,
        action_id: int,
        body: str | Unset = UNSET,
        sending_state: Literal["automatic", "draft", "off"] | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        recipient: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        headers: str | Unset = UNSET,
        image_url: str | Unset = UNSET,
        url: str | Unset = UNSET,
        method: Literal["get", "post", "put", "delete", "patch"] | Unset = UNSET,
    ) -> m.CampaignAction1 | m.CampaignAction2 | m.CampaignAction3:
        """Update a campaign action (operation ``updateCampaignAction``)."""
        return self._call(
            "updateCampaignAction",
            {
                "campaign_id": campaign_id,
                "action_id": action_id,
                "body": body,
                "sending_state": sending_state,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "recipient": recipient,
                "subject": subject,
                "preheader_text": preheader_text,
                "body_amp": body_amp,
                "headers": headers,
                "image_url": image_url,
                "url": url,
                "method": method,
            },
        )

    @operation("app_api", "getCampaignActionTranslation")
    def get_translation(
        self,
        *,
        campaign_id: int,
        action_id: int,
        language: str,
    ) -> m.CampaignAction1 | m.CampaignAction2 | m.CampaignAction3:
        """Get a translation of a campaign message (operation ``getCampaignActionTranslation``)."""
        return self._call(
            "getCampaignActionTranslation",
            {"campaign_id": campaign_id, "action_id": action_id, "language": language},
        )

    @operation("app_api", "updateCampaignActionTranslation")
    def update_translation(
        self,
        *,
        campaign_id: int,
        action_id: int,
        language: str,
        body: str | Unset = UNSET,
        sending_state: Literal["automatic", "draft", "off"] | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        recipient: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        headers: str | Unset = UNSET,
        image_url: str | Unset = UNSET,
        url: str | Unset = UNSET,
        method: Literal["get", "post", "put", "delete", "patch"] | Unset = UNSET,
    ) -> m.CampaignAction1 | m.CampaignAction2 | m.CampaignAction3:
        """Update a translation of a campaign message (operation ``updateCampaignActionTranslation``)."""
        return self._call(
            "updateCampaignActionTranslation",
            {
                "campaign_id": campaign_id,
                "action_id": action_id,
                "language": language,
                "body": body,
                "sending_state": sending_state,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "recipient": recipient,
                "subject": subject,
                "preheader_text": preheader_text,
                "body_amp": body_amp,
                "headers": headers,
                "image_url": image_url,
                "url": url,
                "method": method,
            },
        )

    @operation("app_api", "campaignActionMetrics")
    def metrics(
        self,
        *,
        campaign_id: int,
        action_id: int,
        version: Literal["1", "2"],
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
        res: Literal["hours", "hourly", "days", "daily", "weeks", "weekly", "months", "monthly"]
        | None = None,
        tz: str | None = None,
        start: int | datetime.datetime | None = None,
        end: int | datetime.datetime | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
    ) -> m.CampaignMetric | m.Metric2:
        """Get campaign action metrics (operation ``campaignActionMetrics``)."""
        return self._call(
            "campaignActionMetrics",
            {
                "campaign_id": campaign_id,
                "action_id": action_id,
                "version": version,
                "type": type,
                "res": res,
                "tz": tz,
                "start": start,
                "end": end,
                "period": period,
                "steps": steps,
            },
        )

    def metrics_frame(
        self,
        *,
        campaign_id: int,
        action_id: int,
        version: Literal["1", "2"],
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
        res: Literal["hours", "hourly", "days", "daily", "weeks", "weekly", "months", "monthly"]
        | None = None,
        tz: str | None = None,
        start: int | datetime.datetime | None = None,
        end: int | datetime.datetime | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
    ) -> pd.DataFrame:
        """Get campaign action metrics as a tidy DataFrame, one row per period and metric (operation ``campaignActionMetrics``)."""
        return self._frame(
            "campaignActionMetrics",
            "series",
            {
                "campaign_id": campaign_id,
                "action_id": action_id,
                "version": version,
                "type": type,
                "res": res,
                "tz": tz,
                "start": start,
                "end": end,
                "period": period,
                "steps": steps,
            },
        )

    @operation("app_api", "campaignActionLinks")
    def link_metrics(
        self,
        *,
        campaign_id: int,
        action_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> SyncPage[m.Link]:
        """Get link metrics for an action (operation ``campaignActionLinks``)."""
        return self._page(
            "campaignActionLinks",
            {
                "campaign_id": campaign_id,
                "action_id": action_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )

    def link_metrics_frame(
        self,
        *,
        campaign_id: int,
        action_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> pd.DataFrame:
        """Get link metrics for an action as a tidy DataFrame, one row per period and metric (operation ``campaignActionLinks``)."""
        return self._frame(
            "campaignActionLinks",
            "links",
            {
                "campaign_id": campaign_id,
                "action_id": action_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )


class AsyncCampaignActions(AsyncResource):
    """The actions (messages) of a campaign: content, translations, metrics."""

    @operation("app_api", "listCampaignActions")
    async def list(
        self,
        *,
        campaign_id: int,
        start: str | None = None,
    ) -> AsyncPage[m.CampaignAction1 | m.CampaignAction2 | m.CampaignAction3]:
        """List campaign actions (operation ``listCampaignActions``)."""
        return await self._page("listCampaignActions", {"campaign_id": campaign_id, "start": start})

    @operation("app_api", "getCampaignAction")
    async def get(
        self,
        *,
        campaign_id: int,
        action_id: int,
    ) -> m.CampaignAction1 | m.CampaignAction2 | m.CampaignAction3:
        """Get a campaign action (operation ``getCampaignAction``)."""
        return await self._call("getCampaignAction", {"campaign_id": campaign_id, "action_id": action_id})

    @operation("app_api", "updateCampaignAction")
    async def update(
        self,
        *,
        campaign_id: int,
        action_id: int,
        body: str | Unset = UNSET,
        sending_state: Literal["automatic", "draft", "off"] | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        recipient: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        headers: str | Unset = UNSET,
        image_url: str | Unset = UNSET,
        url: str | Unset = UNSET,
        method: Literal["get", "post", "put", "delete", "patch"] | Unset = UNSET,
    ) -> m.CampaignAction1 | m.CampaignAction2 | m.CampaignAction3:
        """Update a campaign action (operation ``updateCampaignAction``)."""
        return await self._call(
            "updateCampaignAction",
            {
                "campaign_id": campaign_id,
                "action_id": action_id,
                "body": body,
                "sending_state": sending_state,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "recipient": recipient,
                "subject": subject,
                "preheader_text": preheader_text,
                "body_amp": body_amp,
                "headers": headers,
                "image_url": image_url,
                "url": url,
                "method": method,
            },
        )

    @operation("app_api", "getCampaignActionTranslation")
    async def get_translation(
        self,
        *,
        campaign_id: int,
        action_id: int,
        language: str,
    ) -> m.CampaignAction1 | m.CampaignAction2 | m.CampaignAction3:
        """Get a translation of a campaign message (operation ``getCampaignActionTranslation``)."""
        return await self._call(
            "getCampaignActionTranslation",
            {"campaign_id": campaign_id, "action_id": action_id, "language": language},
        )

    @operation("app_api", "updateCampaignActionTranslation")
    async def update_translation(
        self,
        *,
        campaign_id: int,
        action_id: int,
        language: str,
        body: str | Unset = UNSET,
        sending_state: Literal["automatic", "draft", "off"] | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        recipient: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        headers: str | Unset = UNSET,
        image_url: str | Unset = UNSET,
        url: str | Unset = UNSET,
        method: Literal["get", "post", "put", "delete", "patch"] | Unset = UNSET,
    ) -> m.CampaignAction1 | m.CampaignAction2 | m.CampaignAction3:
        """Update a translation of a campaign message (operation ``updateCampaignActionTranslation``)."""
        return await self._call(
            "updateCampaignActionTranslation",
            {
                "campaign_id": campaign_id,
                "action_id": action_id,
                "language": language,
                "body": body,
                "sending_state": sending_state,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "recipient": recipient,
                "subject": subject,
                "preheader_text": preheader_text,
                "body_amp": body_amp,
                "headers": headers,
                "image_url": image_url,
                "url": url,
                "method": method,
            },
        )

    @operation("app_api", "campaignActionMetrics")
    async def metrics(
        self,
        *,
        campaign_id: int,
        action_id: int,
        version: Literal["1", "2"],
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
        res: Literal["hours", "hourly", "days", "daily", "weeks", "weekly", "months", "monthly"]
        | None = None,
        tz: str | None = None,
        start: int | datetime.datetime | None = None,
        end: int | datetime.datetime | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
    ) -> m.CampaignMetric | m.Metric2:
        """Get campaign action metrics (operation ``campaignActionMetrics``)."""
        return await self._call(
            "campaignActionMetrics",
            {
                "campaign_id": campaign_id,
                "action_id": action_id,
                "version": version,
                "type": type,
                "res": res,
                "tz": tz,
                "start": start,
                "end": end,
                "period": period,
                "steps": steps,
            },
        )

    async def metrics_frame(
        self,
        *,
        campaign_id: int,
        action_id: int,
        version: Literal["1", "2"],
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
        res: Literal["hours", "hourly", "days", "daily", "weeks", "weekly", "months", "monthly"]
        | None = None,
        tz: str | None = None,
        start: int | datetime.datetime | None = None,
        end: int | datetime.datetime | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
    ) -> pd.DataFrame:
        """Get campaign action metrics as a tidy DataFrame, one row per period and metric (operation ``campaignActionMetrics``)."""
        return await self._frame(
            "campaignActionMetrics",
            "series",
            {
                "campaign_id": campaign_id,
                "action_id": action_id,
                "version": version,
                "type": type,
                "res": res,
                "tz": tz,
                "start": start,
                "end": end,
                "period": period,
                "steps": steps,
            },
        )

    @operation("app_api", "campaignActionLinks")
    async def link_metrics(
        self,
        *,
        campaign_id: int,
        action_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> AsyncPage[m.Link]:
        """Get link metrics for an action (operation ``campaignActionLinks``)."""
        return await self._page(
            "campaignActionLinks",
            {
                "campaign_id": campaign_id,
                "action_id": action_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )

    async def link_metrics_frame(
        self,
        *,
        campaign_id: int,
        action_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> pd.DataFrame:
        """Get link metrics for an action as a tidy DataFrame, one row per period and metric (operation ``campaignActionLinks``)."""
        return await self._frame(
            "campaignActionLinks",
            "links",
            {
                "campaign_id": campaign_id,
                "action_id": action_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )


class Campaigns(SyncResource):
    """Campaigns, their metrics and messages."""

    @functools.cached_property
    def actions(self) -> CampaignActions:
        """The actions (messages) of a campaign: content, translations, metrics."""
        return CampaignActions(self._client)

    @operation("app_api", "listCampaigns")
    def list(
        self,
    ) -> SyncPage[
        m.Campaign1 | m.Campaign2 | m.Campaign3 | m.Campaign4 | m.Campaign5 | m.Campaign6 | m.Campaign7
    ]:
        """List campaigns (operation ``listCampaigns``)."""
        return self._page("listCampaigns", {})

    @operation("app_api", "getCampaigns")
    def get(
        self,
        *,
        campaign_id: int,
    ) -> m.Campaign1 | m.Campaign2 | m.Campaign3 | m.Campaign4 | m.Campaign5 | m.Campaign6 | m.Campaign7:
        """Get a campaign (operation ``getCampaigns``)."""
        return self._call("getCampaigns", {"campaign_id": campaign_id})

    @operation("app_api", "campaignMetrics")
    def metrics(
        self,
        *,
        campaign_id: int,
        version: Literal["1", "2"],
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
        res: Literal["hours", "hourly", "days", "daily", "weeks", "weekly", "months", "monthly"]
        | None = None,
        tz: str | None = None,
        start: int | datetime.datetime | None = None,
        end: int | datetime.datetime | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
    ) -> m.CampaignMetric | m.Metric2:
        """Get campaign metrics (operation ``campaignMetrics``)."""
        return self._call(
            "campaignMetrics",
            {
                "campaign_id": campaign_id,
                "version": version,
                "type": type,
                "res": res,
                "tz": tz,
                "start": start,
                "end": end,
                "period": period,
                "steps": steps,
            },
        )

    def metrics_frame(
        self,
        *,
        campaign_id: int,
        version: Literal["1", "2"],
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
        res: Literal["hours", "hourly", "days", "daily", "weeks", "weekly", "months", "monthly"]
        | None = None,
        tz: str | None = None,
        start: int | datetime.datetime | None = None,
        end: int | datetime.datetime | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
    ) -> pd.DataFrame:
        """Get campaign metrics as a tidy DataFrame, one row per period and metric (operation ``campaignMetrics``)."""
        return self._frame(
            "campaignMetrics",
            "series",
            {
                "campaign_id": campaign_id,
                "version": version,
                "type": type,
                "res": res,
                "tz": tz,
                "start": start,
                "end": end,
                "period": period,
                "steps": steps,
            },
        )

    @operation("app_api", "campaignLinkMetrics")
    def link_metrics(
        self,
        *,
        campaign_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> SyncPage[m.Link]:
        """Get campaign link metrics (operation ``campaignLinkMetrics``)."""
        return self._page(
            "campaignLinkMetrics",
            {"campaign_id": campaign_id, "period": period, "steps": steps, "unique": unique},
        )

    def link_metrics_frame(
        self,
        *,
        campaign_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> pd.DataFrame:
        """Get campaign link metrics as a tidy DataFrame, one row per period and metric (operation ``campaignLinkMetrics``)."""
        return self._frame(
            "campaignLinkMetrics",
            "links",
            {"campaign_id": campaign_id, "period": period, "steps": steps, "unique": unique},
        )

    @operation("app_api", "getCampaignMessages")
    def messages(
        self,
        *,
        campaign_id: int,
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
        start_ts: int | datetime.datetime | None = None,
        end_ts: int | datetime.datetime | None = None,
    ) -> SyncPage[m.CampaignMessage]:
        """Get campaign message metadata (operation ``getCampaignMessages``)."""
        return self._page(
            "getCampaignMessages",
            {
                "campaign_id": campaign_id,
                "start": start,
                "limit": limit,
                "type": type,
                "metric": metric,
                "drafts": drafts,
                "start_ts": start_ts,
                "end_ts": end_ts,
            },
        )

    @operation("app_api", "campaignJourneyMetrics")
    def journey_metrics(
        self,
        *,
        campaign_id: int,
        start: int | datetime.datetime,
        end: int | datetime.datetime,
        res: Literal["hours", "hourly", "days", "daily", "weeks", "weekly", "months", "monthly"],
    ) -> m.JourneyMetric:
        """Get campaign journey metrics (operation ``campaignJourneyMetrics``)."""
        return self._call(
            "campaignJourneyMetrics", {"campaign_id": campaign_id, "start": start, "end": end, "res": res}
        )

    def journey_metrics_frame(
        self,
        *,
        campaign_id: int,
        start: int | datetime.datetime,
        end: int | datetime.datetime,
        res: Literal["hours", "hourly", "days", "daily", "weeks", "weekly", "months", "monthly"],
    ) -> pd.DataFrame:
        """Get campaign journey metrics as a tidy DataFrame, one row per period and metric (operation ``campaignJourneyMetrics``)."""
        return self._frame(
            "campaignJourneyMetrics",
            "journey",
            {"campaign_id": campaign_id, "start": start, "end": end, "res": res},
        )


class AsyncCampaigns(AsyncResource):
    """Campaigns, their metrics and messages."""

    @functools.cached_property
    def actions(self) -> AsyncCampaignActions:
        """The actions (messages) of a campaign: content, translations, metrics."""
        return AsyncCampaignActions(self._client)

    @operation("app_api", "listCampaigns")
    async def list(
        self,
    ) -> AsyncPage[
        m.Campaign1 | m.Campaign2 | m.Campaign3 | m.Campaign4 | m.Campaign5 | m.Campaign6 | m.Campaign7
    ]:
        """List campaigns (operation ``listCampaigns``)."""
        return await self._page("listCampaigns", {})

    @operation("app_api", "getCampaigns")
    async def get(
        self,
        *,
        campaign_id: int,
    ) -> m.Campaign1 | m.Campaign2 | m.Campaign3 | m.Campaign4 | m.Campaign5 | m.Campaign6 | m.Campaign7:
        """Get a campaign (operation ``getCampaigns``)."""
        return await self._call("getCampaigns", {"campaign_id": campaign_id})

    @operation("app_api", "campaignMetrics")
    async def metrics(
        self,
        *,
        campaign_id: int,
        version: Literal["1", "2"],
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
        res: Literal["hours", "hourly", "days", "daily", "weeks", "weekly", "months", "monthly"]
        | None = None,
        tz: str | None = None,
        start: int | datetime.datetime | None = None,
        end: int | datetime.datetime | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
    ) -> m.CampaignMetric | m.Metric2:
        """Get campaign metrics (operation ``campaignMetrics``)."""
        return await self._call(
            "campaignMetrics",
            {
                "campaign_id": campaign_id,
                "version": version,
                "type": type,
                "res": res,
                "tz": tz,
                "start": start,
                "end": end,
                "period": period,
                "steps": steps,
            },
        )

    async def metrics_frame(
        self,
        *,
        campaign_id: int,
        version: Literal["1", "2"],
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
        res: Literal["hours", "hourly", "days", "daily", "weeks", "weekly", "months", "monthly"]
        | None = None,
        tz: str | None = None,
        start: int | datetime.datetime | None = None,
        end: int | datetime.datetime | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
    ) -> pd.DataFrame:
        """Get campaign metrics as a tidy DataFrame, one row per period and metric (operation ``campaignMetrics``)."""
        return await self._frame(
            "campaignMetrics",
            "series",
            {
                "campaign_id": campaign_id,
                "version": version,
                "type": type,
                "res": res,
                "tz": tz,
                "start": start,
                "end": end,
                "period": period,
                "steps": steps,
            },
        )

    @operation("app_api", "campaignLinkMetrics")
    async def link_metrics(
        self,
        *,
        campaign_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> AsyncPage[m.Link]:
        """Get campaign link metrics (operation ``campaignLinkMetrics``)."""
        return await self._page(
            "campaignLinkMetrics",
            {"campaign_id": campaign_id, "period": period, "steps": steps, "unique": unique},
        )

    async def link_metrics_frame(
        self,
        *,
        campaign_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> pd.DataFrame:
        """Get campaign link metrics as a tidy DataFrame, one row per period and metric (operation ``campaignLinkMetrics``)."""
        return await self._frame(
            "campaignLinkMetrics",
            "links",
            {"campaign_id": campaign_id, "period": period, "steps": steps, "unique": unique},
        )

    @operation("app_api", "getCampaignMessages")
    async def messages(
        self,
        *,
        campaign_id: int,
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
        start_ts: int | datetime.datetime | None = None,
        end_ts: int | datetime.datetime | None = None,
    ) -> AsyncPage[m.CampaignMessage]:
        """Get campaign message metadata (operation ``getCampaignMessages``)."""
        return await self._page(
            "getCampaignMessages",
            {
                "campaign_id": campaign_id,
                "start": start,
                "limit": limit,
                "type": type,
                "metric": metric,
                "drafts": drafts,
                "start_ts": start_ts,
                "end_ts": end_ts,
            },
        )

    @operation("app_api", "campaignJourneyMetrics")
    async def journey_metrics(
        self,
        *,
        campaign_id: int,
        start: int | datetime.datetime,
        end: int | datetime.datetime,
        res: Literal["hours", "hourly", "days", "daily", "weeks", "weekly", "months", "monthly"],
    ) -> m.JourneyMetric:
        """Get campaign journey metrics (operation ``campaignJourneyMetrics``)."""
        return await self._call(
            "campaignJourneyMetrics", {"campaign_id": campaign_id, "start": start, "end": end, "res": res}
        )

    async def journey_metrics_frame(
        self,
        *,
        campaign_id: int,
        start: int | datetime.datetime,
        end: int | datetime.datetime,
        res: Literal["hours", "hourly", "days", "daily", "weeks", "weekly", "months", "monthly"],
    ) -> pd.DataFrame:
        """Get campaign journey metrics as a tidy DataFrame, one row per period and metric (operation ``campaignJourneyMetrics``)."""
        return await self._frame(
            "campaignJourneyMetrics",
            "journey",
            {"campaign_id": campaign_id, "start": start, "end": end, "res": res},
        )
