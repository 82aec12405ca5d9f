"""Results store: SQLite (embedded, WAL) or PostgreSQL through the same SQLAlchemy code."""

from scorecard.storage.database import Database, default_url, safe_url
from scorecard.storage.monitors import (
    AlertRecord, ModelRecord, Monitor, MonitorStore, ResultSummary, RunRecord, ScheduleRecord, WriteOutcome,
)
from scorecard.storage.store import ResultStore, StoredReport

__all__ = [
    "AlertRecord", "Database", "ModelRecord", "Monitor", "MonitorStore", "ResultStore", "ResultSummary",
    "RunRecord", "ScheduleRecord", "StoredReport", "WriteOutcome", "default_url", "safe_url",
]
