"""Opening the store's database: one engine per URL, real transactions, schema migrated on open.

SQLite runs in WAL mode with a busy timeout, and write transactions start with BEGIN IMMEDIATE so
that two processes never interleave a read-then-write (the second waits instead of failing).
PostgreSQL uses the same code; schema upgrades there hold an advisory lock.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from scorecard.exceptions import StorageError
from scorecard.redact import hide_password, scrub

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_WRITE = "scorecard_write"
_PG_MIGRATION_LOCK = 0x5C0_12E  # any constant shared by every process that migrates


def default_url() -> str:
    """$SCORECARD_DB, else an SQLite file under ./var."""
    return os.environ.get("SCORECARD_DB") or f"sqlite:///{Path('var/scorecard.db').resolve()}"


def safe_url(url: str | sa.URL) -> str:
    """The URL with its password replaced by ***, for messages and logs."""
    return hide_password(url)


def db_error(exc: BaseException) -> str:
    """The driver's one-line message, without SQLAlchemy's decoration."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip()
    return text.splitlines()[0] if text else type(orig).__name__


class Database:
    """An engine plus a write-transaction helper; the schema is at the newest version once built."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        self.display_url = safe_url(self.url)
        try:
            parsed = sa.make_url(self.url)
            if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = sa.create_engine(parsed)
        except (SQLAlchemyError, ValueError, OSError, ImportError) as exc:
            raise StorageError(
                f"cannot open results store {self.display_url!r}: {scrub(exc, self.url)}") from None
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_connect)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        self._writer = self.engine.execution_options(**{_WRITE: True})
        try:
            migrate(self)
        except StorageError:
            raise
        except SQLAlchemyError as exc:
            raise StorageError(
                f"cannot create or upgrade tables in {self.display_url!r}: "
                f"{scrub(db_error(exc), self.url)}") from None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed on success, rolled back on any error."""
        with self._writer.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn


def migrate(db: Database) -> None:
    """Bring the schema to the newest Alembic revision (a no-op when it is there already)."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    with db.read() as conn:
        if MigrationContext.configure(conn).get_current_revision() == head:
            return
    with db.write() as conn:
        if db.dialect == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        current = MigrationContext.configure(conn).get_current_revision()
        if current == head:
            return
        known = {s.revision for s in ScriptDirectory.from_config(config).walk_revisions()}
        if current is not None and current not in known:
            raise StorageError(
                f"the store {db.display_url!r} has schema revision {current!r}, newer than this "
                "version of scorecard knows: upgrade scorecard, or use another SCORECARD_DB.")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def _sqlite_connect(dbapi_connection, _record) -> None:
    """WAL and a busy timeout let the dashboard and a scheduler share one SQLite file.

    isolation_level=None hands transaction control to SQLAlchemy (see _sqlite_begin), so DDL and
    reads are inside the transaction too, which pysqlite's own handling does not guarantee.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")  # first: switching to WAL may have to wait
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")
