"""Results store: SQLite (embedded, WAL) or PostgreSQL through the same SQLAlchemy code."""

from scorecard.storage.store import ResultStore, StoredReport, default_url

__all__ = ["ResultStore", "StoredReport", "default_url"]
