"""Byte-exact packing of calls into /v1/batch bodies under the 500 KB request limit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import _constants as C
from .._exceptions import PayloadTooLargeError
from .._serialize import dumps
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
        tail = b""
        if context:
            tail += b',"context":' + dumps(dict(context))
        if integrations:
            tail += b',"integrations":' + dumps(dict(integrations))
        self._head = b'{"batch":['
        self._tail = b"]" + tail + b"}"
        self._overhead = len(self._head) + len(self._tail)
        if self._overhead + 2 > max_batch_bytes:
            raise PayloadTooLargeError(
                f"batch context/integrations take {self._overhead} bytes, over the {max_batch_bytes}-byte batch limit",
                field="batch context", limit=max_batch_bytes, actual=self._overhead,
            )
        self._items: list[bytes] = []
        self._ids: list[str] = []
        self._size = self._overhead

    def __len__(self) -> int:
        return len(self._items)

    def fits(self, encoded: bytes) -> bool:
        """Whether ``encoded`` fits in the current batch."""
        sep = 1 if self._items else 0
        return self._size + sep + len(encoded) <= self.max_batch_bytes

    def add(self, call: Mapping[str, Any], encoded: bytes | None = None) -> PackedBatch | None:
        """Add one call; return the previous batch if this call started a new one."""
        if encoded is None:
            encoded = encode_call(call, limit=self.max_call_bytes)
        if self._overhead + len(encoded) > self.max_batch_bytes:
            raise PayloadTooLargeError(
                f"call of {len(encoded)} bytes cannot fit in a {self.max_batch_bytes}-byte batch",
                field="call", limit=self.max_batch_bytes - self._overhead, actual=len(encoded),
            )
        done = None
        if not self.fits(encoded):
            done = self.flush()
        self._size += (1 if self._items else 0) + len(encoded)
        self._items.append(encoded)
        self._ids.append(str(call.get("messageId", "")))
        return done

    def flush(self) -> PackedBatch | None:
        """Return the current batch (None when empty) and start a new one."""
        if not self._items:
            return None
        body = self._head + b",".join(self._items) + self._tail
        batch = PackedBatch(body, self._ids)
        self._items, self._ids, self._size = [], [], self._overhead
        return batch


def pack_calls(calls: Iterable[Mapping[str, Any]], **packer_kw: Any) -> Iterator[PackedBatch]:
    """Pack ``calls`` into as few batch bodies as the size limits allow, in order."""
    packer = BatchPacker(**packer_kw)
    for call in calls:
        if (done := packer.add(call)) is not None:
            yield done
    if (last := packer.flush()) is not None:
        yield last
