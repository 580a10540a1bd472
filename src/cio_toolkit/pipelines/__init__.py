"""Data Pipelines (CDP) API: clients, call builders, semantic events, batching, streaming senders (threads, asyncio)."""

from . import calls, semantic
from ._async_sender import AsyncSender
from ._batch import BatchPacker, PackedBatch, pack_calls
from ._calls import build_call, encode_call, message_id_for
from ._client import AsyncPipelinesClient, BatchResult, PipelinesClient, plan_batch
from ._delivery import DeliveryReport, QueueFullError, SenderClosedError
from ._sender import Sender
from .semantic import SEMANTIC_EVENTS, SemanticEvent

__all__ = [
    "SEMANTIC_EVENTS",
    "AsyncPipelinesClient",
    "AsyncSender",
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
