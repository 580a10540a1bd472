"""Resources whose hand-written methods are composed with their generated class.

``_generated/`` holds only what scripts/gen_app_client.py writes: one method per spec operation.
A resource that offers more (``exports.fetch`` runs an export to its rows) is the hand-written
mixin plus the generated class, put together here; the clients expose these classes.
"""

from __future__ import annotations

from ._exports import AsyncExportsFetch, ExportsFetch
from ._generated import exports as _exports

__all__ = ["AsyncExports", "Exports"]


class Exports(ExportsFetch, _exports.Exports):
    """Customer and delivery exports: the spec's operations plus ``fetch``."""


class AsyncExports(AsyncExportsFetch, _exports.AsyncExports):
    """Customer and delivery exports (asyncio): the spec's operations plus ``fetch``."""
