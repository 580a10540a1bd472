# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""TypedDicts for every documented App API JSON response (generated).

Names follow the rule in scripts/gen_app_client.py (class Hint); import them from
``cio_toolkit.app.types``.

Methods return plain dicts typed with these: no runtime validation, so a field the API adds
or an enum value it extends never breaks a running job."""

from __future__ import annotations

from typing import Any, Literal, Required

# typing_extensions' TypedDict, so pydantic can validate these on Python 3.11.
from typing_extensions import TypedDict

__all__ = [
    "Action",
    "Activity",
    "ActivityData1",
    "ArchivedMessage",
    "Audience",
    "Broadcast",
    "BroadcastAction1",
    "BroadcastAction2",
    "BroadcastAction3",
    "BroadcastActionLanguageResponse",
    "BroadcastActionsResponse",
    "BroadcastErrorsResponse",
    "BroadcastMsgTemplateId",
    "Campaign1",
    "Campaign1MsgTemplate",
    "Campaign2",
    "Campaign3",
    "Campaign4",
    "Campaign5",
    "Campaign6",
    "Campaign7",
    "CampaignAction1",
    "CampaignAction2",
    "CampaignAction3",
    "CampaignActionTranslationResponse",
    "CampaignJourneyMetricsResponse",
    "CampaignMessage",
    "CampaignMessageMetrics",
    "CampaignMetric",
    "CampaignMetricsMetricSeries",
    "CampaignMetricsMetricSeries2",
    "Collection",
    "CollectionResponse",
    "Content",
    "ContentItem",
    "CustomerAttributes",
    "CustomerCioRelationship",
    "CustomerCioRelationshipIdentifiers",
    "CustomerDevice",
    "CustomerDeviceAttributes",
    "CustomerHeader",
    "CustomerIdentifiers",
    "CustomerMessage",
    "CustomerMessageMetrics",
    "CustomerMeta",
    "CustomerSegment",
    "CustomerTimestamps",
    "CustomerTopic",
    "DeleteSnippetError400",
    "DownloadExportResponse",
    "ErrorSource",
    "ExportDeliveriesDataExport",
    "ExportDeliveriesDataResponse",
    "ExportPeopleDataResponse",
    "GetArchivedMessageResponse",
    "GetBroadcastResponse",
    "GetCampaignsResponse",
    "GetCioAllowlistResponse",
    "GetCollectionsResponse",
    "GetImportImport",
    "GetImportResponse",
    "GetMessageResponse",
    "GetNewsletterMsgMetaResponse",
    "GetNewsletterTestGroupsResponse",
    "GetNewslettersResponse",
    "GetObjectAttributesResponse",
    "GetObjectRelationshipsResponse",
    "GetObjectTypesResponse",
    "GetObjectsFilterResponse",
    "GetPeopleByIdResponse",
    "GetPeopleEmailResponse",
    "GetPeopleFilterResponse",
    "GetPersonActivitiesResponse",
    "GetPersonAttributesCustomer",
    "GetPersonAttributesResponse",
    "GetPersonMessagesResponse",
    "GetPersonRelationshipsResponse",
    "GetPersonSegmentsResponse",
    "GetPersonSubscriptionPreferencesCustomer",
    "GetPersonSubscriptionPreferencesError400",
    "GetPersonSubscriptionPreferencesResponse",
    "GetSegmentCountResponse",
    "GetSegmentDependenciesResponse",
    "GetSegmentMembershipResponse1",
    "GetSegmentMembershipResponse2",
    "GetSenderResponse",
    "GetSenderUsageResponse",
    "GetSuppressionByTypeResponse",
    "GetTopicsResponse",
    "GetTransactionalResponse",
    "ImportImport",
    "ImportResponse",
    "JourneyMetric",
    "Link",
    "LinkLink",
    "LinkMetric",
    "LinkMetricSeries",
    "LinksResponse",
    "ListActivitiesResponse",
    "ListBroadcastTriggersResponse",
    "ListBroadcastsResponse",
    "ListCampaignActionsResponse",
    "ListCampaignsResponse",
    "ListExportsExport",
    "ListExportsResponse",
    "ListMessagesResponse",
    "ListNewsletterVariantsResponse",
    "ListNewslettersResponse",
    "ListSegmentsResponse",
    "ListSendersResponse",
    "ListSnippetsResponse",
    "ListTransactionalMessage",
    "ListTransactionalResponse",
    "ListTransactionalVariantsResponse",
    "ListWebhooksResponse",
    "ListWorkspacesResponse",
    "Message",
    "MessageCustomerIdentifiers",
    "MessagesResponse",
    "MetadataError400",
    "MetadataError422",
    "Metric2",
    "MetricSeries",
    "MetricsResponse",
    "MetricsResponse2",
    "Newsletter",
    "NewsletterMessage",
    "Object",
    "ObjectCioRelationship",
    "ObjectCioRelationshipIdentifiers",
    "ObjectIdentifier",
    "ObjectIdentifiers",
    "RESPONSE_TYPES",
    "Segment",
    "SegmentIdentifier",
    "SegmentResponse",
    "SendError",
    "SendMeta",
    "SendSMSError400",
    "SendSMSResponse",
    "SenderIdentity",
    "Snippet",
    "SnippetError",
    "Suppression",
    "TestGroup",
    "Topic",
    "TransactionalMessagesMessage",
    "TransactionalMessagesResponse",
    "TransactionalMetric",
    "TransactionalMetricsResponse",
    "TransactionalVariantResponse",
    "TranslationResponse",
    "Trigger",
    "TriggerBroadcastError422",
    "TriggerBroadcastResponse",
    "Type",
    "UpdateAttributeMetadataError",
    "UpdateAttributeMetadataError2",
    "UpdateSnippetsResponse",
    "WebhookResponse",
    "Workspace",
]


class TriggerBroadcastResponse(TypedDict, total=False):
    id: int


class ErrorSource(TypedDict, total=False):
    pointer: str


class SendError(TypedDict, total=False):
    detail: str
    source: ErrorSource
    status: Literal["422"]


class TriggerBroadcastError422(TypedDict, total=False):
    errors: list[SendError]


class BroadcastErrorsResponse(TypedDict, total=False):
    errors: list[str]
    next: str


class SendSMSResponse(TypedDict, total=False):
    delivery_id: str
    queued_at: int


class SendMeta(TypedDict, total=False):
    error: str


class SendSMSError400(TypedDict, total=False):
    meta: SendMeta


class Action(TypedDict, total=False):
    type: str
    id: int


class Campaign1MsgTemplate(TypedDict, total=False):
    type: Literal["email", "sms", "push", "slack"]
    id: int


class Campaign1(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["segment"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft", "stopped"]
    actions: list[Action]
    first_started: int
    tags: list[str]
    trigger_segment_ids: list[int]
    filter_segment_ids: list[int]
    msg_templates: list[Campaign1MsgTemplate]


class Campaign2(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["event"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft", "stopped"]
    actions: list[Action]
    first_started: int
    tags: list[str]
    filter_segment_ids: list[int]
    event_name: str


class Campaign3(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["form"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft", "stopped"]
    actions: list[Action]
    first_started: int
    tags: list[str]
    filter_segment_ids: list[int]


class Campaign4(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["date"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft", "stopped"]
    actions: list[Action]
    first_started: int
    tags: list[str]
    filter_segment_ids: list[int]
    frequency: Literal["once", "monthly", "yearly"]
    date_attribute: str
    timezone: str
    use_customer_timezone: bool
    start_hour: int
    start_minutes: int


class Audience(TypedDict, total=False):
    type: int
    person_filters: dict[str, Any] | str
    relationship_filters: dict[str, Any] | str


class Campaign5(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["relationship"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft", "stopped"]
    actions: list[Action]
    first_started: int
    tags: list[str]
    filter_segment_ids: list[int]
    object_type_id: int
    filter_object_attributes: str
    filter_relationship_attributes: str
    audience: Audience
    relationship_attribute_triggers: dict[str, Any] | str


class Campaign6(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["object"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft", "stopped"]
    actions: list[Action]
    first_started: int
    tags: list[str]
    filter_segment_ids: list[int]
    object_type_id: int
    filter_object_attributes: str
    filter_relationship_attributes: str
    audience: Audience
    object_attribute_triggers: dict[str, Any] | str


class Campaign7(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["webhook"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft", "stopped"]
    actions: list[Action]
    first_started: int
    tags: list[str]
    webhook_id: int


class ListCampaignsResponse(TypedDict, total=False):
    campaigns: list[Campaign1 | Campaign2 | Campaign3 | Campaign4 | Campaign5 | Campaign6 | Campaign7]


class GetCampaignsResponse(TypedDict, total=False):
    campaign: Campaign1 | Campaign2 | Campaign3 | Campaign4 | Campaign5 | Campaign6 | Campaign7


CampaignMetricsMetricSeries = TypedDict(
    "CampaignMetricsMetricSeries",
    {
        "2xx": list[int],
        "3xx": list[int],
        "4xx": list[int],
        "5xx": list[int],
        "attempted": list[int],
        "bounced": list[int],
        "clicked": list[int],
        "human_clicked": list[int],
        "prefetch_clicked": list[int],
        "converted": list[int],
        "created": list[int],
        "deferred": list[int],
        "delivered": list[int],
        "drafted": list[int],
        "failed": list[int],
        "opened": list[int],
        "human_opened": list[int],
        "prefetch_opened": list[int],
        "sent": list[int],
        "spammed": list[int],
        "suppressed": list[int],
        "undeliverable": list[int],
        "topic_unsubscribed": list[int],
        "unsubscribed": list[int],
    },
    total=False,
)


class CampaignMetric(TypedDict, total=False):
    series: CampaignMetricsMetricSeries


class MetricsResponse(TypedDict, total=False):
    metric: CampaignMetric


CampaignMetricsMetricSeries2 = TypedDict(
    "CampaignMetricsMetricSeries2",
    {
        "2xx": list[int],
        "3xx": list[int],
        "4xx": list[int],
        "5xx": list[int],
        "attempted": list[int],
        "bounced": list[int],
        "clicked": list[int],
        "converted": list[int],
        "created": list[int],
        "deferred": list[int],
        "delivered": list[int],
        "drafted": list[int],
        "failed": list[int],
        "opened": list[int],
        "sent": list[int],
        "spammed": list[int],
        "suppressed": list[int],
        "undeliverable": list[int],
        "topic_unsubscribed": list[int],
        "unsubscribed": list[int],
    },
    total=False,
)


class Metric2(TypedDict, total=False):
    series: CampaignMetricsMetricSeries2


class MetricsResponse2(TypedDict, total=False):
    metric: Metric2


class LinkLink(TypedDict, total=False):
    id: int
    href: str


class LinkMetricSeries(TypedDict, total=False):
    clicked: list[int]


class LinkMetric(TypedDict, total=False):
    series: LinkMetricSeries


class Link(TypedDict, total=False):
    link: LinkLink
    metric: LinkMetric


class LinksResponse(TypedDict, total=False):
    links: list[Link]


CampaignAction1 = TypedDict(
    "CampaignAction1",
    {
        "id": int,
        "broadcast_id": int,
        "deduplicate_id": str,
        "name": str,
        "layout": str,
        "created": int,
        "updated": int,
        "body": str,
        "type": Literal["email", "in_app", "push", "twilio", "slack"],
        "sending_state": Literal["automatic", "draft", "off"],
        "language": str,
        "from": str,
        "from_id": int,
        "reply_to": str,
        "reply_to_id": int | None,
        "preprocessor": Literal["premailer"],
        "recipient": str,
        "subject": str,
        "bcc": str,
        "fake_bcc": bool,
        "preheader_text": str,
        "body_amp": str,
        "campaign_id": int,
        "parent_action_id": int,
        "headers": str,
    },
    total=False,
)


class CampaignAction2(TypedDict, total=False):
    id: int
    campaign_id: int
    parent_action_id: int
    deduplicate_id: str
    name: str
    layout: str
    created: int
    updated: int
    body: str
    language: str
    type: Literal["twilio"]
    image_url: str
    sending_state: Literal["automatic", "draft", "off"]
    recipient: str


class CampaignAction3(TypedDict, total=False):
    id: int
    campaign_id: int
    parent_action_id: int
    deduplicate_id: str
    name: str
    layout: str
    created: int
    updated: int
    body: str
    type: Literal["webhook"]
    url: str
    headers: str
    method: Literal["get", "post", "put", "delete", "patch"]
    sending_state: Literal["automatic", "draft", "off"]


class ListCampaignActionsResponse(TypedDict, total=False):
    actions: list[CampaignAction1 | CampaignAction2 | CampaignAction3]
    next: str


class MessageCustomerIdentifiers(TypedDict, total=False):
    email: Required[str | None]
    id: Required[str | int | None]
    cio_id: Required[str | int]


class CampaignMessageMetrics(TypedDict, total=False):
    bounced: int
    clicked: int
    human_clicked: int
    prefetch_clicked: int
    converted: int
    created: int
    delivered: int
    drafted: int
    dropped: int
    failed: int
    opened: int
    human_opened: int
    prefetch_opened: int
    sent: int
    spammed: int
    undeliverable: int
    unsubscribed: int


class CampaignMessage(TypedDict, total=False):
    id: str
    deduplicate_id: str
    message_template_id: int
    customer_id: str | None
    customer_identifiers: MessageCustomerIdentifiers
    recipient: str
    subject: str
    metrics: CampaignMessageMetrics
    created: int
    failure_message: str | None
    campaign_id: int | None
    action_id: int
    parent_action_id: int | None
    newsletter_id: int | None
    content_id: int | None
    broadcast_id: int | None
    trigger_event_id: str | None
    type: Literal["email", "webhook", "twilio", "slack", "push"]
    forgotten: bool


class MessagesResponse(TypedDict, total=False):
    messages: list[CampaignMessage]


class CampaignActionTranslationResponse(TypedDict, total=False):
    action: CampaignAction1 | CampaignAction2 | CampaignAction3


class JourneyMetric(TypedDict, total=False):
    started: list[int]
    activated: list[int]
    exited_early: list[int]
    finished: list[int]
    converted: list[int]
    never_activated: list[int]
    messaged: list[int]


class CampaignJourneyMetricsResponse(TypedDict, total=False):
    journey_metric: JourneyMetric


class CustomerIdentifiers(TypedDict, total=False):
    email: Required[str | None]
    id: Required[str | int | None]
    cio_id: Required[str]


class ActivityData1(TypedDict, total=False):
    delivered: int | None
    delivery_id: str
    opened: bool | None


class Activity(TypedDict, total=False):
    customer_id: str | None
    customer_identifiers: CustomerIdentifiers
    data: ActivityData1 | dict[str, Any]
    delivery_id: str
    delivery_type: Literal["ios", "android", "email", "phone"]
    id: str
    timestamp: int
    type: str


class ListActivitiesResponse(TypedDict, total=False):
    activities: list[Activity]
    next: str


class BroadcastMsgTemplateId(TypedDict, total=False):
    id: int
    type: Literal["email", "webhook", "push", "sms", "slack"]


class Broadcast(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["triggered_broadcast"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft"]
    actions: list[BroadcastMsgTemplateId]
    msg_template_ids: list[BroadcastMsgTemplateId]
    first_started: int
    tags: list[str] | str


class ListBroadcastsResponse(TypedDict, total=False):
    broadcasts: list[Broadcast]


class GetBroadcastResponse(TypedDict, total=False):
    broadcast: Broadcast


class Trigger(TypedDict, total=False):
    id: int
    broadcast_id: int
    created_at: int
    processed_at: int


BroadcastAction1 = TypedDict(
    "BroadcastAction1",
    {
        "id": int,
        "broadcast_id": int,
        "deduplicate_id": str,
        "name": str,
        "layout": str,
        "created": int,
        "updated": int,
        "body": str,
        "type": Literal["email", "in_app", "push", "twilio", "slack"],
        "sending_state": Literal["automatic", "draft", "off"],
        "language": str,
        "from": str,
        "from_id": int,
        "reply_to": str,
        "reply_to_id": int | None,
        "preprocessor": Literal["premailer"],
        "recipient": str,
        "subject": str,
        "bcc": str,
        "fake_bcc": bool,
        "preheader_text": str,
        "body_amp": str,
        "headers": str,
    },
    total=False,
)


class BroadcastAction2(TypedDict, total=False):
    id: int
    broadcast_id: int
    deduplicate_id: str
    name: str
    layout: str
    created: int
    updated: int
    body: str
    language: str
    type: Literal["twilio"]
    image_url: str
    sending_state: Literal["automatic", "draft", "off"]
    recipient: str


class BroadcastAction3(TypedDict, total=False):
    id: int
    broadcast_id: int
    deduplicate_id: str
    name: str
    layout: str
    created: int
    updated: int
    body: str
    type: Literal["webhook"]
    url: str
    headers: str
    method: Literal["get", "post", "put", "delete", "patch"]
    sending_state: Literal["automatic", "draft", "off"]


class BroadcastActionsResponse(TypedDict, total=False):
    actions: list[BroadcastAction1 | BroadcastAction2 | BroadcastAction3]


class BroadcastActionLanguageResponse(TypedDict, total=False):
    action: BroadcastAction1 | BroadcastAction2 | BroadcastAction3


class ListBroadcastTriggersResponse(TypedDict, total=False):
    triggers: list[Trigger]


class UpdateAttributeMetadataError(TypedDict, total=False):
    detail: Literal["Invalid request format"]
    status: str | int


class MetadataError400(TypedDict, total=False):
    errors: list[UpdateAttributeMetadataError]


class UpdateAttributeMetadataError2(TypedDict, total=False):
    detail: str
    status: str | int
    source: ErrorSource


class MetadataError422(TypedDict, total=False):
    errors: list[UpdateAttributeMetadataError2]


class Suppression(TypedDict, total=False):
    created: int
    email: str
    reason: str
    status: str


class GetSuppressionByTypeResponse(TypedDict, total=False):
    category: Literal["bounces", "spam"]
    suppressions: list[Suppression]


class ListExportsExport(TypedDict, total=False):
    id: int
    user_id: int
    user_email: str
    total: int
    deduplicate_id: str
    type: Literal["customers", "deliveries"]
    failed: bool
    description: str
    downloads: int
    created_at: int
    updated_at: int
    status: Literal["done", "pending", "failed"]


class ListExportsResponse(TypedDict, total=False):
    exports: list[ListExportsExport]


class ExportPeopleDataResponse(TypedDict, total=False):
    export: ListExportsExport


class DownloadExportResponse(TypedDict, total=False):
    url: str


class ExportDeliveriesDataExport(TypedDict, total=False):
    id: int | str
    user_id: int
    user_email: str
    total: int
    deduplicate_id: str
    type: Literal["customers", "deliveries"]
    failed: bool
    description: str
    downloads: int
    created_at: int
    updated_at: int
    status: Literal["done", "pending", "failed"]


class ExportDeliveriesDataResponse(TypedDict, total=False):
    export: ExportDeliveriesDataExport


class ImportImport(TypedDict, total=False):
    id: int
    created_at: int
    updated_at: int
    name: str
    description: str
    rows_to_import: int
    rows_imported: int
    state: Literal[
        "preprocessing",
        "preprocessed",
        "validating",
        "validated",
        "importing",
        "imported",
        "failed",
        "canceled",
    ]
    type: Literal["people", "event", "object", "relationship"]
    identifier: Literal["id", "email"]
    data_to_process: Literal["all", "only_new", "only_existing"]
    people_to_process: Literal["all", "only_new", "only_existing"]
    object_type_id: str | int
    error: str


ImportResponse = TypedDict(
    "ImportResponse",
    {
        "import": Required[ImportImport],
    },
    total=False,
)


class GetImportImport(TypedDict, total=False):
    id: int
    created_at: int
    updated_at: int
    name: str
    description: str
    rows_to_import: int
    rows_imported: int
    state: Literal[
        "preprocessing",
        "preprocessed",
        "validating",
        "validated",
        "importing",
        "imported",
        "failed",
        "canceled",
    ]
    type: Literal["people", "event", "object", "relationship"]
    identifier: Literal["id", "email"]
    data_to_process: Literal["all", "only_new", "only_existing"]
    people_to_process: Literal["all", "only_new", "only_existing"]
    object_type_id: str | int
    error: str
    error_export_id: int
    error_download_url: str
    warning_export_id: int
    warning_download_url: str


GetImportResponse = TypedDict(
    "GetImportResponse",
    {
        "import": Required[GetImportImport],
    },
    total=False,
)


class GetCioAllowlistResponse(TypedDict, total=False):
    ip_addresses: list[str]


class Message(TypedDict, total=False):
    id: str
    deduplicate_id: str
    message_template_id: int
    customer_id: str | None
    customer_identifiers: CustomerIdentifiers
    recipient: str
    subject: str
    metrics: CampaignMessageMetrics
    created: int
    failure_message: str | None
    campaign_id: int | None
    action_id: int
    parent_action_id: int | None
    newsletter_id: int | None
    content_id: int | None
    broadcast_id: int | None
    trigger_event_id: str | None
    type: Literal["email", "webhook", "twilio", "slack", "push"]
    forgotten: bool


class ListMessagesResponse(TypedDict, total=False):
    messages: list[Message]


class GetMessageResponse(TypedDict, total=False):
    message: Message


ArchivedMessage = TypedDict(
    "ArchivedMessage",
    {
        "id": str,
        "body": str,
        "from": str,
        "reply_to": str,
        "recipient": str,
        "subject": str,
        "bcc": str,
        "fake_bcc": bool,
        "preheader_text": str,
        "url": str,
        "request_method": Literal["GET", "POST", "PUT", "DELETE", "PATCH"],
        "headers": str,
        "forgotten": bool,
    },
    total=False,
)


class GetArchivedMessageResponse(TypedDict, total=False):
    archived_message: ArchivedMessage


class Newsletter(TypedDict, total=False):
    id: int
    deduplicate_id: str
    content_ids: list[int]
    name: str
    sent_at: int | None
    created: int
    updated: int
    type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"]
    tags: list[str]
    recipient_segment_ids: list[int]
    subscription_topic_id: int


class ListNewslettersResponse(TypedDict, total=False):
    newsletters: list[Newsletter]
    next: str


class GetNewslettersResponse(TypedDict, total=False):
    newsletter: Newsletter


Content = TypedDict(
    "Content",
    {
        "id": int,
        "newsletter_id": int,
        "deduplicate_id": str,
        "name": str,
        "layout": str,
        "body": str,
        "body_amp": str,
        "language": str,
        "type": Literal["email", "webhook", "twilio", "slack", "push"],
        "from": str,
        "from_id": int,
        "reply_to": str,
        "reply_to_id": int | None,
        "preprocessor": Literal["premailer"],
        "recipient": str,
        "subject": str,
        "bcc": str,
        "fake_bcc": bool,
        "preheader_text": str,
        "headers": str,
    },
    total=False,
)


class ListNewsletterVariantsResponse(TypedDict, total=False):
    contents: list[Content]


class NewsletterMessage(TypedDict, total=False):
    id: str
    deduplicate_id: str
    message_template_id: int
    customer_id: str | None
    customer_identifiers: CustomerIdentifiers
    recipient: str
    subject: str
    metrics: CampaignMessageMetrics
    created: int
    failure_message: str | None
    campaign_id: int | None
    action_id: int | None
    parent_action_id: int | None
    newsletter_id: int | None
    content_id: int | None
    broadcast_id: int | None
    trigger_event_id: str | None
    type: Literal["email", "webhook", "twilio", "slack", "push"]
    forgotten: bool


class GetNewsletterMsgMetaResponse(TypedDict, total=False):
    messages: list[NewsletterMessage]


class TranslationResponse(TypedDict, total=False):
    content: Content


class TestGroup(TypedDict, total=False):
    id: int
    name: str
    label: str
    winner: bool
    content_ids: list[str | int]


class GetNewsletterTestGroupsResponse(TypedDict, total=False):
    test_groups: list[TestGroup]


class Type(TypedDict, total=False):
    id: str
    name: str
    singular_name: str
    slug: str
    singular_slug: str
    enabled: bool
    icon: str


class GetObjectTypesResponse(TypedDict, total=False):
    types: list[Type]


class ObjectIdentifier(TypedDict, total=False):
    cio_object_id: str
    object_id: str


class GetObjectsFilterResponse(TypedDict, total=False):
    identifiers: list[ObjectIdentifier]
    ids: list[str]
    next: str


class ObjectCioRelationshipIdentifiers(TypedDict, total=False):
    cio_id: str
    id: str | None
    email: str | None


class ObjectCioRelationship(TypedDict, total=False):
    identifiers: ObjectCioRelationshipIdentifiers
    object_type_id: str
    object_type_disabled: bool


class GetObjectRelationshipsResponse(TypedDict, total=False):
    cio_relationships: list[ObjectCioRelationship]
    next: str


class ObjectIdentifiers(TypedDict, total=False):
    cio_object_id: str
    id: str | None
    email: str | None


class Object(TypedDict, total=False):
    attributes: dict[str, Any]
    timestamps: dict[str, Any]
    identifiers: ObjectIdentifiers
    object_type_id: str


class GetObjectAttributesResponse(TypedDict, total=False):
    object: Object


class WebhookResponse(TypedDict, total=False):
    name: Required[str]
    id: int
    endpoint: Required[str]
    disabled: bool
    full_resolution: bool
    with_content: bool
    events: Required[list[str]]


class ListWebhooksResponse(TypedDict, total=False):
    reporting_webhooks: list[WebhookResponse]


class Segment(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    description: str
    state: Literal["events", "build", "events_queued", "build_queued", "finished"]
    progress: int | None
    type: Literal["dynamic", "manual"]
    tags: list[str] | None
    created_at: int
    updated_at: int


class ListSegmentsResponse(TypedDict, total=False):
    segments: list[Segment]


class SegmentResponse(TypedDict, total=False):
    segment: Segment


class GetSenderUsageResponse(TypedDict, total=False):
    campaigns: list[int]
    sent_newsletters: list[int]
    draft_newsletters: list[int]


class GetSegmentDependenciesResponse(TypedDict, total=False):
    segment_id: int
    used_by: GetSenderUsageResponse


class GetSegmentCountResponse(TypedDict, total=False):
    segment_id: int
    count: int


class GetSegmentMembershipResponse1(TypedDict, total=False):
    segment_id: int
    ids: list[str]
    identifiers: list[CustomerIdentifiers]
    next: str


class SegmentIdentifier(TypedDict, total=False):
    id: Required[str | int]
    cio_id: Required[str]


class GetSegmentMembershipResponse2(TypedDict, total=False):
    segment_id: int
    ids: list[str]
    identifiers: list[SegmentIdentifier]
    next: str


class SenderIdentity(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    email: str
    address: str
    template_type: Literal["email", "phone"]
    auto_generated: bool


class ListSendersResponse(TypedDict, total=False):
    sender_identities: list[SenderIdentity]


class GetSenderResponse(TypedDict, total=False):
    sender_identity: SenderIdentity


class Snippet(TypedDict, total=False):
    name: Required[str]
    value: Required[str]
    updated_at: int


class ListSnippetsResponse(TypedDict, total=False):
    snippets: list[Snippet]


class UpdateSnippetsResponse(TypedDict, total=False):
    snippet: Snippet


class SnippetError(TypedDict, total=False):
    detail: str
    status: str


class DeleteSnippetError400(TypedDict, total=False):
    errors: list[SnippetError]


class Topic(TypedDict, total=False):
    name: str
    description: str
    subscribed_by_default: bool
    id: int
    identifier: str


class GetTopicsResponse(TypedDict, total=False):
    topics: list[Topic]


class ListTransactionalMessage(TypedDict, total=False):
    id: int
    name: str
    description: str
    send_to_unsubscribed: bool
    link_tracking: bool
    open_tracking: bool
    hide_message_body: bool
    queue_drafts: bool
    created_at: int
    updated_at: int


class ListTransactionalResponse(TypedDict, total=False):
    messages: list[ListTransactionalMessage]


class GetTransactionalResponse(TypedDict, total=False):
    message: ListTransactionalMessage


ContentItem = TypedDict(
    "ContentItem",
    {
        "id": int,
        "name": str,
        "created": int,
        "updated": int,
        "body": str,
        "language": str,
        "type": Literal["email", "push"],
        "from": str,
        "from_id": int,
        "reply_to": str,
        "reply_to_id": int | None,
        "preprocessor": Literal["premailer"],
        "recipient": str,
        "subject": str,
        "bcc": str,
        "fake_bcc": bool,
        "preheader_text": str,
        "body_amp": str,
        "headers": str,
    },
    total=False,
)


class ListTransactionalVariantsResponse(TypedDict, total=False):
    contents: list[ContentItem]


class TransactionalVariantResponse(TypedDict, total=False):
    content: list[ContentItem]


class MetricSeries(TypedDict, total=False):
    attempted: list[int]
    bounced: list[int]
    clicked: list[int]
    human_clicked: list[int]
    prefetch_clicked: list[int]
    converted: list[int]
    created: list[int]
    deferred: list[int]
    delivered: list[int]
    drafted: list[int]
    failed: list[int]
    opened: list[int]
    human_opened: list[int]
    prefetch_opened: list[int]
    sent: list[int]
    spammed: list[int]
    suppressed: list[int]
    undeliverable: list[int]
    topic_unsubscribed: list[int]
    unsubscribed: list[int]


class TransactionalMetric(TypedDict, total=False):
    series: MetricSeries


class TransactionalMetricsResponse(TypedDict, total=False):
    metric: TransactionalMetric


class TransactionalMessagesMessage(TypedDict, total=False):
    id: str
    deduplicate_id: str
    message_template_id: int
    customer_id: str | None
    customer_identifiers: CustomerIdentifiers
    recipient: str
    subject: str
    metrics: CampaignMessageMetrics
    created: int
    failure_message: str | None
    campaign_id: int | None
    action_id: int | None
    parent_action_id: int | None
    newsletter_id: int | None
    content_id: int | None
    broadcast_id: int | None
    trigger_event_id: str | None
    type: str
    forgotten: bool


class TransactionalMessagesResponse(TypedDict, total=False):
    messages: list[TransactionalMessagesMessage]


class Workspace(TypedDict, total=False):
    id: int | str
    name: str
    messages_sent: int
    billable_messages_sent: int
    people: int
    object_types: int
    objects: int


class ListWorkspacesResponse(TypedDict, total=False):
    workspaces: list[Workspace]


class Collection(TypedDict, total=False):
    bytes: int
    created_at: int
    updated_at: int
    id: int
    name: str
    rows: int
    schema: list[str]


class GetCollectionsResponse(TypedDict, total=False):
    collections: list[Collection]


class CollectionResponse(TypedDict, total=False):
    collection: Collection


class GetPeopleEmailResponse(TypedDict, total=False):
    results: list[CustomerIdentifiers]


class GetPeopleFilterResponse(TypedDict, total=False):
    identifiers: list[MessageCustomerIdentifiers]
    ids: list[str | int]
    next: str


class CustomerAttributes(TypedDict, total=False):
    id: str | None
    email: str | None
    cio_id: str
    cio_subscription_preferences: str
    _cio_subscription_preferences_computed: str


class CustomerTimestamps(TypedDict, total=False):
    cio_id: int
    _last_emailed: int
    email: int
    id: int
    unsubscribed: int
    _cio_subscription_preferences_computed: int
    cio_subscription_preferences: int
    additionalProperties: Any


class CustomerDeviceAttributes(TypedDict, total=False):
    device_os: str
    device_model: str
    app_version: str
    cio_sdk_version: str
    _last_status: Literal["", "bounced", "sent", "suppressed"]
    device_locale: str
    push_enabled: Literal["true", "false"]


class CustomerDevice(TypedDict, total=False):
    id: Required[str]
    last_used: int
    platform: Required[Literal["ios", "android"]]
    attributes: CustomerDeviceAttributes


class GetPersonAttributesCustomer(TypedDict, total=False):
    id: str
    identifiers: CustomerIdentifiers
    attributes: CustomerAttributes
    timestamps: CustomerTimestamps
    unsubscribed: bool
    devices: list[CustomerDevice]


class GetPersonAttributesResponse(TypedDict, total=False):
    customer: GetPersonAttributesCustomer


class CustomerCioRelationshipIdentifiers(TypedDict, total=False):
    object_id: str
    cio_object_id: str


class CustomerCioRelationship(TypedDict, total=False):
    object_type_id: int
    identifiers: CustomerCioRelationshipIdentifiers
    attributes: dict[str, Any]
    timestamps: dict[str, Any]


class GetPersonRelationshipsResponse(TypedDict, total=False):
    cio_relationships: list[CustomerCioRelationship]
    next: str


class GetPeopleByIdResponse(TypedDict, total=False):
    customers: list[GetPersonAttributesResponse]


class CustomerSegment(TypedDict, total=False):
    id: int
    name: str
    description: str


class GetPersonSegmentsResponse(TypedDict, total=False):
    segments: list[CustomerSegment]


class CustomerMessageMetrics(TypedDict, total=False):
    delivered: int
    sent: int


class CustomerMessage(TypedDict, total=False):
    id: str
    deduplicate_id: str
    msg_template_id: str
    customer_id: str
    campaign_id: int
    action_id: int
    recipient: str
    subject: str
    metrics: CustomerMessageMetrics
    created: int
    failure_message: str | None
    newsletter_id: int | None
    content_id: int | None
    broadcast_id: int | None
    type: Literal["email", "webhook", "twilio", "slack", "push"]
    forgotten: bool


class GetPersonMessagesResponse(TypedDict, total=False):
    messages: list[CustomerMessage]


class GetPersonActivitiesResponse(TypedDict, total=False):
    activities: list[Activity]


class CustomerTopic(TypedDict, total=False):
    id: str | int
    subscribed: bool
    name: str
    description: str


class CustomerHeader(TypedDict, total=False):
    title: str
    subtitle: str


class GetPersonSubscriptionPreferencesCustomer(TypedDict, total=False):
    id: str | None
    identifiers: CustomerIdentifiers
    topics: list[CustomerTopic]
    unsubscribed: bool
    header: CustomerHeader


class GetPersonSubscriptionPreferencesResponse(TypedDict, total=False):
    customer: GetPersonSubscriptionPreferencesCustomer


class CustomerMeta(TypedDict, total=False):
    errors: list[str]


class GetPersonSubscriptionPreferencesError400(TypedDict, total=False):
    meta: CustomerMeta


# operationId -> status code -> response type
RESPONSE_TYPES: dict[str, dict[str, Any]] = {
    "triggerBroadcast": {"200": TriggerBroadcastResponse, "422": TriggerBroadcastError422},
    "broadcastErrors": {"200": BroadcastErrorsResponse},
    "sendEmail": {
        "200": SendSMSResponse,
        "400": SendSMSError400,
        "403": SendSMSError400,
        "413": SendSMSError400,
    },
    "sendPush": {"200": SendSMSResponse, "400": SendSMSError400},
    "sendSMS": {"200": SendSMSResponse, "400": SendSMSError400, "403": SendSMSError400},
    "listCampaigns": {"200": ListCampaignsResponse},
    "getCampaigns": {"200": GetCampaignsResponse},
    "campaignMetrics": {"200": MetricsResponse | MetricsResponse2},
    "campaignLinkMetrics": {"200": LinksResponse},
    "listCampaignActions": {"200": ListCampaignActionsResponse},
    "getCampaignMessages": {"200": MessagesResponse},
    "getCampaignAction": {"200": CampaignActionTranslationResponse},
    "updateCampaignAction": {"200": CampaignActionTranslationResponse},
    "getCampaignActionTranslation": {"200": CampaignActionTranslationResponse},
    "updateCampaignActionTranslation": {"200": CampaignActionTranslationResponse},
    "campaignActionMetrics": {"200": MetricsResponse | MetricsResponse2},
    "campaignActionLinks": {"200": LinksResponse},
    "campaignJourneyMetrics": {"200": CampaignJourneyMetricsResponse},
    "listActivities": {"200": ListActivitiesResponse},
    "listBroadcasts": {"200": ListBroadcastsResponse},
    "getBroadcast": {"200": GetBroadcastResponse},
    "broadcastStatus": {"200": Trigger},
    "broadcastMetrics": {"200": MetricsResponse},
    "broadcastLinks": {"200": LinksResponse},
    "broadcastActions": {"200": BroadcastActionsResponse},
    "broadcastMessages": {"200": MessagesResponse},
    "getBroadcastAction": {"200": BroadcastActionLanguageResponse},
    "updateBroadcastAction": {"200": BroadcastActionLanguageResponse},
    "getBroadcastActionLanguage": {"200": BroadcastActionLanguageResponse},
    "updateBroadcastActionLanguage": {"200": BroadcastActionLanguageResponse},
    "broadcastActionMetrics": {"200": MetricsResponse},
    "broadcastActionLinks": {"200": LinksResponse},
    "listBroadcastTriggers": {"200": ListBroadcastTriggersResponse},
    "updateAttributeMetadata": {"400": MetadataError400, "422": MetadataError422},
    "updateEventMetadata": {"400": MetadataError400, "422": MetadataError422},
    "getSuppression": {"200": GetSuppressionByTypeResponse},
    "getSuppressionByType": {"200": GetSuppressionByTypeResponse},
    "postSuppression": {"200": dict[str, Any]},
    "listExports": {"200": ListExportsResponse},
    "getExport": {"200": ExportPeopleDataResponse},
    "downloadExport": {"200": DownloadExportResponse},
    "exportPeopleData": {"200": ExportPeopleDataResponse},
    "exportDeliveriesData": {"200": ExportDeliveriesDataResponse},
    "import": {"200": ImportResponse},
    "getImport": {"200": GetImportResponse},
    "getCioAllowlist": {"200": GetCioAllowlistResponse},
    "listMessages": {"200": ListMessagesResponse},
    "getMessage": {"200": GetMessageResponse},
    "getArchivedMessage": {"200": GetArchivedMessageResponse},
    "listNewsletters": {"200": ListNewslettersResponse},
    "getNewsletters": {"200": GetNewslettersResponse},
    "getNewsletterMetrics": {"200": MetricsResponse},
    "getNewsletterLinks": {"200": LinksResponse},
    "listNewsletterVariants": {"200": ListNewsletterVariantsResponse},
    "getNewsletterMsgMeta": {"200": GetNewsletterMsgMetaResponse},
    "getNewsletterVariant": {"200": TranslationResponse},
    "updateNewsletterVariant": {"200": TranslationResponse},
    "getNewsletterVariantTranslation": {"200": TranslationResponse},
    "updateNewsletterVariantTranslation": {"200": TranslationResponse},
    "getNewsletterTestGroups": {"200": GetNewsletterTestGroupsResponse},
    "getNewsletterVariantTranslationTest": {"200": TranslationResponse},
    "updateNewsletterTestTranslation": {"200": TranslationResponse},
    "getVariantMetrics": {"200": MetricsResponse},
    "getVariantLinks": {"200": LinksResponse},
    "getObjectTypes": {"200": GetObjectTypesResponse},
    "getObjectsFilter": {"200": GetObjectsFilterResponse},
    "getObjectRelationships": {"200": GetObjectRelationshipsResponse},
    "getObjectAttributes": {"200": GetObjectAttributesResponse},
    "listWebhooks": {"200": ListWebhooksResponse},
    "createWebhook": {"200": WebhookResponse},
    "getWebhook": {"200": WebhookResponse},
    "updateWebhook": {"200": WebhookResponse},
    "listSegments": {"200": ListSegmentsResponse},
    "createManSegment": {"200": SegmentResponse},
    "getSegment": {"200": SegmentResponse},
    "getSegmentDependencies": {"200": GetSegmentDependenciesResponse},
    "getSegmentCount": {"200": GetSegmentCountResponse},
    "getSegmentMembership": {"200": GetSegmentMembershipResponse1 | GetSegmentMembershipResponse2},
    "listSenders": {"200": ListSendersResponse},
    "getSender": {"200": GetSenderResponse},
    "getSenderUsage": {"200": GetSenderUsageResponse},
    "listSnippets": {"200": ListSnippetsResponse},
    "updateSnippets": {"200": UpdateSnippetsResponse},
    "deleteSnippet": {"400": DeleteSnippetError400},
    "getTopics": {"200": GetTopicsResponse},
    "listTransactional": {"200": ListTransactionalResponse},
    "getTransactional": {"200": GetTransactionalResponse},
    "listTransactionalVariants": {"200": ListTransactionalVariantsResponse, "400": SendSMSError400},
    "updateTransactional": {"200": TransactionalVariantResponse, "400": SendSMSError400},
    "getTransactionalVariant": {"200": TransactionalVariantResponse},
    "updateTransactionalVariant": {"200": TransactionalVariantResponse, "400": SendSMSError400},
    "transactionalMetrics": {"200": TransactionalMetricsResponse},
    "transactionalLinks": {"200": LinksResponse},
    "transactionalMessages": {"200": TransactionalMessagesResponse},
    "listWorkspaces": {"200": ListWorkspacesResponse},
    "getCollections": {"200": GetCollectionsResponse},
    "addCollection": {"200": CollectionResponse},
    "getCollection": {"200": CollectionResponse},
    "updateCollection": {"200": CollectionResponse},
    "getCollectionContents": {"200": dict[str, Any]},
    "updateCollectionContents": {"200": CollectionResponse},
    "getPeopleEmail": {"200": GetPeopleEmailResponse},
    "getPeopleFilter": {"200": GetPeopleFilterResponse},
    "getPersonAttributes": {"200": GetPersonAttributesResponse},
    "getPersonRelationships": {"200": GetPersonRelationshipsResponse},
    "getPeopleById": {"200": GetPeopleByIdResponse},
    "getPersonSegments": {"200": GetPersonSegmentsResponse},
    "getPersonMessages": {"200": GetPersonMessagesResponse},
    "getPersonActivities": {"200": GetPersonActivitiesResponse},
    "getPersonSubscriptionPreferences": {
        "200": GetPersonSubscriptionPreferencesResponse,
        "400": GetPersonSubscriptionPreferencesError400,
    },
}
