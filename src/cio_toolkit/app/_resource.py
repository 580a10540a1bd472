"""Base classes of the App API resources: the only place a resource does I/O.

Each generated method passes its operationId and keyword arguments to ``_call``/``_page``/
``_frame``; these build the request with the shared pure functions of :mod:`._ops`, send it
through the client's transport, and read the answer the same way for sync and async.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._pagination import AsyncPage, PageState, SyncPage
from ._generated.operations import OPERATIONS
from ._metrics import FrameKind, metrics_frame
from ._ops import Op, build_request, page_state, parse_result, with_page

if TYPE_CHECKING:
    import pandas as pd

    from .._base import AsyncAPIClient, SyncAPIClient

__all__ = ["SyncResource", "AsyncResource", "operation_for"]


def operation_for(operation_id: str) -> Op:
    """The generated :class:`Op` of ``operation_id``."""
    return OPERATIONS[operation_id]


class _Resource:
    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"

    _client: Any


class SyncResource(_Resource):
    """A group of App API operations on a blocking client."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client

    def _call(self, operation_id: str, args: dict[str, Any]) -> Any:
        op = operation_for(operation_id)
        return parse_result(op, self._client.request(build_request(op, args)).data)

    def _page(self, operation_id: str, args: dict[str, Any]) -> SyncPage[Any]:
        op = operation_for(operation_id)
        spec = build_request(op, args)
        assert op.result_key is not None

        def fetch(state: PageState) -> Any:
            return self._client.request(with_page(spec, state)).data

        return SyncPage(self._client.request(spec).data, items_key=op.result_key, state=page_state(op, spec),
                        fetch=fetch)

    def _frame(self, operation_id: str, kind: FrameKind, args: dict[str, Any]) -> pd.DataFrame:
        op = operation_for(operation_id)
        data = self._client.request(build_request(op, args)).data
        return metrics_frame(data, kind=kind, args=args)


class AsyncResource(_Resource):
    """A group of App API operations on an asyncio client."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client

    async def _call(self, operation_id: str, args: dict[str, Any]) -> Any:
        op = operation_for(operation_id)
        return parse_result(op, (await self._client.request(build_request(op, args))).data)

    async def _page(self, operation_id: str, args: dict[str, Any]) -> AsyncPage[Any]:
        op = operation_for(operation_id)
        spec = build_request(op, args)
        assert op.result_key is not None

        async def fetch(state: PageState) -> Any:
            return (await self._client.request(with_page(spec, state))).data

        first = (await self._client.request(spec)).data
        return AsyncPage(first, items_key=op.result_key, state=page_state(op, spec), fetch=fetch)

    async def _frame(self, operation_id: str, kind: FrameKind, args: dict[str, Any]) -> pd.DataFrame:
        op = operation_for(operation_id)
        data = (await self._client.request(build_request(op, args))).data
        return metrics_frame(data, kind=kind, args=args)
