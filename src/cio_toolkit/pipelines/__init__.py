"""Data Pipelines (CDP) API: clients, call builders and byte-exact batch packing."""

from ._batch import BatchPacker, PackedBatch, pack_calls
from ._calls import build_call, encode_call, message_id_for
from ._client import AsyncPipelinesClient, BatchResult, PipelinesClient

__all__ = [
    "AsyncPipelinesClient", "BatchPacker", "BatchResult", "PackedBatch", "PipelinesClient",
    "build_call", "encode_call", "message_id_for", "pack_calls",
]
