"""Bulk data movement: load tables into Customer.io without loss, sync changes, export data back out.

``load(cio, source, kind=...)`` validates every row, packs calls byte-exactly into batches,
sends several requests at once within the rate budget, and journals each acknowledged request
in SQLite so an interrupted load resumes with exactly what is missing. ``plan_sync``/``sync``
send only the rows that changed since the last sync. ``export`` and ``export_pages`` bring
data back as DataFrames or Parquet files. A journal or sync state file that cannot be used
(locked, corrupt, full disk) raises :class:`JournalError`, naming the file and what to do.
"""

from ._export import export, export_pages
from ._journal import DEFAULT_JOURNAL, JobInfo, Journal, JournalError
from ._load import BULK_RETRY, LoadReport, RejectedRowsError, load
from ._mapping import KINDS, ColumnMap, ColumnOptions, row_message_id
from ._sources import Query, Source, open_source
from ._sync import SyncPlan, SyncState, plan_sync, sync

__all__ = [
    "BULK_RETRY", "DEFAULT_JOURNAL", "KINDS", "ColumnMap", "ColumnOptions", "JobInfo", "Journal", "JournalError",
    "LoadReport", "Query",
    "RejectedRowsError", "Source", "SyncPlan", "SyncState", "export", "export_pages", "load", "open_source",
    "plan_sync", "row_message_id", "sync",
]
