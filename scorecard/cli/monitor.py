"""Monitoring commands of the CLI: `monitor ...`, `schedule ...` and the `scheduler` process.

Everything is stored in the database named by $SCORECARD_DB (an SQLite file under ./var by
default). `scorecard monitor run NAME` is what a system cron or any orchestrator can call;
`scorecard scheduler` is the built-in alternative (APScheduler, job store in the same database).
"""

from __future__ import annotations

import json
import signal
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from scorecard.cli.common import (
    AsJson,
    DateColumn,
    Freq,
    PeriodColumn,
    echo,
    echo_json,
    friendly_errors,
    new_app,
)
from scorecard.exceptions import InputError
from scorecard.scheduling.health import HEALTH_ENV

MonitorName = Annotated[str, typer.Argument(metavar="NAME", show_default=False,
                                            help="Monitor name (unique in the store).")]


def _store():
    from scorecard.storage import MonitorStore

    return MonitorStore()


def _json(obj: Any) -> None:
    echo_json(obj, default=str)


def _table(frame: Any) -> None:
    echo(frame.to_string(index=False, float_format=lambda v: f"{v:.4g}")
               if len(frame) else "(none)")


def create(
    name: MonitorName,
    model: Annotated[Path, typer.Option(
        metavar="FILE", help="Scorecard spec (model.json from `scorecard fit`).")],
    reference: Annotated[str, typer.Option(
        metavar="SOURCE", help="Reference sample: file, folder or sql:URL::query.")],
    source: Annotated[str, typer.Option(
        metavar="SOURCE", help="Current data: a file with a period or date column, a folder "
        "with one file per period, or sql:URL::query.")],
    period_column: PeriodColumn = None,
    date_column: DateColumn = None,
    freq: Freq = None,
    reference_mode: Annotated[str, typer.Option(
        metavar="MODE", help="sample (two-sample SEs) or fixed.")] = "sample",
    watch: Annotated[Optional[float], typer.Option(
        metavar="PSI", show_default="0.10", help="PSI threshold of 'watch'.")] = None,
    material: Annotated[Optional[float], typer.Option(
        metavar="PSI", show_default="0.25", help="PSI threshold of 'material'.")] = None,
    webhook: Annotated[Optional[str], typer.Option(
        metavar="URL", show_default="none", help="POST alerts as JSON to this URL.")] = None,
    email: Annotated[list[str], typer.Option(
        metavar="ADDRESS", show_default="none", help="Email alerts to this address "
        "(repeatable; SMTP from $SCORECARD_SMTP_HOST).")] = [],
) -> None:
    """Create a monitor of a scorecard on a data source, with a period rule."""
    from scorecard.scheduling.runner import create_monitor

    thresholds = {k: v for k, v in (("watch", watch), ("material", material)) if v is not None}
    if thresholds:
        from scorecard.monitoring import DriftThresholds

        DriftThresholds.coerce(thresholds)  # InputError now rather than at the first run
    monitor = create_monitor(_store(), name, model, reference=reference, source=source,
                             period_column=period_column, date_column=date_column, freq=freq,
                             reference_mode=reference_mode, thresholds=thresholds or None,
                             webhook=webhook, email=email)
    echo(f"created monitor {monitor.name!r} of model {monitor.model_name!r}; run it with "
               f"`scorecard monitor run {monitor.name}`", err=True)


def list_monitors(
    as_json: AsJson = False,
) -> None:
    """Every monitor with its latest period, status, alerts and schedule."""
    overview = _store().overview()
    if as_json:
        _json(json.loads(overview.to_json(orient="records")))
    else:
        _table(overview)


def run(
    name: MonitorName,
    period: Annotated[Optional[str], typer.Option(
        metavar="PERIOD", show_default="the pending periods",
        help="Rerun just this period (replaces it).")] = None,
    as_json: AsJson = False,
) -> None:
    """Compute and store the pending periods (those not stored yet, and the latest one)."""
    from scorecard.scheduling.runner import run_monitor

    summary = run_monitor(_store(), name, period=period, trigger="cli")
    if as_json:
        _json(asdict(summary))
        return
    for key, status in summary.written:
        echo(f"{key}\t{status}")
    if summary.skipped:
        echo(f"already stored (not recomputed): {len(summary.skipped)} period(s)", err=True)
    for alert in summary.alerts:
        echo(f"alert: {alert.message}", err=True)
        for channel, outcome in summary.notifications.get(alert.id, {}).items():
            if not outcome.get("ok"):
                echo(f"warning: {channel} alert not delivered: {outcome.get('error')}",
                           err=True)


def show(
    name: MonitorName,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (latest report in "
                                                         "full).")] = False,
) -> None:
    """A monitor's settings, stored periods, latest report, alerts and recent runs."""
    import pandas as pd

    from scorecard.monitoring import DriftReport

    store = _store()
    monitor = store.monitor(name)
    results = pd.DataFrame([asdict(r) for r in store.results(name)])
    history = store.history(name)
    latest = history[-1] if history else None
    runs = store.runs(name, limit=10)
    alerts = store.alerts(name)
    about = {k: v for k, v in asdict(monitor).items() if k != "spec"}
    if about["settings"].get("webhook"):  # webhook URLs often carry a token: show the host only
        from urllib.parse import urlsplit

        hook = urlsplit(about["settings"]["webhook"])
        about["settings"]["webhook"] = f"{hook.scheme}://{hook.hostname}/..."
    if as_json:
        _json({"monitor": about, "results": results.to_dict(orient="records"),
               "latest": {"period": latest[0], "report": latest[1]} if latest else None,
               "alerts": [asdict(a) for a in alerts], "runs": [asdict(r) for r in runs]})
        return
    rule = (f"period column {monitor.period_column!r}" if monitor.period_column else
            f"date column {monitor.date_column!r} by {monitor.freq}" if monitor.date_column else
            "one period per file")
    echo(f"monitor {monitor.name!r}: model {monitor.model_name!r} "
               f"(sha256 {monitor.model_sha256[:12]}), {rule}, reference mode "
               f"{monitor.reference_mode}\n  reference: {monitor.reference}\n  source: "
               f"{monitor.source}")
    echo("\nperiods:")
    _table(results.drop(columns=["run_id", "created_at"]) if len(results) else results)
    if latest:
        echo(f"\nlatest period {latest[0]}:")
        _table(DriftReport.from_dict(latest[1]).to_frame())
    echo(f"\nalerts: {len(alerts)}")
    for alert in alerts:
        echo(f"  {alert.period}: {alert.message}")
    echo("\nrecent runs:")
    for r in runs:
        echo(f"  #{r.id} {r.started_at} {r.trigger} {r.status}"
                   + (f": {r.error}" if r.error else ""))


def report(
    name: MonitorName,
    html: Annotated[Path, typer.Option("--html", metavar="FILE",
                                       help="Write the offline HTML report here.")],
    title: Annotated[Optional[str], typer.Option(
        metavar="TEXT", show_default="Drift of <model> (<monitor>)", help="Report title.")] = None,
) -> None:
    """Self-contained HTML report of every stored period (works offline)."""
    from scorecard.io import write_atomic
    from scorecard.reports import drift_html

    store = _store()
    monitor = store.monitor(name)
    history = store.history(name)
    if not history:
        raise InputError(f"monitor {name!r} has no stored periods yet; run "
                         f"`scorecard monitor run {name}` first.")
    text = drift_html(history, title=title or f"Drift of {monitor.model_name} ({name})")
    write_atomic(html, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    echo(f"wrote {html} ({len(history)} periods)", err=True)


def _schedule_rows(store) -> list[dict]:
    from scorecard.scheduling.cron import next_run_times

    rows = []
    for s in store.schedules():
        upcoming = [] if s.paused else next_run_times(s.cron, s.timezone, n=3)
        rows.append({"monitor": s.monitor, "cron": s.cron, "timezone": s.timezone,
                     "paused": s.paused, "next_run_times": [t.isoformat() for t in upcoming]})
    return rows


def schedule_add(
    name: MonitorName,
    cron: Annotated[str, typer.Option(metavar="EXPR", help='Cron expression, e.g. "0 6 1 * *" (06:00 on the '
                                           '1st); weekdays as in cron (0 or 7 = Sunday).')],
    timezone: Annotated[str, typer.Option(metavar="ZONE",
                                          help="IANA time zone of the cron times.")] = "UTC",
) -> None:
    """Schedule a monitor (replaces its schedule if it has one)."""
    from scorecard.scheduling.cron import next_run_times

    upcoming = next_run_times(cron, timezone, n=1)  # validates the expression and the zone
    _store().set_schedule(name, cron, timezone)
    when = upcoming[0].isoformat() if upcoming else "never"
    echo(f"scheduled {name!r}: {cron!r} ({timezone}); next run {when}. "
               "`scorecard scheduler` runs it.", err=True)


def schedule_list(
    as_json: AsJson = False,
) -> None:
    """Schedules with their next run times."""
    rows = _schedule_rows(_store())
    if as_json:
        _json(rows)
        return
    if not rows:
        echo("(none)")
    for r in rows:
        state = "paused" if r["paused"] else "next " + ", ".join(r["next_run_times"])
        echo(f"{r['monitor']}\t{r['cron']}\t{r['timezone']}\t{state}")


def schedule_pause(name: MonitorName) -> None:
    """Pause a schedule (the scheduler skips it until resumed)."""
    _store().set_paused(name, True)
    echo(f"paused {name!r}", err=True)


def schedule_resume(name: MonitorName) -> None:
    """Resume a paused schedule (from the next cron time; paused times are not caught up)."""
    _store().set_paused(name, False)
    echo(f"resumed {name!r}", err=True)


def schedule_remove(name: MonitorName) -> None:
    """Remove a monitor's schedule (the monitor and its results stay)."""
    _store().remove_schedule(name)
    echo(f"removed the schedule of {name!r}", err=True)


def scheduler(
    retries: Annotated[int, typer.Option(metavar="N", help="Retries of a failed run.")] = 3,
    backoff: Annotated[float, typer.Option(
        metavar="SECONDS", help="Seconds before the first retry (doubles).")] = 60.0,
    sync_seconds: Annotated[float, typer.Option(
        metavar="SECONDS", help="How often to pick up schedule changes.")] = 30.0,
    health_file: Annotated[Optional[Path], typer.Option(
        envvar=HEALTH_ENV, metavar="FILE", show_default="no heartbeat",
        help="Rewrite this heartbeat file at every sync "
        "(checked by `scorecard scheduler-health`); removed on a clean stop.")] = None,
) -> None:
    """Run the stored schedules until stopped (Ctrl-C or SIGTERM); one scheduler per store."""
    import logging

    from scorecard.scheduling.scheduler import Scheduler

    if retries < 0 or backoff <= 0 or sync_seconds <= 0:
        raise InputError("--retries must be >= 0, --backoff and --sync-seconds > 0.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    process = Scheduler(retries=retries, backoff=backoff, sync_seconds=sync_seconds,
                        health_file=health_file)
    signal.signal(signal.SIGTERM, lambda *_: process.request_stop())
    echo(f"scheduler running on {process.store.db.display_url}; Ctrl-C to stop", err=True)
    process.run_forever()


def scheduler_health(
    health_file: Annotated[Path, typer.Option(
        envvar=HEALTH_ENV, metavar="FILE", help="The scheduler's --health-file.")],
    max_age: Annotated[float, typer.Option(
        metavar="SECONDS", help="Seconds after which a heartbeat is stale (a few times "
        "--sync-seconds).")] = 120.0,
) -> None:
    """Exit 0 if the scheduler wrote its heartbeat recently, 1 if not (a health probe)."""
    from scorecard.scheduling.health import check_heartbeat

    health = check_heartbeat(health_file, max_age)
    echo(("healthy: " if health.ok else "unhealthy: ") + health.message, err=not health.ok)
    if not health.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the monitor and schedule groups and the scheduler command to the CLI app."""
    monitor_app = new_app("Drift monitors: create, list, run, show, report.")
    schedule_app = new_app("Cron schedules of monitors, run by `scorecard scheduler`.")
    for command, name, short in (
            (create, "create", "Create a monitor of a scorecard on a data source."),
            (list_monitors, "list", "Every monitor with its latest status and alerts."),
            (run, "run", "Compute and store the pending periods."),
            (show, "show", "Settings, periods, latest report, alerts and runs of a monitor."),
            (report, "report", "Offline HTML report of every stored period.")):
        monitor_app.command(name, short_help=short)(friendly_errors(command))
    for command, name, short in (
            (schedule_add, "add", "Schedule a monitor (replaces its schedule)."),
            (schedule_list, "list", "Schedules with their next run times."),
            (schedule_pause, "pause", "Pause a schedule until resumed."),
            (schedule_resume, "resume", "Resume a paused schedule from its next cron time."),
            (schedule_remove, "remove", "Remove a monitor's schedule (results stay).")):
        schedule_app.command(name, short_help=short)(friendly_errors(command))
    app.add_typer(monitor_app, name="monitor")
    app.add_typer(schedule_app, name="schedule")
    app.command("scheduler", short_help="Run the stored schedules until stopped.")(
        friendly_errors(scheduler))
    app.command("scheduler-health", short_help="Exit 0 if the scheduler's heartbeat is fresh.")(
        friendly_errors(scheduler_health))
