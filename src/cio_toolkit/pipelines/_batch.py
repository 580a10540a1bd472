"""Byte-exact packing of calls into /v1/batch bodies under the 500 KB request limit.

The packing rule itself is :class:`cio_toolkit._wire.Packer` (shared with the sender and bulk
loads); this module gives it the public shape: calls in, :class:`PackedBatch` bodies out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import _constants as C
from .._serialize import dumps
from .._wire import BATCH_HEAD, Frame, Packer
from ._calls import encode_call

__all__ = ["PackedBatch", "BatchPacker", "pack_calls"]


@dataclass
class PackedBatch:
    """One /v1/batch request body, ready to send, and the messageIds it carries."""

    body: bytes
    message_ids: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Exact body size in bytes."""
        return len(self.body)

    @classmethod
    def of(cls, frame: Frame[str]) -> PackedBatch:
        """The batch of a packed frame whose payloads are messageIds."""
        return cls(frame.body, frame.payloads)


def batch_tail(context: Mapping[str, Any] | None, integrations: Mapping[str, Any] | None) -> bytes:
    """The end of a /v1/batch body: the shared ``context`` and ``integrations``, if any."""
    tail = b""
    if context:
        tail += b',"context":' + dumps(dict(context))
    if integrations:
        tail += b',"integrations":' + dumps(dict(integrations))
    return b"]" + tail + b"}"


def call_packer(
    *,
    max_batch_bytes: int = C.PIPELINES_MAX_BATCH_BYTES,
    context: Mapping[str, Any] | None = None,
    integrations: Mapping[str, Any] | None = None,
) -> Packer[Any]:
    """A :class:`Packer` for /v1/batch bodies carrying ``context`` and ``integrations``."""
    return Packer(max_batch_bytes, head=BATCH_HEAD, tail=batch_tail(context, integrations))


class BatchPacker:
    """Accumulates encoded calls; hands out a full batch when the next call would not fit.

    The body is ``{"batch":[c1,c2,...]<,"context":..><,"integrations":..>}``; its size is
    computed exactly from the encoded parts, so a batch is never over ``max_batch_bytes``.
    """

    def __init__(
        self,
        *,
        max_batch_bytes: int = C.PIPELINES_MAX_BATCH_BYTES,
        max_call_bytes: int = C.PIPELINES_MAX_CALL_BYTES,
        context: Mapping[str, Any] | None = None,
        integrations: Mapping[str, Any] | None = None,
    ) -> None:
        self.max_batch_bytes = max_batch_bytes
        self.max_call_bytes = max_call_bytes
        self._packer: Packer[str] = call_packer(max_batch_bytes=max_batch_bytes, context=context,
                                                integrations=integrations)

    def __len__(self) -> int:
        return len(self._packer)

    @property
    def overhead(self) -> int:
        """Bytes of every body before any call: the frame, context and integrations."""
        return self._packer.overhead

    def fits(self, encoded: bytes) -> bool:
        """Whether ``encoded`` fits in the current batch."""
        return self._packer.fits(encoded)

    def add(self, call: Mapping[str, Any], encoded: bytes | None = None) -> PackedBatch | None:
        """Add one call; return the previous batch if this call started a new one."""
        if encoded is None:
            encoded = encode_call(call, limit=self.max_call_bytes)
        done = self._packer.add(encoded, str(call.get("messageId", "")))
        return PackedBatch.of(done) if done is not None else None

    def flush(self) -> PackedBatch | None:
        """Return the current batch (None when empty) and start a new one."""
        done = self._packer.flush()
        return PackedBatch.of(done) if done is not None else None


def pack_calls(calls: Iterable[Mapping[str, Any]], **packer_kw: Any) -> Iterator[PackedBatch]:
    """Pack ``calls`` into as few batch bodies as the size limits allow, in order."""
    packer = BatchPacker(**packer_kw)
    for call in calls:
        if (done := packer.add(call)) is not None:
            yield done
    if (last := packer.flush()) is not None:
        yield last
