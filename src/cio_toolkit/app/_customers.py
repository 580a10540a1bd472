"""The customers resource: the spec's operations plus ``wait_for``, a read-back with a bounded wait.

Track and Pipelines writes reach the App API asynchronously, so a person identified a moment ago
may answer 404, or show older attributes, for a while. ``wait_for`` polls getPersonAttributes until
the person is visible (and, with ``until``, in the expected state) or ``timeout`` runs out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from .._exceptions import NotFoundError
from .._wait import wait_until, wait_until_async
from ._generated import customers as _customers
from ._generated.models import GetPersonAttributesCustomer

__all__ = ["AsyncCustomers", "Customers"]

IdType = Literal["id", "email", "cio_id"]
Condition = Callable[[GetPersonAttributesCustomer], object]


class _Lookup:
    """One wait_for: the request's arguments, the condition, and what the last answer showed."""

    def __init__(self, id: str, id_type: IdType | None, until: Condition | None, timeout: float) -> None:
        self.id, self.id_type, self.until, self.timeout = id, id_type, until, timeout
        self.args: dict[str, Any] = {"customer_id": id, "id_type": id_type}
        self.seen_once = False

    def settled(self, customer: GetPersonAttributesCustomer) -> GetPersonAttributesCustomer | None:
        self.seen_once = True
        return customer if self.until is None or self.until(customer) else None

    def message(self) -> str:
        who = f"customer {self.id!r}" + (f" ({self.id_type})" if self.id_type else "")
        if self.seen_once:
            return f"{who} is visible but did not meet the condition within {self.timeout:g} s"
        return f"{who} is not visible through the App API after {self.timeout:g} s"


class Customers(_customers.Customers):
    """Look people up (by email, filter, attributes, segments, messages, activities) and ``wait_for`` them."""

    def wait_for(
        self, *, id: str, id_type: IdType | None = None, until: Condition | None = None,
        timeout: float = 30.0, interval: float = 0.5,
    ) -> GetPersonAttributesCustomer:
        """Poll the person's attributes (operation ``getPersonAttributes``) until visible and ``until(customer)`` holds.

        Returns what :meth:`attributes` returns (``id``, ``identifiers``, ``attributes``, ``devices``...);
        404 answers count as "not yet"; raises :class:`~cio_toolkit.NotReadyError` after ``timeout`` seconds.
        """
        look = _Lookup(id, id_type, until, timeout)
        return wait_until(lambda: look.settled(self._call("getPersonAttributes", look.args)), timeout=timeout,
                          interval=interval, retry_on=(NotFoundError,), message=look.message)


class AsyncCustomers(_customers.AsyncCustomers):
    """Look people up (asyncio) and ``wait_for`` them."""

    async def wait_for(
        self, *, id: str, id_type: IdType | None = None, until: Condition | None = None,
        timeout: float = 30.0, interval: float = 0.5,
    ) -> GetPersonAttributesCustomer:
        """Poll the person's attributes (operation ``getPersonAttributes``) until visible and ``until(customer)`` holds."""
        look = _Lookup(id, id_type, until, timeout)

        async def check() -> GetPersonAttributesCustomer | None:
            return look.settled(await self._call("getPersonAttributes", look.args))

        return await wait_until_async(check, timeout=timeout, interval=interval, retry_on=(NotFoundError,),
                                      message=look.message)


