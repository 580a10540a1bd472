"""Read a notebook's writes back through the App API, with a bounded wait, on any target.

Track and Pipelines writes reach App API reads asynchronously (seconds on a live workspace, a
configurable delay on the production-like emulator), so every read-back here polls until what
was written shows or ``timeout`` runs out (raising :class:`~cio_toolkit.NotReadyError` that says
what it waited for). The same calls work on the emulator, where writes are visible at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._exceptions import ConfigError, NotFoundError
from .._wait import wait_until

if TYPE_CHECKING:
    import pandas as pd

    from .._client import CustomerIO

__all__ = ["activities_frame", "can_read_back", "devices_frame", "object_frame", "people_frame", "relationships_frame", "segment_members_frame",
           "wait_until_gone"]

_IDENTITY = ("id", "email", "cio_id")


def can_read_back(cio: CustomerIO) -> bool:
    """Whether ``cio`` has an App API key, so writes can be read back (else print what to set)."""
    if cio.settings.app_api_key:
        return True
    print("Set CIO_APP_API_KEY to read the results back through the App API.")
    return False


def _require_app(cio: CustomerIO) -> None:
    if not cio.settings.app_api_key:
        raise ConfigError("reading back needs the App API: set CIO_APP_API_KEY")


def _text(value: object) -> str:
    # The App API answers attribute values as text: booleans as true/false, numbers as written.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _matches(attributes: Mapping[str, Any], expect: Mapping[str, object]) -> bool:
    for name, want in expect.items():
        if want is None:
            if attributes.get(name) not in (None, ""):
                return False
        elif _text(attributes.get(name)) != _text(want):
            return False
    return True


def _has(wanted: Mapping[str, object]) -> Callable[[Mapping[str, Any]], bool] | None:
    """A ``wait_for`` condition: the person's attributes have the ``wanted`` values (None: no condition)."""
    if not wanted:
        return None
    return lambda customer: _matches(customer.get("attributes") or {}, wanted)


def people_frame(
    cio: CustomerIO, ids: Iterable[str] | Mapping[str, Mapping[str, object]], *, id_type: str | None = None,
    expect: Mapping[str, object] | None = None, timeout: float = 60.0,
) -> pd.DataFrame:
    """One row per person (``id``, ``email``, ``cio_id``, then one column per attribute), read through
    the App API once each is visible and has the ``expect``ed attribute values (None: absent).

    ``ids`` may map each id to the values expected of that person (added to ``expect``).
    """
    import pandas as pd

    _require_app(cio)
    per_person: Mapping[str, Mapping[str, object]] = ids if isinstance(ids, Mapping) else {i: {} for i in ids}
    rows = []
    for person, own in per_person.items():
        customer = cio.app.customers.wait_for(id=person, id_type=id_type, timeout=timeout,  # type: ignore[arg-type]
                                              until=_has({**(expect or {}), **own}))
        identifiers: Mapping[str, Any] = customer.get("identifiers") or {}
        attributes = {k: v for k, v in (customer.get("attributes") or {}).items() if k not in _IDENTITY}
        rows.append({**{k: identifiers.get(k) for k in _IDENTITY}, **attributes})
    return pd.DataFrame(rows)


def activities_frame(
    cio: CustomerIO, customer_id: str, *, type: str | Sequence[str] | None = None, name: str | None = None,
    at_least: int = 1, timeout: float = 60.0,
) -> pd.DataFrame:
    """A person's activities of ``type`` (one, or several such as ``("page", "screen")``) and ``name``,
    newest first, once at least ``at_least`` are readable: ``timestamp`` (UTC), ``type``, ``name``, ``data``."""
    import pandas as pd

    _require_app(cio)
    types: Sequence[str | None] = [type] if type is None or isinstance(type, str) else list(type)

    def ready() -> list[dict[str, Any]] | None:
        items = [dict(a) for t in types for a in cio.app.customers.activities(customer_id=customer_id, type=t, name=name)]
        return items if len(items) >= at_least else None

    what = " or ".join(t for t in types if t) or "any"
    items = wait_until(ready, timeout=timeout, retry_on=(NotFoundError,),
                       message=f"fewer than {at_least} {what} activities{f' named {name!r}' if name else ''} of "
                               f"{customer_id!r} after {timeout:g} s")
    frame = pd.DataFrame(items, columns=["timestamp", "type", "name", "data"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], unit="s", utc=True)
    return frame.sort_values("timestamp", ascending=False, kind="stable").reset_index(drop=True)


def devices_frame(
    cio: CustomerIO, customer_id: str, *, expect: Mapping[str, Mapping[str, object] | None], timeout: float = 60.0,
) -> pd.DataFrame:
    """A person's devices (``id``, ``platform``, ``last_used``, ``attributes``), once each device id in
    ``expect`` is there with those attribute values, and each id mapped to None is gone."""
    import pandas as pd

    _require_app(cio)

    def settled(customer: Mapping[str, Any]) -> bool:
        have = {d.get("id"): d for d in customer.get("devices") or []}
        return all((d not in have) if want is None else (d in have and _matches(have[d].get("attributes") or {}, want))
                   for d, want in expect.items())

    customer = cio.app.customers.wait_for(id=customer_id, until=settled, timeout=timeout)
    return pd.DataFrame(customer.get("devices") or [], columns=["id", "platform", "last_used", "attributes"])


def object_frame(
    cio: CustomerIO, object_type_id: int, object_id: str, *, expect: Mapping[str, object] | None = None,
    timeout: float = 60.0,
) -> pd.DataFrame:
    """An object's attributes (one row per attribute), once it is readable with the ``expect``ed values (None: absent)."""
    import pandas as pd

    _require_app(cio)

    def ready() -> dict[str, Any] | None:
        attributes = dict(cio.app.objects.attributes(object_type_id=object_type_id, object_id=object_id)
                          .get("attributes") or {})
        return attributes if _matches(attributes, expect or {}) else None

    attributes = wait_until(ready, timeout=timeout, retry_on=(NotFoundError,),
                            message=f"object {object_id!r} of type {object_type_id} is not readable as expected "
                                    f"after {timeout:g} s")
    return pd.Series(attributes, name=object_id).to_frame()


def relationships_frame(
    cio: CustomerIO, *, customer_id: str | None = None, object_type_id: int | None = None,
    object_id: str | None = None, count: int, timeout: float = 60.0,
) -> pd.DataFrame:
    """A person's relationships (``customer_id``) or an object's (``object_type_id`` and ``object_id``), one
    flattened row each, once exactly ``count`` are readable (relationships come and go asynchronously)."""
    import pandas as pd

    _require_app(cio)
    listing: Callable[[], Iterable[Any]]
    if customer_id is not None and object_id is None:
        person = customer_id
        listing = lambda: cio.app.customers.relationships(customer_id=person)  # noqa: E731
    elif customer_id is None and object_id is not None and object_type_id is not None:
        type_id, oid = object_type_id, object_id
        listing = lambda: cio.app.objects.relationships(object_type_id=type_id, object_id=oid)  # noqa: E731
    else:
        raise ConfigError("relationships_frame: pass customer_id, or object_type_id and object_id")

    def fetch() -> list[dict[str, Any]] | None:
        found = [dict(r) for r in listing()]
        return found if len(found) == count else None

    who = f"customer {customer_id!r}" if customer_id is not None else f"object {object_id!r}"
    return pd.json_normalize(wait_until(fetch, timeout=timeout, retry_on=(NotFoundError,),
                                        message=f"{who} does not have {count} relationships after {timeout:g} s"))


def segment_members_frame(
    cio: CustomerIO, segment_id: int, *, expect: Iterable[str] = (), timeout: float = 60.0,
) -> pd.DataFrame:
    """A segment's members (their identifiers), once every id, email or cio_id in ``expect`` is among them."""
    import pandas as pd

    _require_app(cio)
    wanted = set(expect)

    def ready() -> list[dict[str, Any]] | None:
        members = [dict(m) for m in cio.app.segments.members(segment_id=segment_id)]
        seen = {str(v) for m in members for k, v in m.items() if k in _IDENTITY and v}
        return members if wanted <= seen else None

    return pd.DataFrame(wait_until(ready, timeout=timeout, retry_on=(NotFoundError,),
                                   message=f"segment {segment_id} does not hold {sorted(wanted)} after {timeout:g} s"))


def wait_until_gone(cio: CustomerIO, customer_id: str, *, id_type: str | None = None, timeout: float = 60.0) -> bool:
    """Wait until the App API answers 404 for the person (deleted, merged away or suppressed); return True."""
    _require_app(cio)

    def gone() -> bool:
        try:
            cio.app.customers.attributes(customer_id=customer_id, id_type=id_type)  # type: ignore[arg-type]
        except NotFoundError:
            return True
        return False

    return wait_until(gone, timeout=timeout, message=f"{customer_id!r} is still readable after {timeout:g} s")
