"""Pure request building for the Data Pipelines API (no I/O): specs, batch plans, batch results.

The sync and async clients, the :class:`Sender` and ``bulk.load`` build their requests here and
only do the sending, so the rules (strict header, alias ordering, size checks) exist once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .. import _constants as C
from .._exceptions import ValidationError
from .._transport import RequestSpec
from .._wire import CallPlanner, strict_headers
from ._batch import PackedBatch, call_packer
from ._calls import CALL_TYPES, encode_call, random_message_id

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BatchResult", "batch_spec", "normalize_call", "plan_batch", "record_batch", "single_call_spec"]


@dataclass(repr=False)
class BatchResult:
    """What a batch send delivered: messageIds acknowledged, requests and bytes used."""

    message_ids: list[str] = field(default_factory=list)
    requests: int = 0
    bytes_sent: int = 0
    batch_sizes: list[int] = field(default_factory=list)  # body bytes of each /v1/batch request

    @property
    def calls(self) -> int:
        """How many calls were delivered."""
        return len(self.message_ids)

    def __repr__(self) -> str:
        return f"BatchResult(calls={self.calls}, requests={self.requests}, bytes_sent={self.bytes_sent})"

    def to_pandas(self) -> pd.DataFrame:
        """One row per /v1/batch request: its size in bytes and its share of the 500 KB limit."""
        import pandas as pd

        return pd.DataFrame({
            "request": range(1, len(self.batch_sizes) + 1),
            "bytes": self.batch_sizes,
            "share_of_limit": [size / C.PIPELINES_MAX_BATCH_BYTES for size in self.batch_sizes],
        })


def single_call_spec(call: Mapping[str, Any], *, strict: bool, encoded: bytes | None = None) -> RequestSpec:
    """The request for one identify/track/page/screen/group/alias call (size- and limit-checked).

    ``encoded`` is the call's body when it was already encoded (and checked) by the caller.
    """
    return RequestSpec(
        "POST", f"/{call['type']}", operation_id=str(call["type"]),
        content=encode_call(call) if encoded is None else encoded,
        headers=strict_headers(strict), idempotent=True,  # messageId makes re-sends deduplicate
    )


def batch_spec(batch: PackedBatch, *, strict: bool) -> RequestSpec:
    """The request for one packed /v1/batch body."""
    return RequestSpec("POST", "/batch", operation_id="batch", content=batch.body,
                       headers=strict_headers(strict), idempotent=True)


def normalize_call(call: Any) -> dict[str, Any]:
    """Check a prebuilt call (from :mod:`.calls` or by hand) and give it a messageId if it has none."""
    if type(call) is not dict and not isinstance(call, Mapping):  # the exact type first: an ABC check is slow
        raise ValidationError(f"call: must be a mapping built by pipelines.calls, got {type(call).__name__}",
                              field="call")
    type_ = call.get("type")
    if type_ not in CALL_TYPES:
        raise ValidationError(f"call.type: {type_!r} is not one of {CALL_TYPES}", field="type", limit=CALL_TYPES)
    if call.get("messageId"):
        return call if isinstance(call, dict) else dict(call)
    return {**call, "messageId": random_message_id()}


def plan_batch(
    items: Iterable[Mapping[str, Any]],
    *,
    context: Mapping[str, Any] | None = None,
    integrations: Mapping[str, Any] | None = None,
    max_batch_bytes: int = C.PIPELINES_MAX_BATCH_BYTES,
) -> Iterator[tuple[Literal["batch", "single"], PackedBatch | dict[str, Any]]]:
    """Plan the requests for ``items`` in order: packed /v1/batch bodies, and alias calls on their own.

    The spec's batch items are identify, track, page, screen and group, so an alias is sent
    through /v1/alias after the batch before it, which keeps the order of effects. Every call is
    checked (32 KB and the per-field limits of ``encode_call``) before a request is planned for it.
    """
    planner: CallPlanner[dict[str, Any]] = CallPlanner(call_packer(
        context=context, integrations=integrations, max_batch_bytes=max_batch_bytes))

    def calls() -> Iterator[tuple[str, bytes, dict[str, Any]]]:
        for raw in items:
            call = normalize_call(raw)
            yield str(call["type"]), encode_call(call), call

    for frame in planner.plan(calls()):
        if frame.kind == "single":
            yield "single", frame.payloads[0]
        else:
            yield "batch", PackedBatch(frame.body, [str(c.get("messageId", "")) for c in frame.payloads])


def record_batch(result: BatchResult, item: PackedBatch | dict[str, Any]) -> None:
    """Add one delivered request of :func:`plan_batch` to ``result``."""
    result.requests += 1
    if isinstance(item, PackedBatch):
        result.message_ids.extend(item.message_ids)
        result.bytes_sent += item.size
        result.batch_sizes.append(item.size)
    else:
        result.message_ids.append(str(item["messageId"]))
        result.bytes_sent += len(encode_call(item))


def spec_for(item: PackedBatch | dict[str, Any], *, strict: bool) -> RequestSpec:
    """The request for one planned item of :func:`plan_batch`."""
    return batch_spec(item, strict=strict) if isinstance(item, PackedBatch) else single_call_spec(item, strict=strict)
