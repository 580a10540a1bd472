"""Page objects for list endpoints: iterate items across every page, or one page at a time.

Customer.io pages in two ways: a ``next`` token in the answer that goes back as the ``start``
query parameter (activities, messages, customer search, ...), or ``limit``/``offset`` (ESP
suppression lists). Deciding which request comes next is the pure function :func:`next_cursor`;
:class:`SyncPage` and :class:`AsyncPage` only fetch.

A call returns its first page already fetched (errors surface at the call); iterating a page
yields the items of that page and then of every following page, fetched lazily.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

__all__ = ["CursorKind", "PageState", "next_cursor", "items_of", "SyncPage", "AsyncPage", "records_to_pandas",
           "records_to_polars"]

log = logging.getLogger("cio_toolkit")

T = TypeVar("T")
CursorKind = Literal["next", "offset", "none"]


@dataclass(frozen=True)
class PageState:
    """Where a page sits: the cursor that fetched it and the query parameters it was fetched with."""

    kind: CursorKind
    params: Mapping[str, Any]
    cursor: str | int | None = None


def items_of(data: Any, items_key: str) -> list[Any]:
    """The items of one answer (an empty list when the key is missing or null)."""
    if not isinstance(data, Mapping):
        return []
    items = data.get(items_key)
    return list(items) if isinstance(items, list) else []


def next_cursor(state: PageState, data: Any, n_items: int) -> str | int | None:
    """The cursor of the page after ``data``, or None when ``data`` was the last page.

    - ``next``: the answer's ``next`` token (empty, missing or unchanged means done; an unchanged
      token would otherwise loop forever on a misbehaving server);
    - ``offset``: previous offset + items received, while a full page (``limit`` items) came back;
    - ``none``: a single page.
    """
    if state.kind == "next":
        token = data.get("next") if isinstance(data, Mapping) else None
        if not token or not isinstance(token, str) or n_items == 0:
            return None
        if token == state.cursor:
            log.warning("pagination stopped: the server returned the same cursor twice (%s)", token[:40])
            return None
        return token
    if state.kind == "offset":
        limit = state.params.get("limit")
        if n_items == 0 or (isinstance(limit, int) and n_items < limit):
            return None
        offset = state.cursor if isinstance(state.cursor, int) else int(state.params.get("offset") or 0)
        return offset + n_items
    return None


def cursor_param(kind: CursorKind) -> str:
    """The query parameter that carries the cursor for ``kind``."""
    return "offset" if kind == "offset" else "start"


def records_to_pandas(records: Sequence[Any], *, flatten: bool = True) -> pd.DataFrame:
    """Records as a pandas DataFrame; nested objects become dotted columns (``metrics.sent``) when ``flatten``."""
    import pandas as pd

    rows = [dict(r) if isinstance(r, Mapping) else {"value": r} for r in records]
    if flatten:
        return pd.json_normalize(rows, sep=".")
    return pd.DataFrame.from_records(rows)


def records_to_polars(records: Sequence[Any], *, flatten: bool = True) -> pl.DataFrame:
    """Records as a polars DataFrame; nested objects become dotted columns when ``flatten``."""
    import polars as pl

    rows = [dict(r) if isinstance(r, Mapping) else {"value": r} for r in records]
    if not rows:
        return pl.DataFrame()
    if flatten:
        return pl.json_normalize(rows, separator=".", infer_schema_length=None)
    return pl.DataFrame(rows, infer_schema_length=None)


class _PageBase(Generic[T]):
    def __init__(self, data: Any, *, items_key: str, state: PageState) -> None:
        self.data = data
        self.items_key = items_key
        self.state = state
        self.items: list[T] = items_of(data, items_key)

    @property
    def next_cursor(self) -> str | int | None:
        """The cursor of the following page (None on the last page)."""
        return next_cursor(self.state, self.data, len(self.items))

    def has_next(self) -> bool:
        """Whether another page follows this one."""
        return self.next_cursor is not None

    def _state_after(self) -> PageState | None:
        cursor = self.next_cursor
        if cursor is None:
            return None
        return PageState(self.state.kind, {**self.state.params, cursor_param(self.state.kind): cursor}, cursor)

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        more = ", more pages" if self.has_next() else ""
        return f"<{type(self).__name__} {self.items_key}: {len(self.items)} items{more}>"


class SyncPage(_PageBase[T]):
    """One page of a list endpoint; iterating yields the items of this and every following page."""

    def __init__(
        self,
        data: Any,
        *,
        items_key: str,
        state: PageState,
        fetch: Callable[[PageState], Any] | None = None,
    ) -> None:
        super().__init__(data, items_key=items_key, state=state)
        self._fetch = fetch

    def next_page(self) -> SyncPage[T] | None:
        """Fetch the following page (None on the last one)."""
        state = self._state_after()
        if state is None or self._fetch is None:
            return None
        return SyncPage(self._fetch(state), items_key=self.items_key, state=state, fetch=self._fetch)

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        """Yield this page, then every following page."""
        page: SyncPage[T] | None = self
        while page is not None:
            yield page
            page = page.next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items

    def to_list(self) -> list[T]:
        """Every item across all pages."""
        return list(self)

    def to_pandas(self, *, flatten: bool = True) -> pd.DataFrame:
        """Every item across all pages as a pandas DataFrame (nested objects flattened to dotted columns)."""
        return records_to_pandas(self.to_list(), flatten=flatten)

    def to_polars(self, *, flatten: bool = True) -> pl.DataFrame:
        """Every item across all pages as a polars DataFrame (nested objects flattened to dotted columns)."""
        return records_to_polars(self.to_list(), flatten=flatten)


class AsyncPage(_PageBase[T]):
    """One page of a list endpoint; ``async for`` yields the items of this and every following page."""

    def __init__(
        self,
        data: Any,
        *,
        items_key: str,
        state: PageState,
        fetch: Callable[[PageState], Awaitable[Any]] | None = None,
    ) -> None:
        super().__init__(data, items_key=items_key, state=state)
        self._fetch = fetch

    async def next_page(self) -> AsyncPage[T] | None:
        """Fetch the following page (None on the last one)."""
        state = self._state_after()
        if state is None or self._fetch is None:
            return None
        return AsyncPage(await self._fetch(state), items_key=self.items_key, state=state, fetch=self._fetch)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """Yield this page, then every following page."""
        page: AsyncPage[T] | None = self
        while page is not None:
            yield page
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item

    async def to_list(self) -> list[T]:
        """Every item across all pages."""
        return [item async for item in self]

    async def to_pandas(self, *, flatten: bool = True) -> pd.DataFrame:
        """Every item across all pages as a pandas DataFrame."""
        return records_to_pandas(await self.to_list(), flatten=flatten)

    async def to_polars(self, *, flatten: bool = True) -> pl.DataFrame:
        """Every item across all pages as a polars DataFrame."""
        return records_to_polars(await self.to_list(), flatten=flatten)
