"""Running a monitor: drift reports of its pending periods, stored idempotently, alerts sent.

Pending periods are those with no stored result, plus the latest period of the source (it may
still be filling up, so it is recomputed on every run). `period=` reruns one period and replaces
its result. Every run is recorded (running, then succeeded or failed with the error).
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scorecard.exceptions import InputError, ScorecardError
from scorecard.model.spec import load_spec
from scorecard.scheduling.alerts import check_emails, check_webhook, notify
from scorecard.storage import AlertRecord, Monitor, MonitorStore

SQL_PREFIX = "sql:"


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    monitor: str
    written: list[tuple[str, str]] = field(default_factory=list)  # (period, status)
    skipped: list[str] = field(default_factory=list)  # already stored, not recomputed
    alerts: list[AlertRecord] = field(default_factory=list)  # new alerts of this run
    notifications: dict[int, dict] = field(default_factory=dict)  # alert id -> outcome


def _check_location(value: str, what: str) -> str:
    text = str(value)
    if not text.startswith(SQL_PREFIX) and not Path(text).exists():
        raise InputError(f"{what} {text!r} does not exist: give a CSV or parquet file, a folder "
                         "of files (one per period), or sql:<SQLAlchemy URL>::<query>.")
    return text if text.startswith(SQL_PREFIX) else str(Path(text).resolve())


def create_monitor(
    store: MonitorStore, name: str, model: str | Path | Mapping[str, Any], *, reference: str,
    source: str, period_column: str | None = None, date_column: str | None = None,
    freq: str | None = None, reference_mode: str = "sample",
    thresholds: Mapping[str, Any] | None = None, webhook: str | None = None,
    email: Sequence[str] = (),
) -> Monitor:
    """Validate and store a monitor of the scorecard spec `model` (a file or a spec dict)."""
    spec = load_spec(model) if isinstance(model, (str, Path)) else dict(model)
    settings: dict[str, Any] = {"webhook": check_webhook(webhook), "email": check_emails(email)}
    if thresholds:
        settings["thresholds"] = dict(thresholds)
    return store.create_monitor(
        name, spec, reference=_check_location(reference, "reference"),
        source=_check_location(source, "source"), period_column=period_column,
        date_column=date_column, freq=freq, reference_mode=reference_mode, settings=settings)


def _reports(monitor: Monitor, period: str | None) -> dict:
    from scorecard.monitoring import drift_reports

    options: dict[str, Any] = {}
    for key in ("thresholds", "score_edges"):
        if monitor.settings.get(key) is not None:
            options[key] = monitor.settings[key]
    return drift_reports(
        monitor.spec, monitor.reference, monitor.source, period_column=monitor.period_column,
        date_column=monitor.date_column, freq=monitor.freq,
        periods=[period] if period is not None else None,
        reference_mode=monitor.reference_mode, **options)


def run_monitor(store: MonitorStore, name: str, *, period: str | None = None,
                trigger: str = "cli", attempt: int = 1, send: bool = True) -> RunSummary:
    """Compute and store the pending periods of monitor `name` (or just `period`)."""
    store.reap_stale_runs()
    run_id = store.start_run(name, trigger=trigger, requested_period=period, attempt=attempt)
    written: list[tuple[str, str]] = []
    try:
        monitor = store.monitor(name)
        reports = _reports(monitor, period)
        if not reports:
            raise InputError(f"monitor {name!r}: the source {monitor.source!r} has no periods.")
        stored = {r.period for r in store.results(name)}
        latest = max(reports)
        todo = [p for p in sorted(reports) if period is not None or p not in stored or p == latest]
        if "score_edges" not in monitor.settings:
            store.update_settings(name, score_edges=reports[latest].score_edges)
        new_alerts = []
        for key in todo:
            outcome = store.write_result(name, key, run_id, reports[key].to_dict())
            written.append((key, reports[key].status))
            if outcome.new_alert:
                new_alerts.append(outcome.alert)
    except ScorecardError as exc:
        store.finish_run(run_id, "failed", error=str(exc), periods=[p for p, _ in written])
        raise
    except Exception as exc:
        store.finish_run(run_id, "failed", periods=[p for p, _ in written],
                         error="".join(traceback.format_exception_only(exc)).strip())
        raise
    store.finish_run(run_id, "succeeded", periods=[p for p, _ in written])
    notifications = {}
    if send:
        for alert in new_alerts:
            outcome = notify(alert, monitor.settings)
            if outcome:
                store.set_notified(alert.id, outcome)
                notifications[alert.id] = outcome
    return RunSummary(run_id, name, written, sorted(set(reports) - set(todo)), new_alerts,
                      notifications)
