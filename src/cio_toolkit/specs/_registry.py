"""The operation registry: which client method implements which spec operation.

Client methods are marked with :func:`operation`; :func:`build_registry` walks the client classes
(and their resource classes) and returns ``(spec, operationId) -> "Class.method"``, so a test can
check coverage against the specs and keep it complete.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from . import SpecName, operations

__all__ = ["operation", "build_registry", "missing_operations"]

F = TypeVar("F", bound=Callable[..., Any])
_ATTR = "__cio_operation__"


def operation(spec: SpecName, operation_id: str) -> Callable[[F], F]:
    """Mark a client method as the implementation of ``operation_id`` in ``spec``."""

    def mark(fn: F) -> F:
        setattr(fn, _ATTR, (spec, operation_id))
        return fn

    return mark


def _annotations(obj: Any) -> dict[str, Any]:
    try:
        return inspect.get_annotations(obj, eval_str=True)
    except NameError:
        # An annotation naming a TYPE_CHECKING-only import (pd.DataFrame) cannot be evaluated;
        # such names are never resource classes, so skip the unevaluated strings.
        return {k: v for k, v in inspect.get_annotations(obj).items() if not isinstance(v, str)}


def _walk(cls: type, seen: set[type]) -> Iterable[tuple[tuple[str, str], str]]:
    if cls in seen:
        return
    seen.add(cls)
    for name, member in inspect.getmembers(cls):
        if name.startswith("__"):
            continue
        if isinstance(member, property):
            target = member.fget
        elif isinstance(member, functools.cached_property):
            target = member.func
        else:
            target = member
        mark = getattr(target, _ATTR, None)
        if mark is not None:
            yield mark, f"{cls.__name__}.{name}"
        # Resource classes hang off clients as annotated attributes or properties returning them.
        hint = _annotations(target).get("return") if callable(target) else None
        if isinstance(hint, type) and hint.__module__.startswith("cio_toolkit"):
            yield from _walk(hint, seen)
    for hint in _annotations(cls).values():
        if isinstance(hint, type) and hint.__module__.startswith("cio_toolkit"):
            yield from _walk(hint, seen)


def build_registry(*client_classes: type) -> dict[tuple[str, str], str]:
    """Map ``(spec, operationId)`` to the qualified method name for every marked method reachable from the classes."""
    out: dict[tuple[str, str], str] = {}
    seen: set[type] = set()
    for cls in client_classes:
        for key, where in _walk(cls, seen):
            out.setdefault(key, where)
    return out


def missing_operations(spec: SpecName, *client_classes: type) -> list[str]:
    """The operationIds of ``spec`` that no marked method reachable from ``client_classes`` implements."""
    reg = build_registry(*client_classes)
    return sorted(op["operationId"] for _, _, op in operations(spec) if (spec, op["operationId"]) not in reg)
