"""Data Pipelines (CDP) API: clients, call builders, semantic events, batching and a streaming sender."""

from . import calls, semantic
from ._batch import BatchPacker, PackedBatch, pack_calls
from ._calls import build_call, encode_call, message_id_for
from ._client import AsyncPipelinesClient, BatchResult, PipelinesClient, plan_batch
from ._sender import DeliveryReport, QueueFullError, Sender, SenderClosedError
from .semantic import SEMANTIC_EVENTS, SemanticEvent

__all__ = [
    "SEMANTIC_EVENTS",
    "AsyncPipelinesClient",
    "BatchPacker",
    "BatchResult",
    "DeliveryReport",
    "PackedBatch",
    "PipelinesClient",
    "QueueFullError",
    "SemanticEvent",
    "Sender",
    "SenderClosedError",
    "build_call",
    "calls",
    "encode_call",
    "message_id_for",
    "pack_calls",
    "plan_batch",
    "semantic",
]
