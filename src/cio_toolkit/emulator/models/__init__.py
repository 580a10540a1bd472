"""The emulator's data: every SQL statement lives in this package.

:class:`Store` holds the SQLite connection; the modules here own the tables of one subject each
(people, objects, events, messages and deliveries, content documents, metrics, webhooks) and
are the only code that reads or writes them.
"""

from __future__ import annotations

from ._db import Store

__all__ = ["Store"]
