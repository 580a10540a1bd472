"""Live runs against your own workspace: one run id on everything created, a ledger of it, cleanup.

The live suite (``make test-live``) and your own scripts use the same pieces::

    from cio_toolkit import CustomerIO
    from cio_toolkit.live import Ledger, cleanup, new_run_id

    run = new_run_id()                       # "cio-live-1a2b3c4d"
    ledger = Ledger(run)                     # build/live/<run>.json
    ledger.record("person", id=f"{run}-1")   # before the write that creates it
    ...
    print(cleanup(CustomerIO.from_env(), run))   # removes the ledger's entries and what a search finds

``cio live cleanup --run ID`` does the same from the shell.
"""

from ._cleanup import CleanupReport, Outcome, cleanup, find_by_run
from ._ledger import DEFAULT_DIR, RUN_ATTRIBUTE, Entry, Ledger, check_run_id, new_run_id

__all__ = [
    "DEFAULT_DIR", "RUN_ATTRIBUTE", "CleanupReport", "Entry", "Ledger", "Outcome", "check_run_id",
    "cleanup", "find_by_run", "new_run_id",
]
