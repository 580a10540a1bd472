"""The plain App API reads, registered by one line each: one stored thing, or every document of a kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..models.content import doc_list, public
from ..registry import RequestContext, handler
from ._common import st

__all__ = ["serve_all", "serve_one"]


def serve_one(
    operation_id: str,
    key: str,
    find: Callable[[RequestContext], dict[str, Any]],
    doc: str,
    render: Callable[[dict[str, Any]], dict[str, Any]] = public,
) -> None:
    """Register the App API read ``operation_id``: ``{key: render(find(ctx))}``, documented ``doc``."""

    async def read_one(ctx: RequestContext) -> dict[str, Any]:
        return {key: render(find(ctx))}

    read_one.__doc__ = doc
    handler("app_api", operation_id)(read_one)


def serve_all(
    operation_id: str, key: str, kind: str, doc: str, under: Callable[[RequestContext], Any] | None = None
) -> None:
    """Register the App API read ``operation_id``: ``{key: [...]}``, every stored document of ``kind``
    (those under the parent ``under(ctx)`` when given, which raises the parent's 404)."""

    async def read_all(ctx: RequestContext) -> dict[str, Any]:
        parent = None if under is None else under(ctx)
        return {key: [public(d) for d in doc_list(st(ctx), kind, parent)]}

    read_all.__doc__ = doc
    handler("app_api", operation_id)(read_all)
