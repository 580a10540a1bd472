"""App API: ``AppClient``/``AsyncAppClient`` with one resource per spec tag, filters, pages and exports."""

from .._pagination import AsyncPage, SyncPage
from ._client import AppClient, AsyncAppClient
from ._exports import ExportResult
from ._metrics import metrics_frame, tidy_metrics
from .filters import Filter, all_of, any_of, attr, object_attr, segment

__all__ = [
    "AppClient",
    "AsyncAppClient",
    "AsyncPage",
    "ExportResult",
    "Filter",
    "SyncPage",
    "all_of",
    "any_of",
    "attr",
    "metrics_frame",
    "object_attr",
    "segment",
    "tidy_metrics",
]
