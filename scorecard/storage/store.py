"""A small append-only store of JSON results: IV reports and scorecard specs.

Writes are single transactions, so a failed write leaves what was stored untouched. The same
(kind, subject, params) saved twice returns the first row: saving is idempotent.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from scorecard.exceptions import InputError, StorageError
from scorecard.storage.database import Database, db_error, default_url
from scorecard.storage.schema import reports

__all__ = ["ResultStore", "StoredReport", "canonical_json", "default_url", "utc_now"]


@dataclass(frozen=True)
class StoredReport:
    id: int
    kind: str
    subject: str
    params: dict
    created_at: str
    payload: dict


def canonical_json(obj: object) -> str:
    """Sorted, compact JSON; NaN is kept (as the JSON extension Python reads back)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=True)


def utc_now(timespec: str = "seconds") -> str:
    return datetime.now(timezone.utc).isoformat(timespec=timespec)


class ResultStore:
    """JSON results keyed by (kind, subject, params)."""

    def __init__(self, url: str | None = None, *, database: Database | None = None):
        self.db = database or Database(url)
        self.url = self.db.url
        self.engine = self.db.engine

    def save(self, kind: str, subject: str, params: dict, payload: dict) -> int:
        """Store a result and return its id; an identical (kind, subject, params) returns the old id."""
        if not kind or not subject:
            raise InputError("a stored report needs a non-empty kind and subject.")
        params_text = canonical_json(params)
        digest = hashlib.sha256(params_text.encode()).hexdigest()
        try:
            payload_text = canonical_json(payload)
        except (TypeError, ValueError) as exc:
            raise InputError(f"report payload is not JSON-serialisable: {exc}") from exc
        identity = (reports.c.kind == kind, reports.c.subject == subject,
                    reports.c.params_hash == digest)
        try:
            with self.db.write() as conn:
                found = conn.execute(sa.select(reports.c.id).where(*identity)).scalar()
                if found is not None:
                    return int(found)
                row = conn.execute(reports.insert().values(
                    kind=kind, subject=subject, params_hash=digest, params=params_text,
                    created_at=utc_now(), payload=payload_text,
                ))
                return int(row.inserted_primary_key[0])
        except IntegrityError:
            pass  # saved by a concurrent writer between our look-up and insert: return theirs
        except SQLAlchemyError as exc:
            raise StorageError(f"could not save {kind} report for {subject!r}: {db_error(exc)}") from exc
        try:
            with self.db.read() as conn:
                return int(conn.execute(sa.select(reports.c.id).where(*identity)).scalar_one())
        except SQLAlchemyError as exc:
            raise StorageError(f"could not save {kind} report for {subject!r}: {db_error(exc)}") from exc

    def list(self, kind: str | None = None) -> list[StoredReport]:
        """Stored reports, newest first, without their payloads."""
        query = sa.select(reports.c.id, reports.c.kind, reports.c.subject, reports.c.params,
                          reports.c.created_at).order_by(reports.c.id.desc())
        if kind:
            query = query.where(reports.c.kind == kind)
        try:
            with self.db.read() as conn:
                rows = conn.execute(query).all()
        except SQLAlchemyError as exc:
            raise StorageError(f"could not read reports: {db_error(exc)}") from exc
        return [StoredReport(r.id, r.kind, r.subject, json.loads(r.params), r.created_at, {})
                for r in rows]

    def get(self, report_id: int) -> StoredReport:
        """One stored report with its payload."""
        try:
            with self.db.read() as conn:
                r = conn.execute(sa.select(reports).where(reports.c.id == int(report_id))).first()
        except SQLAlchemyError as exc:
            raise StorageError(f"could not read report {report_id}: {db_error(exc)}") from exc
        if r is None:
            raise InputError(f"no stored report with id {report_id}.")
        return StoredReport(r.id, r.kind, r.subject, json.loads(r.params), r.created_at,
                            json.loads(r.payload))
