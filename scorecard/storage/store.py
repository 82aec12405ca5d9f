"""A small append-only store of JSON results (IV reports now; specs and drift runs later).

Writes are single transactions, so a failed write leaves what was stored untouched. The same
(kind, subject, params) saved twice returns the first row: saving is idempotent.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from scorecard.exceptions import InputError, StorageError
from scorecard.redact import hide_password, scrub

SCHEMA_VERSION = 1
metadata = sa.MetaData()
reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("params_hash", sa.String(64), nullable=False),
    sa.Column("params", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.UniqueConstraint("kind", "subject", "params_hash", name="uq_report_identity"),
)


def default_url() -> str:
    """$SCORECARD_DB, else an SQLite file under ./var."""
    return os.environ.get("SCORECARD_DB") or f"sqlite:///{Path('var/scorecard.db').resolve()}"


@dataclass(frozen=True)
class StoredReport:
    id: int
    kind: str
    subject: str
    params: dict
    created_at: str
    payload: dict


def _canonical(obj: object) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=True)


class ResultStore:
    """JSON results keyed by (kind, subject, params)."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        try:
            if self.url.startswith("sqlite:///") and not self.url.endswith(":memory:"):
                Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            self.engine = sa.create_engine(self.url)
        except (SQLAlchemyError, ValueError, OSError) as exc:
            raise StorageError(
                f"cannot open results store {hide_password(self.url)!r}: {scrub(exc, self.url)}"
            ) from None
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            metadata.create_all(self.engine)
        except SQLAlchemyError as exc:
            raise StorageError(
                f"cannot create tables in {hide_password(self.url)!r}: "
                f"{scrub(exc.orig or exc, self.url)}"
            ) from None

    def save(self, kind: str, subject: str, params: dict, payload: dict) -> int:
        """Store a result and return its id; an identical (kind, subject, params) returns the old id."""
        if not kind or not subject:
            raise InputError("a stored report needs a non-empty kind and subject.")
        params_text = _canonical(params)
        digest = hashlib.sha256(params_text.encode()).hexdigest()
        try:
            payload_text = _canonical(payload)
        except (TypeError, ValueError) as exc:
            raise InputError(f"report payload is not JSON-serialisable: {exc}") from exc
        try:
            with self.engine.begin() as conn:
                found = conn.execute(
                    sa.select(reports.c.id).where(reports.c.kind == kind,
                                                  reports.c.subject == subject,
                                                  reports.c.params_hash == digest)
                ).scalar()
                if found is not None:
                    return int(found)
                row = conn.execute(reports.insert().values(
                    kind=kind, subject=subject, params_hash=digest, params=params_text,
                    created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    payload=payload_text,
                ))
                return int(row.inserted_primary_key[0])
        except SQLAlchemyError as exc:
            raise StorageError(f"could not save {kind} report for {subject!r}: {exc.orig or exc}") from exc

    def list(self, kind: str | None = None) -> list[StoredReport]:
        """Stored reports, newest first, without their payloads."""
        query = sa.select(reports.c.id, reports.c.kind, reports.c.subject, reports.c.params,
                          reports.c.created_at).order_by(reports.c.id.desc())
        if kind:
            query = query.where(reports.c.kind == kind)
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
        except SQLAlchemyError as exc:
            raise StorageError(f"could not read reports: {exc.orig or exc}") from exc
        return [StoredReport(r.id, r.kind, r.subject, json.loads(r.params), r.created_at, {})
                for r in rows]

    def get(self, report_id: int) -> StoredReport:
        """One stored report with its payload."""
        try:
            with self.engine.connect() as conn:
                r = conn.execute(sa.select(reports).where(reports.c.id == int(report_id))).first()
        except SQLAlchemyError as exc:
            raise StorageError(f"could not read report {report_id}: {exc.orig or exc}") from exc
        if r is None:
            raise InputError(f"no stored report with id {report_id}.")
        return StoredReport(r.id, r.kind, r.subject, json.loads(r.params), r.created_at,
                            json.loads(r.payload))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL and a busy timeout let the dashboard and a scheduler share one SQLite file."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
