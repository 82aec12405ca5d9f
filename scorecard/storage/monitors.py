"""Monitoring records: models, monitors, runs, results per (monitor, period), alerts, schedules.

Guarantees (tested on SQLite and PostgreSQL):
- (monitor, period) has at most one result; writing it again replaces the result, its per-bin
  counts and its alert in one transaction, so readers see the old result or the new, never a mix.
- Writers of one monitor are serialised (a row lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), so
  two runs of the same key at once leave one result.
- A run is recorded as "running" when it starts; a process killed mid-run leaves that row, which
  is marked "failed" the next time the runs are read on the same host (its pid is gone).

Long module: the record types and one MonitorStore class whose methods share the transaction
and locking rules above; splitting the schedules and alerts parts out is a planned follow-up.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from scorecard.exceptions import InputError, StorageError
from scorecard.storage.database import Database, db_error
from scorecard.storage.schema import alerts, models, monitors, result_bins, results, runs, schedules
from scorecard.storage.store import canonical_json, utc_now

RUN_STATUSES = ("running", "succeeded", "failed")
KILLED = "the process ended without finishing the run (killed or crashed); the stored results " \
         "are those of earlier runs"
NAME_LIMIT, PERIOD_LIMIT = 200, 64


@dataclass(frozen=True)
class Monitor:
    id: int
    name: str
    model_id: int
    model_name: str
    model_sha256: str
    spec: dict
    reference: str
    source: str
    period_column: str | None
    date_column: str | None
    freq: str | None
    reference_mode: str
    settings: dict
    created_at: str


@dataclass(frozen=True)
class ModelRecord:
    id: int
    name: str
    sha256: str
    created_at: str
    monitors: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunRecord:
    id: int
    monitor: str
    requested_period: str | None
    trigger: str
    attempt: int
    status: str
    started_at: str
    finished_at: str | None
    error: str | None
    periods: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ResultSummary:
    period: str
    status: str
    n_reference: int
    n_current: int
    score_psi: float | None
    max_psi: float | None
    run_id: int
    created_at: str


@dataclass(frozen=True)
class AlertRecord:
    id: int
    monitor: str
    period: str
    run_id: int
    status: str
    message: str
    details: dict
    notified: dict | None
    created_at: str


@dataclass(frozen=True)
class ScheduleRecord:
    monitor: str
    cron: str
    timezone: str
    paused: bool
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class WriteOutcome:
    result_id: int
    replaced: bool
    alert: AlertRecord | None
    new_alert: bool


def spec_sha256(spec: Mapping[str, Any]) -> str:
    """The spec's sealed hash, else the hash of its canonical JSON."""
    sealed = (spec.get("integrity") or {}).get("sha256") if isinstance(spec, Mapping) else None
    return sealed or hashlib.sha256(canonical_json(spec).encode()).hexdigest()


def _finite(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _rows_of(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rows = list(report.get("characteristics") or [])
    if report.get("score"):
        rows.append(report["score"])
    return rows


def _bin_rows(report: Mapping[str, Any]) -> list[dict]:
    """The normalised per-bin counts of a report (result_id is filled in by the writer)."""
    out = []
    try:
        for row in _rows_of(report):
            for j, b in enumerate(row.get("bins") or []):
                out.append({"characteristic": str(row["name"]), "bin_index": j,
                            "label": str(b["label"]), "reference_count": int(b["reference_count"]),
                            "current_count": int(b["current_count"])})
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"not a drift report (DriftReport.to_dict()): bad bin table ({exc!r}).") from exc
    return out


def _alert_content(report: Mapping[str, Any], monitor: str, period: str) -> tuple[str, dict]:
    drifted = [{"name": r["name"], "psi": r.get("psi"), "psi_ci_low": r.get("psi_ci_low"),
                "psi_ci_high": r.get("psi_ci_high"), "p_material_025": r.get("p_material_025")}
               for r in _rows_of(report) if r.get("status") == "material"]
    names = ", ".join(d["name"] for d in drifted) or "(none listed)"
    message = f"material drift in monitor {monitor!r}, period {period}: {names}"
    return message, {"characteristics": drifted, "n_current": report.get("n_current"),
                     "n_reference": report.get("n_reference")}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class MonitorStore:
    """Monitors and their runs, results, alerts and schedules, in the results store's database."""

    def __init__(self, url: str | None = None, *, database: Database | None = None):
        self.db = database or Database(url)

    # -- helpers ----------------------------------------------------------------------------------

    def _fail(self, what: str, exc: SQLAlchemyError) -> StorageError:
        return StorageError(f"could not {what} in {self.db.display_url!r}: {db_error(exc)}")

    def _monitor_row(self, conn: Connection, name: str, *, lock: bool = False):
        query = sa.select(monitors).where(monitors.c.name == name)
        if lock and self.db.dialect == "postgresql":
            query = query.with_for_update(key_share=True)  # FOR NO KEY UPDATE: FK inserts go on
        row = conn.execute(query).first()
        if row is None:
            known = conn.execute(sa.select(monitors.c.name).order_by(monitors.c.name)).scalars().all()
            hint = f"known monitors: {', '.join(known)}" if known else "no monitors exist yet"
            raise InputError(f"no monitor named {name!r} ({hint}); create it with "
                             "`scorecard monitor create`.")
        return row

    def _select(self, query, what: str, *, name: str | None = None, table: sa.Table = results):
        """Run a read query, restricted to monitor `name` (through `table.monitor_id`) if given."""
        try:
            with self.db.read() as conn:
                if name is not None:
                    query = query.where(table.c.monitor_id == self._monitor_row(conn, name).id)
                return conn.execute(query).all()
        except SQLAlchemyError as exc:
            raise self._fail(what, exc) from exc

    # -- models and monitors ------------------------------------------------------------------------

    def save_model(self, spec: Mapping[str, Any]) -> int:
        """Store a scorecard spec once (keyed by its hash) and return its id."""
        sha = spec_sha256(spec)
        try:
            with self.db.write() as conn:
                found = conn.execute(sa.select(models.c.id).where(models.c.sha256 == sha)).scalar()
                if found is not None:
                    return int(found)
                return int(conn.execute(models.insert().values(
                    name=str(spec.get("name") or "scorecard")[:NAME_LIMIT], sha256=sha,
                    spec=canonical_json(spec), created_at=utc_now())).inserted_primary_key[0])
        except IntegrityError:
            pass  # a concurrent writer stored the same spec first
        except SQLAlchemyError as exc:
            raise self._fail("store the model", exc) from exc
        with self.db.read() as conn:
            return int(conn.execute(sa.select(models.c.id).where(models.c.sha256 == sha)).scalar_one())

    def create_monitor(
        self, name: str, spec: Mapping[str, Any], *, reference: str, source: str,
        period_column: str | None = None, date_column: str | None = None, freq: str | None = None,
        reference_mode: str = "sample", settings: Mapping[str, Any] | None = None,
    ) -> Monitor:
        """A new monitor of `spec`; InputError if the name is taken or the period rule is unclear."""
        if not isinstance(name, str) or not name.strip() or len(name) > NAME_LIMIT:
            raise InputError(f"a monitor needs a name of 1 to {NAME_LIMIT} characters, got {name!r}.")
        if period_column and date_column:
            raise InputError("give either --period-column or --date-column with --freq, not both.")
        if bool(date_column) != bool(freq):
            raise InputError("--date-column and --freq go together (e.g. --date-column "
                             "application_date --freq month).")
        if reference_mode not in ("sample", "fixed"):
            raise InputError(f"reference mode must be 'sample' or 'fixed', got {reference_mode!r}.")
        try:
            settings_text = canonical_json(dict(settings or {}))
        except (TypeError, ValueError) as exc:
            raise InputError(f"monitor settings are not JSON-serialisable: {exc}") from exc
        model_id = self.save_model(spec)
        try:
            with self.db.write() as conn:
                taken = conn.execute(sa.select(monitors.c.id).where(monitors.c.name == name)).scalar()
                if taken is None:
                    conn.execute(monitors.insert().values(
                        name=name, model_id=model_id, reference=str(reference), source=str(source),
                        period_column=period_column, date_column=date_column, freq=freq,
                        reference_mode=reference_mode, settings=settings_text,
                        created_at=utc_now()))
        except IntegrityError:
            taken = True
        except SQLAlchemyError as exc:
            raise self._fail(f"create monitor {name!r}", exc) from exc
        if taken is not None:
            raise InputError(f"a monitor named {name!r} exists already; choose another name.")
        return self.monitor(name)

    def monitor(self, name: str) -> Monitor:
        try:
            with self.db.read() as conn:
                row = self._monitor_row(conn, name)
                model = conn.execute(sa.select(models).where(models.c.id == row.model_id)).one()
        except SQLAlchemyError as exc:
            raise self._fail(f"read monitor {name!r}", exc) from exc
        return Monitor(row.id, row.name, model.id, model.name, model.sha256, json.loads(model.spec),
                       row.reference, row.source, row.period_column, row.date_column, row.freq,
                       row.reference_mode, json.loads(row.settings), row.created_at)

    def update_settings(self, name: str, **changes: Any) -> dict:
        """Merge `changes` into a monitor's settings (e.g. the score bands fixed at its first run)."""
        try:
            with self.db.write() as conn:
                row = self._monitor_row(conn, name, lock=True)
                merged = {**json.loads(row.settings), **changes}
                conn.execute(monitors.update().where(monitors.c.id == row.id)
                             .values(settings=canonical_json(merged)))
        except SQLAlchemyError as exc:
            raise self._fail(f"update monitor {name!r}", exc) from exc
        return merged

    def models(self) -> list[ModelRecord]:
        """Stored models (without specs), newest first, with the monitors that watch each."""
        query = (sa.select(models.c.id, models.c.name, models.c.sha256, models.c.created_at,
                           monitors.c.name.label("monitor"))
                 .outerjoin(monitors, monitors.c.model_id == models.c.id)
                 .order_by(models.c.id.desc(), monitors.c.name))
        try:
            with self.db.read() as conn:
                rows = conn.execute(query).all()
        except SQLAlchemyError as exc:
            raise self._fail("list models", exc) from exc
        found: dict[int, ModelRecord] = {}
        for r in rows:
            old = found.get(r.id) or ModelRecord(r.id, r.name, r.sha256, r.created_at)
            found[r.id] = ModelRecord(r.id, r.name, r.sha256, r.created_at,
                                      old.monitors + ((r.monitor,) if r.monitor else ()))
        return list(found.values())

    def model_spec(self, model_id: int) -> dict:
        """The stored spec of model `model_id`."""
        try:
            with self.db.read() as conn:
                text = conn.execute(sa.select(models.c.spec)
                                    .where(models.c.id == int(model_id))).scalar()
        except SQLAlchemyError as exc:
            raise self._fail(f"read model {model_id}", exc) from exc
        if text is None:
            raise InputError(f"no stored model with id {model_id}.")
        return json.loads(text)

    def monitor_names(self) -> list[str]:
        try:
            with self.db.read() as conn:
                return list(conn.execute(sa.select(monitors.c.name).order_by(monitors.c.name)).scalars())
        except SQLAlchemyError as exc:
            raise self._fail("list monitors", exc) from exc

    def overview(self) -> pd.DataFrame:
        """One row per monitor: model, latest period and status, periods stored, alerts, schedule."""
        latest = (sa.select(results.c.monitor_id, sa.func.max(results.c.period).label("period"),
                            sa.func.count().label("n_periods"))
                  .group_by(results.c.monitor_id).subquery())
        n_alerts = (sa.select(alerts.c.monitor_id, sa.func.count().label("n_alerts"))
                    .group_by(alerts.c.monitor_id).subquery())
        query = (
            sa.select(monitors.c.name, models.c.name.label("model"), latest.c.period,
                      latest.c.n_periods, results.c.status, results.c.score_psi,
                      results.c.max_psi, n_alerts.c.n_alerts, schedules.c.cron, schedules.c.paused)
            .join(models, models.c.id == monitors.c.model_id)
            .outerjoin(latest, latest.c.monitor_id == monitors.c.id)
            .outerjoin(results, sa.and_(results.c.monitor_id == monitors.c.id,
                                        results.c.period == latest.c.period))
            .outerjoin(n_alerts, n_alerts.c.monitor_id == monitors.c.id)
            .outerjoin(schedules, schedules.c.monitor_id == monitors.c.id)
            .order_by(monitors.c.name)
        )
        columns = ["monitor", "model", "latest_period", "periods", "status", "score_psi",
                   "max_psi", "alerts", "schedule"]
        try:
            with self.db.read() as conn:
                rows = conn.execute(query).all()
        except SQLAlchemyError as exc:
            raise self._fail("list monitors", exc) from exc
        return pd.DataFrame([
            [r.name, r.model, r.period, int(r.n_periods or 0), r.status or "no runs yet",
             r.score_psi, r.max_psi, int(r.n_alerts or 0),
             (r.cron + (" (paused)" if r.paused else "")) if r.cron else None]
            for r in rows], columns=columns)

    # -- runs -------------------------------------------------------------------------------------

    def start_run(self, name: str, *, trigger: str, requested_period: str | None = None,
                  attempt: int = 1) -> int:
        """Record a run as running (committed at once, so a crash leaves a trace) and return its id."""
        try:
            with self.db.write() as conn:
                row = self._monitor_row(conn, name)
                return int(conn.execute(runs.insert().values(
                    monitor_id=row.id, requested_period=requested_period, trigger=trigger,
                    attempt=int(attempt), status="running", started_at=utc_now("milliseconds"),
                    host=socket.gethostname()[:255], pid=os.getpid())).inserted_primary_key[0])
        except SQLAlchemyError as exc:
            raise self._fail(f"record a run of {name!r}", exc) from exc

    def finish_run(self, run_id: int, status: str, *, error: str | None = None,
                   periods: Sequence[str] = ()) -> None:
        if status not in RUN_STATUSES[1:]:
            raise InputError(f"a run finishes as succeeded or failed, not {status!r}.")
        try:
            with self.db.write() as conn:
                conn.execute(runs.update().where(runs.c.id == run_id).values(
                    status=status, finished_at=utc_now("milliseconds"), error=error,
                    periods=json.dumps(list(periods))))
        except SQLAlchemyError as exc:
            raise self._fail(f"record the end of run {run_id}", exc) from exc

    def reap_stale_runs(self) -> int:
        """Mark as failed the runs still "running" whose process on this host is gone."""
        host = socket.gethostname()[:255]
        try:
            with self.db.read() as conn:
                stale = [r.id for r in conn.execute(
                    sa.select(runs.c.id, runs.c.pid)
                    .where(runs.c.status == "running", runs.c.host == host)).all()
                    if not _pid_alive(r.pid)]
            if stale:
                with self.db.write() as conn:
                    conn.execute(runs.update().where(runs.c.id.in_(stale),
                                                     runs.c.status == "running")
                                 .values(status="failed", error=KILLED, finished_at=utc_now()))
        except SQLAlchemyError as exc:
            raise self._fail("check unfinished runs", exc) from exc
        return len(stale)

    def runs(self, name: str | None = None, *, limit: int = 100) -> list[RunRecord]:
        """Runs, newest first (stale ones marked failed first)."""
        self.reap_stale_runs()
        query = (sa.select(runs, monitors.c.name.label("monitor"))
                 .join(monitors, monitors.c.id == runs.c.monitor_id)
                 .order_by(runs.c.id.desc()).limit(limit))
        rows = self._select(query, "read runs", name=name, table=runs)
        return [RunRecord(r.id, r.monitor, r.requested_period, r.trigger, r.attempt, r.status,
                          r.started_at, r.finished_at, r.error, json.loads(r.periods or "[]"))
                for r in rows]

    # -- results ----------------------------------------------------------------------------------

    def write_result(self, name: str, period: str, run_id: int,
                     report: Mapping[str, Any]) -> WriteOutcome:
        """Store (or replace) the report of (monitor, period) with its bins and alert, atomically."""
        period = str(period)
        if not period or len(period) > PERIOD_LIMIT:
            raise InputError(f"a period is a label of 1 to {PERIOD_LIMIT} characters, got {period!r}.")
        try:
            report_text = canonical_json(report)
            status = str(report["status"])
            n_reference, n_current = int(report["n_reference"]), int(report["n_current"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"not a drift report (DriftReport.to_dict()): {exc}") from exc
        psis = [_finite(r.get("psi")) for r in report.get("characteristics") or []]
        score_psi = _finite((report.get("score") or {}).get("psi"))
        max_psi = max((p for p in psis if p is not None), default=None)
        bins = _bin_rows(report)
        try:
            with self.db.write() as conn:
                monitor = self._monitor_row(conn, name, lock=True)
                key = (results.c.monitor_id == monitor.id, results.c.period == period)
                old = conn.execute(sa.select(results.c.id).where(*key)).scalar()
                if old is not None:
                    conn.execute(result_bins.delete().where(result_bins.c.result_id == old))
                    conn.execute(results.delete().where(results.c.id == old))
                result_id = int(conn.execute(results.insert().values(
                    monitor_id=monitor.id, period=period, run_id=run_id, status=status,
                    n_reference=n_reference, n_current=n_current, score_psi=score_psi,
                    max_psi=max_psi, report=report_text, created_at=utc_now(),
                )).inserted_primary_key[0])
                if bins:
                    conn.execute(result_bins.insert(), [{**b, "result_id": result_id} for b in bins])
                alert, new_alert = self._replace_alert(conn, monitor, period, run_id, report)
        except SQLAlchemyError as exc:
            raise self._fail(f"store the result of {name!r} for {period}", exc) from exc
        return WriteOutcome(result_id, old is not None, alert, new_alert)

    def _replace_alert(self, conn: Connection, monitor, period: str, run_id: int,
                       report: Mapping[str, Any]) -> tuple[AlertRecord | None, bool]:
        """The alert follows the stored result: kept (updated) while material, removed if not."""
        key = (alerts.c.monitor_id == monitor.id, alerts.c.period == period)
        old = conn.execute(sa.select(alerts).where(*key)).first()
        if report.get("status") != "material":
            if old is not None:
                conn.execute(alerts.delete().where(alerts.c.id == old.id))
            return None, False
        message, details = _alert_content(report, monitor.name, period)
        values = {"run_id": run_id, "status": "material", "message": message,
                  "details": canonical_json(details)}
        if old is not None:
            conn.execute(alerts.update().where(alerts.c.id == old.id).values(**values))
            return AlertRecord(old.id, monitor.name, period, run_id, "material", message, details,
                               json.loads(old.notified) if old.notified else None,
                               old.created_at), False
        created = utc_now()
        alert_id = int(conn.execute(alerts.insert().values(
            monitor_id=monitor.id, period=period, created_at=created, **values)
        ).inserted_primary_key[0])
        return AlertRecord(alert_id, monitor.name, period, run_id, "material", message, details,
                           None, created), True

    def results(self, name: str) -> list[ResultSummary]:
        """The stored results of a monitor, in period order."""
        rows = self._select(
            sa.select(results.c.period, results.c.status, results.c.n_reference,
                      results.c.n_current, results.c.score_psi, results.c.max_psi,
                      results.c.run_id, results.c.created_at).order_by(results.c.period),
            f"read results of {name!r}", name=name)
        return [ResultSummary(*r) for r in rows]

    def history(self, name: str) -> list[tuple[str, dict]]:
        """[(period, DriftReport.to_dict()), ...] in period order: the input of drift_html."""
        rows = self._select(sa.select(results.c.period, results.c.report)
                            .order_by(results.c.period), f"read results of {name!r}", name=name)
        return [(r.period, json.loads(r.report)) for r in rows]

    def bins(self, name: str, period: str | None = None) -> pd.DataFrame:
        """Per-bin counts (period, characteristic, bin_index, label, reference/current count)."""
        query = (sa.select(results.c.period, result_bins.c.characteristic, result_bins.c.bin_index,
                           result_bins.c.label, result_bins.c.reference_count,
                           result_bins.c.current_count)
                 .join(results, results.c.id == result_bins.c.result_id)
                 .order_by(results.c.period, result_bins.c.characteristic,
                           result_bins.c.bin_index))
        if period is not None:
            query = query.where(results.c.period == str(period))
        rows = self._select(query, f"read bins of {name!r}", name=name)
        return pd.DataFrame(rows, columns=["period", "characteristic", "bin_index", "label",
                                           "reference_count", "current_count"])

    # -- alerts -----------------------------------------------------------------------------------

    def alerts(self, name: str | None = None) -> list[AlertRecord]:
        """Alerts, newest period first."""
        query = (sa.select(alerts, monitors.c.name.label("monitor"))
                 .join(monitors, monitors.c.id == alerts.c.monitor_id)
                 .order_by(monitors.c.name, alerts.c.period.desc()))
        rows = self._select(query, "read alerts", name=name, table=alerts)
        return [AlertRecord(r.id, r.monitor, r.period, r.run_id, r.status, r.message,
                            json.loads(r.details), json.loads(r.notified) if r.notified else None,
                            r.created_at) for r in rows]

    def set_notified(self, alert_id: int, outcome: Mapping[str, Any]) -> None:
        """Record where an alert was sent and how that went."""
        try:
            with self.db.write() as conn:
                conn.execute(alerts.update().where(alerts.c.id == alert_id)
                             .values(notified=canonical_json(dict(outcome))))
        except SQLAlchemyError as exc:
            raise self._fail(f"record the notification of alert {alert_id}", exc) from exc

    # -- schedules --------------------------------------------------------------------------------

    def set_schedule(self, name: str, cron: str, timezone: str) -> ScheduleRecord:
        """Add or replace a monitor's schedule (the cron text is validated by the caller)."""
        now = utc_now()
        try:
            with self.db.write() as conn:
                monitor = self._monitor_row(conn, name, lock=True)
                updated = conn.execute(schedules.update()
                                       .where(schedules.c.monitor_id == monitor.id)
                                       .values(cron=cron, timezone=timezone, paused=False,
                                               updated_at=now)).rowcount
                if not updated:
                    conn.execute(schedules.insert().values(
                        monitor_id=monitor.id, cron=cron, timezone=timezone, paused=False,
                        created_at=now, updated_at=now))
        except SQLAlchemyError as exc:
            raise self._fail(f"schedule {name!r}", exc) from exc
        return self.schedule(name)

    def schedule(self, name: str) -> ScheduleRecord:
        found = [s for s in self.schedules() if s.monitor == name]
        if not found:
            self.monitor(name)  # InputError if the monitor itself is unknown
            raise InputError(f"monitor {name!r} has no schedule; add one with "
                             f"`scorecard schedule add {name} --cron ...`.")
        return found[0]

    def schedules(self) -> list[ScheduleRecord]:
        query = (sa.select(monitors.c.name, schedules.c.cron, schedules.c.timezone,
                           schedules.c.paused, schedules.c.created_at, schedules.c.updated_at)
                 .join(monitors, monitors.c.id == schedules.c.monitor_id)
                 .order_by(monitors.c.name))
        try:
            with self.db.read() as conn:
                rows = conn.execute(query).all()
        except SQLAlchemyError as exc:
            raise self._fail("read schedules", exc) from exc
        return [ScheduleRecord(r.name, r.cron, r.timezone, bool(r.paused), r.created_at,
                               r.updated_at) for r in rows]

    def set_paused(self, name: str, paused: bool) -> ScheduleRecord:
        self.schedule(name)
        try:
            with self.db.write() as conn:
                monitor = self._monitor_row(conn, name)
                conn.execute(schedules.update().where(schedules.c.monitor_id == monitor.id)
                             .values(paused=bool(paused), updated_at=utc_now()))
        except SQLAlchemyError as exc:
            raise self._fail(f"{'pause' if paused else 'resume'} the schedule of {name!r}", exc) from exc
        return self.schedule(name)

    def remove_schedule(self, name: str) -> None:
        self.schedule(name)
        try:
            with self.db.write() as conn:
                monitor = self._monitor_row(conn, name)
                conn.execute(schedules.delete().where(schedules.c.monitor_id == monitor.id))
        except SQLAlchemyError as exc:
            raise self._fail(f"remove the schedule of {name!r}", exc) from exc
