"""Path parameters as URL path segments: the one rule every client uses to put an id in a path.

A value is sent as exactly one segment: every byte but the unreserved ``A-Z a-z 0-9 - . _ ~`` is
percent-encoded (so ``/``, ``?``, ``#`` and ``%`` cannot end the segment, the path or start a
query), and a value that is only dots has its dots encoded too. RFC 3986 removes the literal dot
segments ``.`` and ``..`` while resolving a path, so ``customers/../activities`` would reach
``/activities``; ``%2E%2E`` is an ordinary segment that the server decodes back to ``..``.
"""

from __future__ import annotations

from urllib.parse import quote

from ._exceptions import ValidationError

__all__ = ["path_segment"]


def path_segment(value: object, name: str) -> str:
    """``value`` (a string or an integer) as one percent-encoded path segment; errors name ``name``."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValidationError(
            f"{name}: a path parameter must be a string or an integer, got {type(value).__name__}",
            field=name, limit="string or integer",
        )
    text = str(value)
    if not text:
        raise ValidationError(f"{name}: must not be empty", field=name, limit="non-empty")
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(f"{name}: {text!r:.60} is not valid Unicode text (a lone surrogate)",
                              field=name, limit="UTF-8 text") from None
    segment = quote(raw, safe="")
    if segment.strip(".") == "":
        segment = "%2E" * len(segment)
    return segment
