"""What every live scenario uses: the client, the run's names (all carrying the run id), the ledger,
and read-backs that poll with a bounded wait (Customer.io applies writes asynchronously)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest

from cio_toolkit import CustomerIO, NotFoundError, wait_until
from cio_toolkit.app.types import GetPersonAttributesCustomer
from cio_toolkit.live import RUN_ATTRIBUTE, Ledger

T = TypeVar("T")


@dataclass
class Live:
    """One live session: ``cio`` configured from the environment, the run's ``ledger``, and its time limits.

    Every wait is bounded by ``timeout`` and by what is left of the session's ``budget``, so the whole
    suite ends within ``budget`` seconds (plus the cleanup) however slowly the workspace answers.
    """

    cio: CustomerIO
    ledger: Ledger
    env: Mapping[str, str]
    timeout: float = 60.0
    budget: float = 900.0
    interval: float = 0.5
    clock: Callable[[], float] = time.monotonic
    _deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self._deadline = self.clock() + self.budget

    def remaining(self, longest: float | None = None) -> float:
        """Seconds one wait may take now: ``longest`` (default ``timeout``), at most what the budget has left."""
        return max(0.0, min(self.timeout if longest is None else longest, self._deadline - self.clock()))

    # --- names: everything this run creates carries the run id ------------------------------

    @property
    def run(self) -> str:
        """The run id, e.g. ``cio-live-1a2b3c4d``."""
        return self.ledger.run_id

    def name(self, label: str) -> str:
        """``<run>-<label>``: an id, a segment or webhook name of this run (not recorded)."""
        return f"{self.run}-{label}"

    def person(self, label: str) -> str:
        """The id of a person this run is about to create, recorded in the ledger first."""
        person_id = self.name(label)
        self.ledger.record("person", id=person_id)
        return person_id

    def email_person(self, label: str) -> str:
        """The email of a person identified by email only (``<run>-<label>@example.com``, never sent to)."""
        email = f"{self.name(label)}@example.com"
        self.ledger.record("person", email=email)
        return email

    def email(self, label: str) -> str:
        """``<run>-<label>@example.com``: an address of this run that nothing is ever sent to."""
        return f"{self.name(label)}@example.com"

    @property
    def object_type_id(self) -> str:
        """The object type the scenarios create objects of (CIO_LIVE_OBJECT_TYPE_ID, default 1)."""
        return self.env.get("CIO_LIVE_OBJECT_TYPE_ID") or "1"

    def object_id(self, label: str) -> str:
        """The id of an object this run is about to create, recorded in the ledger first.

        Skips the scenario when the workspace has no object type ``object_type_id`` (objects of an
        unknown type are dropped by Customer.io, so nothing would ever be read back).
        """
        types = {str(t.get("id")) for t in self.cio.app.objects.types()}
        if self.object_type_id not in types:
            pytest.skip(f"the workspace has no object type {self.object_type_id} (it has {sorted(types)}): "
                        "set CIO_LIVE_OBJECT_TYPE_ID")
        object_id = self.name(label)
        self.ledger.record("object", object_type_id=self.object_type_id, object_id=object_id)
        return object_id

    def traits(self, **extra: Any) -> dict[str, Any]:
        """Attributes for a person or object of this run: ``cio_live_run`` (found again by search) plus ``extra``."""
        return {RUN_ATTRIBUTE: self.run, **extra}

    # --- read-backs: poll with a bounded wait, never sleep ---------------------------------

    def wait(self, check: Callable[[], T | bool | None], what: str) -> T:
        """``check()`` once it is truthy (404 answers count as not yet); NotReadyError naming ``what`` after ``timeout``."""
        timeout = self.remaining()
        return wait_until(check, timeout=timeout, interval=self.interval, retry_on=(NotFoundError,),
                          message=f"{what}: not seen within {timeout:g} s", clock=self.clock)

    def customer(self, id: str, *, id_type: str | None = None,
                 until: Callable[[GetPersonAttributesCustomer], object] | None = None) -> GetPersonAttributesCustomer:
        """The person once visible through the App API (and ``until(customer)`` holds)."""
        return self.cio.app.customers.wait_for(id=id, id_type=id_type, until=until,  # type: ignore[arg-type]
                                               timeout=self.remaining(), interval=self.interval)

    def attribute(self, id: str, name: str, value: Any, *, id_type: str | None = None) -> GetPersonAttributesCustomer:
        """The person once their attribute ``name`` reads ``value`` (compared as strings, as the API stores them)."""
        def has(c: GetPersonAttributesCustomer) -> bool:
            return _same(c.get("attributes", {}).get(name), value)

        return self.customer(id, id_type=id_type, until=has)

    def gone(self, id: str, *, id_type: str | None = None) -> None:
        """Return once the App API answers 404 for the person."""
        def absent() -> bool:
            try:
                self.cio.app.customers.attributes(customer_id=id, id_type=id_type)  # type: ignore[arg-type]
            except NotFoundError:
                return True
            return False

        timeout = self.remaining()
        wait_until(absent, timeout=timeout, interval=self.interval, clock=self.clock,
                   message=f"customer {id!r} still visible {timeout:g} s after it was removed")

    def activity(self, id: str, name: str | None = None, *, type: str | None = None,
                 where: Callable[[dict[str, Any]], object] | None = None) -> dict[str, Any]:
        """The person's newest activity named ``name`` (and/or of ``type``, matching ``where``) once listed."""
        def matches(a: dict[str, Any]) -> bool:
            return (name is None or a.get("name") == name) and (where is None or bool(where(a)))

        def find() -> dict[str, Any] | None:
            page = self.cio.app.customers.activities(customer_id=id, type=type, name=name)
            return next((dict(a) for a in page.items if matches(dict(a))), None)

        return self.wait(find, f"activity {name or type!r} of {id!r}")

    def devices(self, id: str, expected: Iterable[str]) -> GetPersonAttributesCustomer:
        """The person once their device ids are exactly ``expected``."""
        want = set(expected)
        return self.customer(id, until=lambda c: {d.get("id") for d in c.get("devices") or []} == want)


def _same(actual: Any, expected: Any) -> bool:
    if expected is None:
        return actual is None
    if isinstance(expected, bool):
        return str(actual).lower() == str(expected).lower()
    return actual is not None and str(actual) == str(expected)
