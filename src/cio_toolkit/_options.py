"""Keyword options declared once, as a TypedDict, and taken by many functions as ``**options``.

A function declares ``**options: Unpack[SomeOptions]``: type checkers and IDEs read the keys from
the TypedDict. :func:`with_options` makes the run time agree: ``inspect.signature`` lists each key
as a keyword-only parameter with its default, and an unknown keyword raises ``TypeError`` as it
would if the keys were written out in every signature.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any, ForwardRef, TypeVar

__all__ = ["with_options"]

_F = TypeVar("_F", bound=Callable[..., Any])


def with_options(options: type[Any], defaults: Mapping[str, Any] | None = None) -> Callable[[_F], _F]:
    """Spell out a function's ``**options: Unpack[options]`` as keyword-only parameters (default None).

    ``defaults`` gives other defaults by key. The spelled-out keys come after the function's own
    parameters, before its private (``_``-prefixed) ones.
    """
    given = dict(defaults or {})

    def spell_out(fn: _F) -> _F:
        own = [p for p in inspect.signature(fn).parameters.values() if p.kind is not p.VAR_KEYWORD]
        extra = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=given.get(name),
                              annotation=hint.__forward_arg__ if isinstance(hint, ForwardRef) else hint)
            for name, hint in options.__annotations__.items()
        ]
        public = [p for p in own if not p.name.startswith("_")]
        allowed = frozenset(p.name for p in own + extra)

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            if not allowed.issuperset(kwargs):
                unknown = kwargs.keys() - allowed
                raise TypeError(f"{fn.__name__}() got an unexpected keyword argument {min(unknown)!r}")
            return fn(*args, **kwargs)

        params = [*public, *extra, *(p for p in own if p.name.startswith("_"))]
        call.__signature__ = inspect.signature(fn).replace(parameters=params)  # type: ignore[attr-defined]
        call.__cio_allowed__ = allowed  # type: ignore[attr-defined]  # for callers that check keywords themselves
        return call  # type: ignore[return-value]

    return spell_out
