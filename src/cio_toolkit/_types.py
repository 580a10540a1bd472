"""Small shared types: the UNSET sentinel (distinct from None, which Customer.io reads as "remove")."""

from __future__ import annotations

import enum
from typing import Any, TypeVar

__all__ = ["UNSET", "Unset", "drop_unset"]

T = TypeVar("T")


class Unset(enum.Enum):
    """Marks an argument that was not given, as opposed to an explicit ``None``."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET = Unset.UNSET


def drop_unset(mapping: dict[str, Any]) -> dict[str, Any]:
    """Return ``mapping`` without its UNSET values (None values are kept: they are meaningful)."""
    return {k: v for k, v in mapping.items() if v is not UNSET}
