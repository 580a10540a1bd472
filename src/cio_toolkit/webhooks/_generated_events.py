# GENERATED FILE - DO NOT EDIT.
# Source: the vendored reporting_webhooks.json spec (x-webhooks and components/schemas) and scripts/gen_webhook_events.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)
# 55 event classes.
# Spec quirks resolved in favour of the discriminator mapping:
#   push_drafted: metric enum says "attempted", discriminator says "drafted"
"""Typed reporting-webhook events, one class per spec schema (generated)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from cio_toolkit.webhooks._event_base import EventData, FieldSpec, WebhookEvent

__all__ = [
    "EmailAttempted",
    "EmailAttemptedData",
    "EmailBounced",
    "EmailBouncedData",
    "EmailClicked",
    "EmailClickedData",
    "EmailConverted",
    "EmailConvertedData",
    "EmailDelivered",
    "EmailDeliveredData",
    "EmailDrafted",
    "EmailDraftedData",
    "EmailDropped",
    "EmailDroppedData",
    "EmailFailed",
    "EmailFailedData",
    "EmailOpened",
    "EmailOpenedData",
    "EmailSent",
    "EmailSentData",
    "EmailSpammed",
    "EmailSpammedData",
    "EmailUndeliverable",
    "EmailUndeliverableData",
    "EmailUnsubscribed",
    "EmailUnsubscribedData",
    "InAppAttempted",
    "InAppAttemptedData",
    "InAppClicked",
    "InAppClickedData",
    "InAppConverted",
    "InAppConvertedData",
    "InAppDrafted",
    "InAppDraftedData",
    "InAppFailed",
    "InAppFailedData",
    "InAppOpened",
    "InAppOpenedData",
    "InAppSent",
    "InAppSentData",
    "InAppUndeliverable",
    "InAppUndeliverableData",
    "PersonCioSubscriptionPreferencesChanged",
    "PersonCioSubscriptionPreferencesChangedData",
    "PersonSubscribed",
    "PersonSubscribedData",
    "PersonUnsubscribed",
    "PersonUnsubscribedData",
    "PushAttempted",
    "PushAttemptedData",
    "PushBounced",
    "PushBouncedData",
    "PushClicked",
    "PushClickedData",
    "PushConverted",
    "PushConvertedData",
    "PushDelivered",
    "PushDeliveredData",
    "PushDrafted",
    "PushDraftedData",
    "PushDropped",
    "PushDroppedData",
    "PushFailed",
    "PushFailedData",
    "PushOpened",
    "PushOpenedData",
    "PushRecipient",
    "PushSent",
    "PushSentData",
    "PushUndeliverable",
    "PushUndeliverableData",
    "SlackAttempted",
    "SlackAttemptedData",
    "SlackClicked",
    "SlackClickedData",
    "SlackDrafted",
    "SlackDraftedData",
    "SlackFailed",
    "SlackFailedData",
    "SlackSent",
    "SlackSentData",
    "SlackUndeliverable",
    "SlackUndeliverableData",
    "SmsAttempted",
    "SmsAttemptedData",
    "SmsBounced",
    "SmsBouncedData",
    "SmsClicked",
    "SmsClickedData",
    "SmsConverted",
    "SmsConvertedData",
    "SmsDelivered",
    "SmsDeliveredData",
    "SmsDrafted",
    "SmsDraftedData",
    "SmsFailed",
    "SmsFailedData",
    "SmsSent",
    "SmsSentData",
    "WebhookAttempted",
    "WebhookAttemptedData",
    "WebhookClicked",
    "WebhookClickedData",
    "WebhookDrafted",
    "WebhookDraftedData",
    "WebhookFailed",
    "WebhookFailedData",
    "WebhookSent",
    "WebhookSentData",
    "WebhookUndeliverable",
    "WebhookUndeliverableData",
    "EVENT_CLASSES",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class PushRecipient:
    """Describes the device the push was sent to."""

    device_id: str | None = None
    device_platform: str | None = None
    failure_message: str | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        "device_id": ("str", None),
        "device_platform": ("str", None),
        "failure_message": ("str", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonSubscribedData(EventData):
    """``data`` of a customer ``subscribed`` event (schema ``person_subscribed``)."""

    #: The email address of the customer. (required by the spec)
    email_address: str | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "email_address": ("str", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonSubscribed(WebhookEvent):
    """A person subscribed to messages from you—their `unsubscribed` attribute was set to `false`."""

    data: PersonSubscribedData

    OBJECT_TYPE: ClassVar[str | None] = "customer"
    METRIC: ClassVar[str | None] = "subscribed"
    SCHEMA: ClassVar[str | None] = "person_subscribed"
    DATA_CLASS: ClassVar[type[EventData]] = PersonSubscribedData


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonUnsubscribedData(EventData):
    """``data`` of a customer ``unsubscribed`` event (schema ``person_unsubscribed``)."""

    #: The email address of the customer. (required by the spec)
    email_address: str | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "email_address": ("str", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonUnsubscribed(WebhookEvent):
    """A person unsubscribed to messages from you—their `unsubscribed` attribute was set to `true`."""

    data: PersonUnsubscribedData

    OBJECT_TYPE: ClassVar[str | None] = "customer"
    METRIC: ClassVar[str | None] = "unsubscribed"
    SCHEMA: ClassVar[str | None] = "person_unsubscribed"
    DATA_CLASS: ClassVar[type[EventData]] = PersonUnsubscribedData


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonCioSubscriptionPreferencesChangedData(EventData):
    """``data`` of a customer ``cio_subscription_preferences_changed`` event (schema ``person_cio_subscription_preferences_changed``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: Contains the subscription preferences that a person changed in a stringified object format. The `topic_1` key refers to a topic with an ID of `1`; you can get more information about each topic from our [App API](/api/app/#operation/getTopics). (required by the spec)
    content: str | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The email address of the customer. (required by the spec)
    email_address: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content": ("str", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "email_address": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonCioSubscriptionPreferencesChanged(WebhookEvent):
    """A person changed their subscription preferences through our subscription center or you changed their `cio_subscription_preferences` attribute values. Some fields in the `data` object change based on whether the message that resulted in the change originated from a broadcast, campaign, or newsletter."""

    data: PersonCioSubscriptionPreferencesChangedData

    OBJECT_TYPE: ClassVar[str | None] = "customer"
    METRIC: ClassVar[str | None] = "cio_subscription_preferences_changed"
    SCHEMA: ClassVar[str | None] = "person_cio_subscription_preferences_changed"
    DATA_CLASS: ClassVar[type[EventData]] = PersonCioSubscriptionPreferencesChangedData
    #: Top-level keys besides the common ones, read them from ``raw``: ['delivery_type'].


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailDraftedData(EventData):
    """``data`` of a email ``drafted`` event (schema ``email_drafted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The recipient address for an action. (required by the spec)
    recipient: str | None = None
    #: The subject of the email. (required by the spec)
    subject: str | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "subject": ("str", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailDrafted(WebhookEvent):
    """The metric recorded by the event. For `customer` events, this is whether the customer explicitly subscribed or unsubscribed."""

    data: EmailDraftedData

    OBJECT_TYPE: ClassVar[str | None] = "email"
    METRIC: ClassVar[str | None] = "drafted"
    SCHEMA: ClassVar[str | None] = "email_drafted"
    DATA_CLASS: ClassVar[type[EventData]] = EmailDraftedData


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailAttemptedData(EventData):
    """``data`` of a email ``attempted`` event (schema ``email_attempted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailAttempted(WebhookEvent):
    """An email could not be sent to the delivery provider and will be retried. The `failure_message` provides the reason for the failure."""

    data: EmailAttemptedData

    OBJECT_TYPE: ClassVar[str | None] = "email"
    METRIC: ClassVar[str | None] = "attempted"
    SCHEMA: ClassVar[str | None] = "email_attempted"
    DATA_CLASS: ClassVar[type[EventData]] = EmailAttemptedData


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailSentData(EventData):
    """``data`` of a email ``sent`` event (schema ``email_sent``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The body content of your email. This key only appears if you enabled the *Body Content* option when setting up your webhook.
    content: str | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The recipient address for an action. (required by the spec)
    recipient: str | None = None
    #: The subject of the email. (required by the spec)
    subject: str | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content": ("str", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "subject": ("str", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailSent(WebhookEvent):
    """A message was successfully sent. If you enabled the *Body Content* option with your webhook, the payload includes the `content` of your message."""

    data: EmailSentData

    OBJECT_TYPE: ClassVar[str | None] = "email"
    METRIC: ClassVar[str | None] = "sent"
    SCHEMA: ClassVar[str | None] = "email_sent"
    DATA_CLASS: ClassVar[type[EventData]] = EmailSentData


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailDeliveredData(EventData):
    """``data`` of a email ``delivered`` event (schema ``email_delivered``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The recipient address for an action. (required by the spec)
    recipient: str | None = None
    #: The subject of the email. (required by the spec)
    subject: str | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "subject": ("str", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailDelivered(WebhookEvent):
    """A message was successfully delivered to a recipient."""

    data: EmailDeliveredData

    OBJECT_TYPE: ClassVar[str | None] = "email"
    METRIC: ClassVar[str | None] = "delivered"
    SCHEMA: ClassVar[str | None] = "email_delivered"
    DATA_CLASS: ClassVar[type[EventData]] = EmailDeliveredData


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailOpenedData(EventData):
    """``data`` of a email ``opened`` event (schema ``email_opened``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: If true, the email was opened by Gmail, Apple Privacy Protection, or a user agent identified as a bot.
    prefetched: bool | None = None
    #: If true, the email was fetched by a proxy to hide the user identity, IP address, etc.
    proxied: bool | None = None
    #: The recipient address for an action. (required by the spec)
    recipient: str | None = None
    #: The subject of the email. (required by the spec)
    subject: str | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "prefetched": ("bool", None),
        "proxied": ("bool", None),
        "recipient": ("str", None),
        "subject": ("str", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailOpened(WebhookEvent):
    """An email was opened. If either property `proxied` or `prefetched` is `true`, the email was opened by a machine. Otherwise, it was opened by a human."""

    data: EmailOpenedData

    OBJECT_TYPE: ClassVar[str | None] = "email"
    METRIC: ClassVar[str | None] = "opened"
    SCHEMA: ClassVar[str | None] = "email_opened"
    DATA_CLASS: ClassVar[type[EventData]] = EmailOpenedData


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailClickedData(EventData):
    """``data`` of a email ``clicked`` event (schema ``email_clicked``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The URL of the link that a person clicked. (required by the spec)
    href: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for the tracked link that a person clicked or tapped. (required by the spec)
    link_id: int | None = None
    #: If true, the click was generated by a machine.
    machine: bool | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The recipient address for an action. (required by the spec)
    recipient: str | None = None
    #: The subject of the email. (required by the spec)
    subject: str | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "href": ("str", None),
        "journey_id": ("str", None),
        "link_id": ("int", None),
        "machine": ("bool", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "subject": ("str", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailClicked(WebhookEvent):
    """A tracked link in an email was clicked. If the property `machine` is `true`, the click was generated by a machine. Otherwise, it was clicked by a human."""

    data: EmailClickedData

    OBJECT_TYPE: ClassVar[str | None] = "email"
    METRIC: ClassVar[str | None] = "clicked"
    SCHEMA: ClassVar[str | None] = "email_clicked"
    DATA_CLASS: ClassVar[type[EventData]] = EmailClickedData


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailConvertedData(EventData):
    """``data`` of a email ``converted`` event (schema ``email_converted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The recipient address for an action. (required by the spec)
    recipient: str | None = None
    #: The subject of the email. (required by the spec)
    subject: str | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "subject": ("str", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailConverted(WebhookEvent):
    """A person matched a conversion goal attributed to an email."""

    data: EmailConvertedData

    OBJECT_TYPE: ClassVar[str | None] = "email"
    METRIC: ClassVar[str | None] = "converted"
    SCHEMA: ClassVar[str | None] = "email_converted"
    DATA_CLASS: ClassVar[type[EventData]] = EmailConvertedData


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailUnsubscribedData(EventData):
    """``data`` of a email ``unsubscribed`` event (schema ``email_unsubscribed``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The recipient address for an action. (required by the spec)
    recipient: str | None = None
    #: The subject of the email. (required by the spec)
    subject: str | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "subject": ("str", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailUnsubscribed(WebhookEvent):
    """The recipient unsubscribed based on a particular message."""

    data: EmailUnsubscribedData

    OBJECT_TYPE: ClassVar[str | None] = "email"
    METRIC: ClassVar[str | None] = "unsubscribed"
    SCHEMA: ClassVar[str | None] = "email_unsubscribed"
    DATA_CLASS: ClassVar[type[EventData]] = EmailUnsubscribedData


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailBouncedData(EventData):
    """``data`` of a email ``bounced`` event (schema ``email_bounced``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The recipient address for an action. (required by the spec)
    recipient: str | None = None
    #: The subject of the email. (required by the spec)
    subject: str | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "subject": ("str", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailBounced(WebhookEvent):
    """The delivery provider could not deliver an email."""

    data: EmailBouncedData

    OBJECT_TYPE: ClassVar[str | None] = "email"
    METRIC: ClassVar[str | None] = "bounced"
    SCHEMA: ClassVar[str | None] = "email_bounced"
    DATA_CLASS: ClassVar[type[EventData]] = EmailBouncedData


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailDroppedData(EventData):
    """``data`` of a email ``dropped`` event (schema ``email_dropped``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The recipient address for an action. (required by the spec)
    recipient: str | None = None
    #: The subject of the email. (required by the spec)
    subject: str | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "subject": ("str", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailDropped(WebhookEvent):
    """Customer.io did not send an email because it was addressed to a person who was suppressed."""

    data: EmailDroppedData

    OBJECT_TYPE: ClassVar[str | None] = "email"
    METRIC: ClassVar[str | None] = "dropped"
    SCHEMA: ClassVar[str | None] = "email_dropped"
    DATA_CLASS: ClassVar[type[EventData]] = EmailDroppedData


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailSpammedData(EventData):
    """``data`` of a email ``spammed`` event (schema ``email_spammed``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The recipient address for an action. (required by the spec)
    recipient: str | None = None
    #: The subject of the email. (required by the spec)
    subject: str | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "subject": ("str", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailSpammed(WebhookEvent):
    """A recipient marked an email as spam."""

    data: EmailSpammedData

    OBJECT_TYPE: ClassVar[str | None] = "email"
    METRIC: ClassVar[str | None] = "spammed"
    SCHEMA: ClassVar[str | None] = "email_spammed"
    DATA_CLASS: ClassVar[type[EventData]] = EmailSpammedData


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailFailedData(EventData):
    """``data`` of a email ``failed`` event (schema ``email_failed``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: Not described in the spec. (required by the spec)
    recipient: Any | None = None
    #: The subject of the email. (required by the spec)
    subject: str | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("any", None),
        "subject": ("str", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailFailed(WebhookEvent):
    """An email couldn't be sent to the delivery provider."""

    data: EmailFailedData

    OBJECT_TYPE: ClassVar[str | None] = "email"
    METRIC: ClassVar[str | None] = "failed"
    SCHEMA: ClassVar[str | None] = "email_failed"
    DATA_CLASS: ClassVar[type[EventData]] = EmailFailedData


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailUndeliverableData(EventData):
    """``data`` of a email ``undeliverable`` event (schema ``email_undeliverable``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The recipient address for an action. (required by the spec)
    recipient: str | None = None
    #: The subject of the email. (required by the spec)
    subject: str | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "subject": ("str", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailUndeliverable(WebhookEvent):
    """A message was undeliverable. Undeliverable messages are messages that have either hit a message limit, come from a newsletter that was cancelled or deleted, or an environment that has delivery disabled (which is something you might do if you’re testing an integration). If you’re not using message..."""

    data: EmailUndeliverableData

    OBJECT_TYPE: ClassVar[str | None] = "email"
    METRIC: ClassVar[str | None] = "undeliverable"
    SCHEMA: ClassVar[str | None] = "email_undeliverable"
    DATA_CLASS: ClassVar[type[EventData]] = EmailUndeliverableData


@dataclass(frozen=True, slots=True, kw_only=True)
class PushDraftedData(EventData):
    """``data`` of a push ``drafted`` event (schema ``push_drafted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PushDrafted(WebhookEvent):
    """A push notification was drafted."""

    data: PushDraftedData

    OBJECT_TYPE: ClassVar[str | None] = "push"
    METRIC: ClassVar[str | None] = "drafted"
    SCHEMA: ClassVar[str | None] = "push_drafted"
    DATA_CLASS: ClassVar[type[EventData]] = PushDraftedData


@dataclass(frozen=True, slots=True, kw_only=True)
class PushAttemptedData(EventData):
    """``data`` of a push ``attempted`` event (schema ``push_attempted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PushAttempted(WebhookEvent):
    """A push notification was attempted but unsuccessful. This generally means that we'll try again."""

    data: PushAttemptedData

    OBJECT_TYPE: ClassVar[str | None] = "push"
    METRIC: ClassVar[str | None] = "attempted"
    SCHEMA: ClassVar[str | None] = "push_attempted"
    DATA_CLASS: ClassVar[type[EventData]] = PushAttemptedData


@dataclass(frozen=True, slots=True, kw_only=True)
class PushDeliveredData(EventData):
    """``data`` of a push ``delivered`` event (schema ``push_delivered``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: Not described in the spec. (required by the spec)
    recipients: tuple[PushRecipient, ...] | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipients": ("list", ("obj", PushRecipient)),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PushDelivered(WebhookEvent):
    """A push notification was delivered to a recipient device."""

    data: PushDeliveredData

    OBJECT_TYPE: ClassVar[str | None] = "push"
    METRIC: ClassVar[str | None] = "delivered"
    SCHEMA: ClassVar[str | None] = "push_delivered"
    DATA_CLASS: ClassVar[type[EventData]] = PushDeliveredData


@dataclass(frozen=True, slots=True, kw_only=True)
class PushSentData(EventData):
    """``data`` of a push ``sent`` event (schema ``push_sent``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The stringified payload for your push notification. This key only appears if you enabled the *Body Content* option when setting up your webhook.
    content: str | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: Not described in the spec. (required by the spec)
    recipients: tuple[PushRecipient, ...] | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content": ("str", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipients": ("list", ("obj", PushRecipient)),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PushSent(WebhookEvent):
    """A push notification was sent to a recipient. If you enabled the *Body Content* option with your webhook, the payload includes the `content` of your message."""

    data: PushSentData

    OBJECT_TYPE: ClassVar[str | None] = "push"
    METRIC: ClassVar[str | None] = "sent"
    SCHEMA: ClassVar[str | None] = "push_sent"
    DATA_CLASS: ClassVar[type[EventData]] = PushSentData


@dataclass(frozen=True, slots=True, kw_only=True)
class PushOpenedData(EventData):
    """``data`` of a push ``opened`` event (schema ``push_opened``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: Not described in the spec. (required by the spec)
    recipients: tuple[PushRecipient, ...] | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipients": ("list", ("obj", PushRecipient)),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PushOpened(WebhookEvent):
    """A device opened a push notification."""

    data: PushOpenedData

    OBJECT_TYPE: ClassVar[str | None] = "push"
    METRIC: ClassVar[str | None] = "opened"
    SCHEMA: ClassVar[str | None] = "push_opened"
    DATA_CLASS: ClassVar[type[EventData]] = PushOpenedData


@dataclass(frozen=True, slots=True, kw_only=True)
class PushClickedData(EventData):
    """``data`` of a push ``clicked`` event (schema ``push_clicked``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The URL of the link that a person clicked. (required by the spec)
    href: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for the tracked link that a person clicked or tapped. (required by the spec)
    link_id: int | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: Not described in the spec. (required by the spec)
    recipients: tuple[PushRecipient, ...] | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "href": ("str", None),
        "journey_id": ("str", None),
        "link_id": ("int", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipients": ("list", ("obj", PushRecipient)),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PushClicked(WebhookEvent):
    """A recipient tapped a link in a push notification."""

    data: PushClickedData

    OBJECT_TYPE: ClassVar[str | None] = "push"
    METRIC: ClassVar[str | None] = "clicked"
    SCHEMA: ClassVar[str | None] = "push_clicked"
    DATA_CLASS: ClassVar[type[EventData]] = PushClickedData


@dataclass(frozen=True, slots=True, kw_only=True)
class PushConvertedData(EventData):
    """``data`` of a push ``converted`` event (schema ``push_converted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: Not described in the spec. (required by the spec)
    recipients: tuple[PushRecipient, ...] | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipients": ("list", ("obj", PushRecipient)),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PushConverted(WebhookEvent):
    """A person matched a conversion goal attributed to a push notification."""

    data: PushConvertedData

    OBJECT_TYPE: ClassVar[str | None] = "push"
    METRIC: ClassVar[str | None] = "converted"
    SCHEMA: ClassVar[str | None] = "push_converted"
    DATA_CLASS: ClassVar[type[EventData]] = PushConvertedData


@dataclass(frozen=True, slots=True, kw_only=True)
class PushBouncedData(EventData):
    """``data`` of a push ``bounced`` event (schema ``push_bounced``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: Not described in the spec. (required by the spec)
    recipients: tuple[PushRecipient, ...] | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipients": ("list", ("obj", PushRecipient)),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PushBounced(WebhookEvent):
    """The delivery provider reported at least one invalid device token."""

    data: PushBouncedData

    OBJECT_TYPE: ClassVar[str | None] = "push"
    METRIC: ClassVar[str | None] = "bounced"
    SCHEMA: ClassVar[str | None] = "push_bounced"
    DATA_CLASS: ClassVar[type[EventData]] = PushBouncedData


@dataclass(frozen=True, slots=True, kw_only=True)
class PushDroppedData(EventData):
    """``data`` of a push ``dropped`` event (schema ``push_dropped``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: Not described in the spec. (required by the spec)
    recipients: tuple[PushRecipient, ...] | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipients": ("list", ("obj", PushRecipient)),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PushDropped(WebhookEvent):
    """A push notification wasn't sent because at least one device token previously bounced."""

    data: PushDroppedData

    OBJECT_TYPE: ClassVar[str | None] = "push"
    METRIC: ClassVar[str | None] = "dropped"
    SCHEMA: ClassVar[str | None] = "push_dropped"
    DATA_CLASS: ClassVar[type[EventData]] = PushDroppedData


@dataclass(frozen=True, slots=True, kw_only=True)
class PushFailedData(EventData):
    """``data`` of a push ``failed`` event (schema ``push_failed``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PushFailed(WebhookEvent):
    """A push notification couldn't be sent to the delivery provider."""

    data: PushFailedData

    OBJECT_TYPE: ClassVar[str | None] = "push"
    METRIC: ClassVar[str | None] = "failed"
    SCHEMA: ClassVar[str | None] = "push_failed"
    DATA_CLASS: ClassVar[type[EventData]] = PushFailedData


@dataclass(frozen=True, slots=True, kw_only=True)
class PushUndeliverableData(EventData):
    """``data`` of a push ``undeliverable`` event (schema ``push_undeliverable``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The transactional message template you used for your message.
    transactional_message_id: Any | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "transactional_message_id": ("any", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class PushUndeliverable(WebhookEvent):
    """A message was undeliverable. Undeliverable messages are messages that have either hit a message limit, come from a newsletter that was cancelled or deleted, or an environment that has delivery disabled (which is something you might do if you’re testing an integration). If you’re not using message..."""

    data: PushUndeliverableData

    OBJECT_TYPE: ClassVar[str | None] = "push"
    METRIC: ClassVar[str | None] = "undeliverable"
    SCHEMA: ClassVar[str | None] = "push_undeliverable"
    DATA_CLASS: ClassVar[type[EventData]] = PushUndeliverableData


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppDraftedData(EventData):
    """``data`` of a in_app ``drafted`` event (schema ``in_app_drafted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppDrafted(WebhookEvent):
    """An in-app message draft was created."""

    data: InAppDraftedData

    OBJECT_TYPE: ClassVar[str | None] = "in_app"
    METRIC: ClassVar[str | None] = "drafted"
    SCHEMA: ClassVar[str | None] = "in_app_drafted"
    DATA_CLASS: ClassVar[type[EventData]] = InAppDraftedData


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppAttemptedData(EventData):
    """``data`` of a in_app ``attempted`` event (schema ``in_app_attempted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppAttempted(WebhookEvent):
    """An in-app message failed to send, but will be retried."""

    data: InAppAttemptedData

    OBJECT_TYPE: ClassVar[str | None] = "in_app"
    METRIC: ClassVar[str | None] = "attempted"
    SCHEMA: ClassVar[str | None] = "in_app_attempted"
    DATA_CLASS: ClassVar[type[EventData]] = InAppAttemptedData


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppSentData(EventData):
    """``data`` of a in_app ``sent`` event (schema ``in_app_sent``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The body of your message. This key only appears if you enabled the *Body Content* option when setting up your webhook.
    content: str | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID or email address of the person the message was sent to. This identifier is determined by the settings in your message and the value you use to identify your app's users. (required by the spec)
    recipient: str | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content": ("str", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppSent(WebhookEvent):
    """An in-app message was sent from Customer.io. Because in-app messages are only delivered when a person's app is open, there may be a significant delay between when a message is sent and when it's "opened". If you enabled the *Body Content* option with your webhook, the payload includes the `conten..."""

    data: InAppSentData

    OBJECT_TYPE: ClassVar[str | None] = "in_app"
    METRIC: ClassVar[str | None] = "sent"
    SCHEMA: ClassVar[str | None] = "in_app_sent"
    DATA_CLASS: ClassVar[type[EventData]] = InAppSentData


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppOpenedData(EventData):
    """``data`` of a in_app ``opened`` event (schema ``in_app_opened``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppOpened(WebhookEvent):
    """A device opened an in-app message. Because messages appear automatically when a person opens your app (to the right page if using page rules), "opened" is essentially an "impression"—a person saw your message."""

    data: InAppOpenedData

    OBJECT_TYPE: ClassVar[str | None] = "in_app"
    METRIC: ClassVar[str | None] = "opened"
    SCHEMA: ClassVar[str | None] = "in_app_opened"
    DATA_CLASS: ClassVar[type[EventData]] = InAppOpenedData


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppClickedData(EventData):
    """``data`` of a in_app ``clicked`` event (schema ``in_app_clicked``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The URL of the link that a person clicked. (required by the spec)
    href: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for the tracked link that a person clicked or tapped. (required by the spec)
    link_id: int | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID or email address of the person the message was sent to. This identifier is determined by the settings in your message and the value you use to identify your app's users. (required by the spec)
    recipient: str | None = None
    #: The *Action Name* of the action a person clicked/tapped in the message. [Learn more about tracked responses and action names](/journeys/tracked-responses).
    tracked_response: str | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "href": ("str", None),
        "journey_id": ("str", None),
        "link_id": ("int", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "tracked_response": ("str", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppClicked(WebhookEvent):
    """The in-app message recipient clicked/tapped a component in a message with **Track Clicks** enabled. The *Track Clicks* setting is enabled by default for in-app messages. The payload includes a `tracked_response` key containing the *Action Name* of the component the person clicked/tapped. [Learn m..."""

    data: InAppClickedData

    OBJECT_TYPE: ClassVar[str | None] = "in_app"
    METRIC: ClassVar[str | None] = "clicked"
    SCHEMA: ClassVar[str | None] = "in_app_clicked"
    DATA_CLASS: ClassVar[type[EventData]] = InAppClickedData


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppConvertedData(EventData):
    """``data`` of a in_app ``converted`` event (schema ``in_app_converted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID or email address of the person the message was sent to. This identifier is determined by the settings in your message and the value you use to identify your app's users. (required by the spec)
    recipient: str | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppConverted(WebhookEvent):
    """A person matched a conversion goal attributed to an in-app notification."""

    data: InAppConvertedData

    OBJECT_TYPE: ClassVar[str | None] = "in_app"
    METRIC: ClassVar[str | None] = "converted"
    SCHEMA: ClassVar[str | None] = "in_app_converted"
    DATA_CLASS: ClassVar[type[EventData]] = InAppConvertedData


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppFailedData(EventData):
    """``data`` of a in_app ``failed`` event (schema ``in_app_failed``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppFailed(WebhookEvent):
    """An in-app message failed to send."""

    data: InAppFailedData

    OBJECT_TYPE: ClassVar[str | None] = "in_app"
    METRIC: ClassVar[str | None] = "failed"
    SCHEMA: ClassVar[str | None] = "in_app_failed"
    DATA_CLASS: ClassVar[type[EventData]] = InAppFailedData


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppUndeliverableData(EventData):
    """``data`` of a in_app ``undeliverable`` event (schema ``in_app_undeliverable``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class InAppUndeliverable(WebhookEvent):
    """A message was undeliverable. Undeliverable messages are messages that have either hit a message limit, come from a newsletter that was cancelled or deleted, or an environment that has delivery disabled (which is something you might do if you’re testing an integration). If you’re not using message..."""

    data: InAppUndeliverableData

    OBJECT_TYPE: ClassVar[str | None] = "in_app"
    METRIC: ClassVar[str | None] = "undeliverable"
    SCHEMA: ClassVar[str | None] = "in_app_undeliverable"
    DATA_CLASS: ClassVar[type[EventData]] = InAppUndeliverableData


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsDraftedData(EventData):
    """``data`` of a sms ``drafted`` event (schema ``sms_drafted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsDrafted(WebhookEvent):
    """An SMS notification was drafted."""

    data: SmsDraftedData

    OBJECT_TYPE: ClassVar[str | None] = "sms"
    METRIC: ClassVar[str | None] = "drafted"
    SCHEMA: ClassVar[str | None] = "sms_drafted"
    DATA_CLASS: ClassVar[type[EventData]] = SmsDraftedData


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsAttemptedData(EventData):
    """``data`` of a sms ``attempted`` event (schema ``sms_attempted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsAttempted(WebhookEvent):
    """An SMS could not be sent to the delivery provider, but will retry."""

    data: SmsAttemptedData

    OBJECT_TYPE: ClassVar[str | None] = "sms"
    METRIC: ClassVar[str | None] = "attempted"
    SCHEMA: ClassVar[str | None] = "sms_attempted"
    DATA_CLASS: ClassVar[type[EventData]] = SmsAttemptedData


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsSentData(EventData):
    """``data`` of a sms ``sent`` event (schema ``sms_sent``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The body of your message. This key only appears if you enabled the *Body Content* option when setting up your webhook.
    content: str | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The MSISDN (phone number) of the SMS recipient. (required by the spec)
    recipient: str | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content": ("str", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsSent(WebhookEvent):
    """An SMS notification was sent. If you enabled the *Body Content* option with your webhook, the payload includes the `content` of your message."""

    data: SmsSentData

    OBJECT_TYPE: ClassVar[str | None] = "sms"
    METRIC: ClassVar[str | None] = "sent"
    SCHEMA: ClassVar[str | None] = "sms_sent"
    DATA_CLASS: ClassVar[type[EventData]] = SmsSentData


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsDeliveredData(EventData):
    """``data`` of a sms ``delivered`` event (schema ``sms_delivered``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The MSISDN (phone number) of the SMS recipient. (required by the spec)
    recipient: str | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsDelivered(WebhookEvent):
    """An SMS notification was delivered to a recipient."""

    data: SmsDeliveredData

    OBJECT_TYPE: ClassVar[str | None] = "sms"
    METRIC: ClassVar[str | None] = "delivered"
    SCHEMA: ClassVar[str | None] = "sms_delivered"
    DATA_CLASS: ClassVar[type[EventData]] = SmsDeliveredData


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsClickedData(EventData):
    """``data`` of a sms ``clicked`` event (schema ``sms_clicked``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The URL of the link that a person clicked. (required by the spec)
    href: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for the tracked link that a person clicked or tapped. (required by the spec)
    link_id: int | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The MSISDN (phone number) of the SMS recipient. (required by the spec)
    recipient: str | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "href": ("str", None),
        "journey_id": ("str", None),
        "link_id": ("int", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsClicked(WebhookEvent):
    """A recipient tapped a link in an SMS message they received."""

    data: SmsClickedData

    OBJECT_TYPE: ClassVar[str | None] = "sms"
    METRIC: ClassVar[str | None] = "clicked"
    SCHEMA: ClassVar[str | None] = "sms_clicked"
    DATA_CLASS: ClassVar[type[EventData]] = SmsClickedData


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsConvertedData(EventData):
    """``data`` of a sms ``converted`` event (schema ``sms_converted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The MSISDN (phone number) of the SMS recipient. (required by the spec)
    recipient: str | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsConverted(WebhookEvent):
    """A person matched a conversion goal attributed to an SMS."""

    data: SmsConvertedData

    OBJECT_TYPE: ClassVar[str | None] = "sms"
    METRIC: ClassVar[str | None] = "converted"
    SCHEMA: ClassVar[str | None] = "sms_converted"
    DATA_CLASS: ClassVar[type[EventData]] = SmsConvertedData


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsBouncedData(EventData):
    """``data`` of a sms ``bounced`` event (schema ``sms_bounced``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The MSISDN (phone number) of the SMS recipient. (required by the spec)
    recipient: str | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsBounced(WebhookEvent):
    """The delivery provider was unable to deliver an SMS message."""

    data: SmsBouncedData

    OBJECT_TYPE: ClassVar[str | None] = "sms"
    METRIC: ClassVar[str | None] = "bounced"
    SCHEMA: ClassVar[str | None] = "sms_bounced"
    DATA_CLASS: ClassVar[type[EventData]] = SmsBouncedData


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsFailedData(EventData):
    """``data`` of a sms ``failed`` event (schema ``sms_failed``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsFailed(WebhookEvent):
    """An SMS couldn't be sent to the delivery provider."""

    data: SmsFailedData

    OBJECT_TYPE: ClassVar[str | None] = "sms"
    METRIC: ClassVar[str | None] = "failed"
    SCHEMA: ClassVar[str | None] = "sms_failed"
    DATA_CLASS: ClassVar[type[EventData]] = SmsFailedData


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackDraftedData(EventData):
    """``data`` of a slack ``drafted`` event (schema ``slack_drafted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackDrafted(WebhookEvent):
    """A slack message was drafted."""

    data: SlackDraftedData

    OBJECT_TYPE: ClassVar[str | None] = "slack"
    METRIC: ClassVar[str | None] = "drafted"
    SCHEMA: ClassVar[str | None] = "slack_drafted"
    DATA_CLASS: ClassVar[type[EventData]] = SlackDraftedData


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackAttemptedData(EventData):
    """``data`` of a slack ``attempted`` event (schema ``slack_attempted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackAttempted(WebhookEvent):
    """A slack message failed and will be retried."""

    data: SlackAttemptedData

    OBJECT_TYPE: ClassVar[str | None] = "slack"
    METRIC: ClassVar[str | None] = "attempted"
    SCHEMA: ClassVar[str | None] = "slack_attempted"
    DATA_CLASS: ClassVar[type[EventData]] = SlackAttemptedData


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackSentData(EventData):
    """``data`` of a slack ``sent`` event (schema ``slack_sent``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The of your slack message. This key only appears if you enabled the *Body Content* option when setting up your webhook.
    content: str | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The channel or person that received the message, i.e. `#general`. (required by the spec)
    recipient: str | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content": ("str", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackSent(WebhookEvent):
    """A slack message was sent. If you enabled the *Body Content* option with your webhook, the payload includes the `content` of your message."""

    data: SlackSentData

    OBJECT_TYPE: ClassVar[str | None] = "slack"
    METRIC: ClassVar[str | None] = "sent"
    SCHEMA: ClassVar[str | None] = "slack_sent"
    DATA_CLASS: ClassVar[type[EventData]] = SlackSentData


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackClickedData(EventData):
    """``data`` of a slack ``clicked`` event (schema ``slack_clicked``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The URL of the link that a person clicked. (required by the spec)
    href: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for the tracked link that a person clicked or tapped. (required by the spec)
    link_id: int | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The channel or person that received the message, i.e. `#general`. (required by the spec)
    recipient: str | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "href": ("str", None),
        "journey_id": ("str", None),
        "link_id": ("int", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackClicked(WebhookEvent):
    """A person clicked a tracked link in a Slack message."""

    data: SlackClickedData

    OBJECT_TYPE: ClassVar[str | None] = "slack"
    METRIC: ClassVar[str | None] = "clicked"
    SCHEMA: ClassVar[str | None] = "slack_clicked"
    DATA_CLASS: ClassVar[type[EventData]] = SlackClickedData


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackFailedData(EventData):
    """``data`` of a slack ``failed`` event (schema ``slack_failed``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackFailed(WebhookEvent):
    """A slack message failed."""

    data: SlackFailedData

    OBJECT_TYPE: ClassVar[str | None] = "slack"
    METRIC: ClassVar[str | None] = "failed"
    SCHEMA: ClassVar[str | None] = "slack_failed"
    DATA_CLASS: ClassVar[type[EventData]] = SlackFailedData


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackUndeliverableData(EventData):
    """``data`` of a slack ``undeliverable`` event (schema ``slack_undeliverable``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackUndeliverable(WebhookEvent):
    """A message was undeliverable. Undeliverable messages are messages that have either hit a message limit, come from a newsletter that was cancelled or deleted, or an environment that has delivery disabled (which is something you might do if you’re testing an integration). If you’re not using message..."""

    data: SlackUndeliverableData

    OBJECT_TYPE: ClassVar[str | None] = "slack"
    METRIC: ClassVar[str | None] = "undeliverable"
    SCHEMA: ClassVar[str | None] = "slack_undeliverable"
    DATA_CLASS: ClassVar[type[EventData]] = SlackUndeliverableData


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookDraftedData(EventData):
    """``data`` of a webhook ``drafted`` event (schema ``webhook_drafted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookDrafted(WebhookEvent):
    """A webhook draft was created."""

    data: WebhookDraftedData

    OBJECT_TYPE: ClassVar[str | None] = "webhook"
    METRIC: ClassVar[str | None] = "drafted"
    SCHEMA: ClassVar[str | None] = "webhook_drafted"
    DATA_CLASS: ClassVar[type[EventData]] = WebhookDraftedData


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookAttemptedData(EventData):
    """``data`` of a webhook ``attempted`` event (schema ``webhook_attempted``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookAttempted(WebhookEvent):
    """A webhook failed to send, but will be retried."""

    data: WebhookAttemptedData

    OBJECT_TYPE: ClassVar[str | None] = "webhook"
    METRIC: ClassVar[str | None] = "attempted"
    SCHEMA: ClassVar[str | None] = "webhook_attempted"
    DATA_CLASS: ClassVar[type[EventData]] = WebhookAttemptedData


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookSentData(EventData):
    """``data`` of a webhook ``sent`` event (schema ``webhook_sent``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The stringified payload sent to your webhook address. This key only appears if you enabled the *Body Content* option when setting up your webhook.
    content: str | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The URL the webhook was sent to. (required by the spec)
    recipient: str | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content": ("str", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookSent(WebhookEvent):
    """A webhook was sent from Customer.io. If you enabled the *Body Content* option with your webhook, the payload includes the `content` of your webhook."""

    data: WebhookSentData

    OBJECT_TYPE: ClassVar[str | None] = "webhook"
    METRIC: ClassVar[str | None] = "sent"
    SCHEMA: ClassVar[str | None] = "webhook_sent"
    DATA_CLASS: ClassVar[type[EventData]] = WebhookSentData


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookClickedData(EventData):
    """``data`` of a webhook ``clicked`` event (schema ``webhook_clicked``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: The URL of the link that a person clicked. (required by the spec)
    href: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for the tracked link that a person clicked or tapped. (required by the spec)
    link_id: int | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The URL the webhook was sent to. (required by the spec)
    recipient: str | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "href": ("str", None),
        "journey_id": ("str", None),
        "link_id": ("int", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "recipient": ("str", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookClicked(WebhookEvent):
    """The webhook recipient opened a tracked link in the webhook payload."""

    data: WebhookClickedData

    OBJECT_TYPE: ClassVar[str | None] = "webhook"
    METRIC: ClassVar[str | None] = "clicked"
    SCHEMA: ClassVar[str | None] = "webhook_clicked"
    DATA_CLASS: ClassVar[type[EventData]] = WebhookClickedData


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookFailedData(EventData):
    """``data`` of a webhook ``failed`` event (schema ``webhook_failed``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookFailed(WebhookEvent):
    """A webhook failed to send."""

    data: WebhookFailedData

    OBJECT_TYPE: ClassVar[str | None] = "webhook"
    METRIC: ClassVar[str | None] = "failed"
    SCHEMA: ClassVar[str | None] = "webhook_failed"
    DATA_CLASS: ClassVar[type[EventData]] = WebhookFailedData


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookUndeliverableData(EventData):
    """``data`` of a webhook ``undeliverable`` event (schema ``webhook_undeliverable``)."""

    #: The identifier for an action.
    action_id: int | None = None
    #: The identifier for a broadcast.
    broadcast_id: int | None = None
    #: The identifier for a campaign.
    campaign_id: int | None = None
    #: The identifier for a newsletter variant.
    content_id: int | None = None
    #: The instance of a message sent to a person. (required by the spec)
    delivery_id: str | None = None
    #: Indicates the reason that an attempted message failed. (required by the spec)
    failure_message: str | None = None
    #: The ID for the path a person went through in a Campaign or API Triggered Broadcast workflow.
    journey_id: str | None = None
    #: The identifier for a newsletter.
    newsletter_id: int | None = None
    #: The ID of the parent action, if the action occurred within a campaign and has a parent (like a randomized split, etc).
    parent_action_id: int | None = None
    #: The ID of an event that triggered a campaign or action.
    trigger_event_id: str | None = None
    #: The trigger ID returned by the [Trigger Broadcast API](/api/#operation/triggerBroadcast).
    trigger_id: int | None = None

    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {
        **EventData._FIELDS,
        "action_id": ("int", None),
        "broadcast_id": ("int", None),
        "campaign_id": ("int", None),
        "content_id": ("int", None),
        "delivery_id": ("str", None),
        "failure_message": ("str", None),
        "journey_id": ("str", None),
        "newsletter_id": ("int", None),
        "parent_action_id": ("int", None),
        "trigger_event_id": ("str", None),
        "trigger_id": ("int", None),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookUndeliverable(WebhookEvent):
    """A webhook/message was undeliverable. Undeliverable messages are messages that have either hit a message limit, come from a newsletter that was cancelled or deleted, or an environment that has delivery disabled (which is something you might do if you’re testing an integration). If you’re not using..."""

    data: WebhookUndeliverableData

    OBJECT_TYPE: ClassVar[str | None] = "webhook"
    METRIC: ClassVar[str | None] = "undeliverable"
    SCHEMA: ClassVar[str | None] = "webhook_undeliverable"
    DATA_CLASS: ClassVar[type[EventData]] = WebhookUndeliverableData


EVENT_CLASSES: dict[tuple[str, str], type[WebhookEvent]] = {
    ("customer", "subscribed"): PersonSubscribed,
    ("customer", "unsubscribed"): PersonUnsubscribed,
    ("customer", "cio_subscription_preferences_changed"): PersonCioSubscriptionPreferencesChanged,
    ("email", "drafted"): EmailDrafted,
    ("email", "attempted"): EmailAttempted,
    ("email", "sent"): EmailSent,
    ("email", "delivered"): EmailDelivered,
    ("email", "opened"): EmailOpened,
    ("email", "clicked"): EmailClicked,
    ("email", "converted"): EmailConverted,
    ("email", "unsubscribed"): EmailUnsubscribed,
    ("email", "bounced"): EmailBounced,
    ("email", "dropped"): EmailDropped,
    ("email", "spammed"): EmailSpammed,
    ("email", "failed"): EmailFailed,
    ("email", "undeliverable"): EmailUndeliverable,
    ("push", "drafted"): PushDrafted,
    ("push", "attempted"): PushAttempted,
    ("push", "delivered"): PushDelivered,
    ("push", "sent"): PushSent,
    ("push", "opened"): PushOpened,
    ("push", "clicked"): PushClicked,
    ("push", "converted"): PushConverted,
    ("push", "bounced"): PushBounced,
    ("push", "dropped"): PushDropped,
    ("push", "failed"): PushFailed,
    ("push", "undeliverable"): PushUndeliverable,
    ("in_app", "drafted"): InAppDrafted,
    ("in_app", "attempted"): InAppAttempted,
    ("in_app", "sent"): InAppSent,
    ("in_app", "opened"): InAppOpened,
    ("in_app", "clicked"): InAppClicked,
    ("in_app", "converted"): InAppConverted,
    ("in_app", "failed"): InAppFailed,
    ("in_app", "undeliverable"): InAppUndeliverable,
    ("sms", "drafted"): SmsDrafted,
    ("sms", "attempted"): SmsAttempted,
    ("sms", "sent"): SmsSent,
    ("sms", "delivered"): SmsDelivered,
    ("sms", "clicked"): SmsClicked,
    ("sms", "converted"): SmsConverted,
    ("sms", "bounced"): SmsBounced,
    ("sms", "failed"): SmsFailed,
    ("slack", "drafted"): SlackDrafted,
    ("slack", "attempted"): SlackAttempted,
    ("slack", "sent"): SlackSent,
    ("slack", "clicked"): SlackClicked,
    ("slack", "failed"): SlackFailed,
    ("slack", "undeliverable"): SlackUndeliverable,
    ("webhook", "drafted"): WebhookDrafted,
    ("webhook", "attempted"): WebhookAttempted,
    ("webhook", "sent"): WebhookSent,
    ("webhook", "clicked"): WebhookClicked,
    ("webhook", "failed"): WebhookFailed,
    ("webhook", "undeliverable"): WebhookUndeliverable,
}
