"""The scheduler: JSON job store in the same database, missed runs caught up once, retries with
backoff, schedule changes picked up, one scheduler per store; and the CLI process."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from scorecard.cli import app

from scorecard.exceptions import StorageError
from scorecard.scheduling.cron import next_run_times
from scorecard.scheduling.runner import create_monitor
from scorecard.scheduling.scheduler import JOB_FUNC, JOB_TABLE, Scheduler, job_id
from scorecard.storage import MonitorStore

from polling import wait_for

PERIOD = "application_month"
DAILY = "0 6 * * *"


def backdate(store, jid, days):
    """Pretend the scheduler was down: the job's next run lies `days` in the past."""
    when = datetime.now(timezone.utc) - timedelta(days=days)
    table = sa.table(JOB_TABLE, sa.column("id"), sa.column("next_run_time"), sa.column("job_state"))
    with store.db.write() as conn:
        state = json.loads(conn.execute(sa.select(table.c.job_state).where(table.c.id == jid)).scalar_one())
        state["next_run_time"] = when.isoformat()
        conn.execute(table.update().where(table.c.id == jid).values(
            next_run_time=when.timestamp(), job_state=json.dumps(state).encode()))


@contextmanager
def running(url, **options):
    scheduler = Scheduler(url, **options)
    scheduler.start()
    try:
        yield scheduler
    finally:
        scheduler.stop()


def job_rows(store):
    with store.db.read() as conn:
        return conn.execute(sa.text(f"SELECT id, next_run_time, job_state FROM {JOB_TABLE}")).all()


@pytest.fixture
def scheduled(db_url, files):
    store = MonitorStore(db_url)
    create_monitor(store, "apps", files.model, reference=str(files.reference),
                   source=str(files.current), period_column=PERIOD)
    store.set_schedule("apps", DAILY, "UTC")
    return store, db_url


def test_jobs_are_json_with_coalescing_and_one_instance(scheduled):
    store, url = scheduled
    with running(url) as scheduler:
        [(jid, next_time, state)] = job_rows(store)
        document = json.loads(state)
        assert jid == job_id("apps") and document["func"] == JOB_FUNC
        assert document["trigger"] == {"cron": DAILY, "timezone": "UTC"}
        assert (document["coalesce"], document["max_instances"],
                document["misfire_grace_time"]) == (True, 1, None)
        assert next_time == pytest.approx(next_run_times(DAILY)[0].timestamp())
        with store.db.write() as conn:  # a row naming another function is refused, not run
            bad = dict(document, id="evil", func="os:system", args=["touch /tmp/owned"])
            conn.execute(sa.text(f"INSERT INTO {JOB_TABLE} VALUES ('evil', 1.0, :s)"),
                         {"s": json.dumps(bad).encode()})
        assert [j.id for j in scheduler.scheduler.get_jobs(jobstore="default")] == [jid]
        assert [r.id for r in job_rows(store)] == [jid]


def test_schedule_changes_are_picked_up(scheduled):
    store, url = scheduled
    with running(url) as scheduler:
        store.set_paused("apps", True)
        scheduler.sync()
        assert scheduler.scheduler.get_job(job_id("apps")).next_run_time is None
        store.set_paused("apps", False)
        store.set_schedule("apps", "30 7 * * 1", "UTC")
        scheduler.sync()
        job = scheduler.scheduler.get_job(job_id("apps"))
        assert job.next_run_time == next_run_times("30 7 * * 1")[0]
        assert job.next_run_time.isoweekday() == 1  # Monday, as in cron
        with store.db.write() as conn:  # a schedule edited outside the CLI into nonsense
            conn.execute(sa.text("UPDATE schedules SET cron = '0 6 * * 9'"))
        scheduler.sync()  # logged and skipped; the job keeps its last valid trigger
        assert scheduler.scheduler.get_job(job_id("apps")).kwargs["cron"] == "30 7 * * 1"
        store.remove_schedule("apps")
        scheduler.sync()
        assert scheduler.scheduler.get_jobs(jobstore="default") == []


def test_missed_runs_are_caught_up_once(scheduled):
    store, url = scheduled
    first = Scheduler(url)
    first.start()
    first.stop()
    backdate(store, job_id("apps"), days=5)  # five daily runs missed while it was down
    with running(url) as again:
        assert wait_for(lambda: [r.status for r in store.runs("apps")] == ["succeeded"])
        time.sleep(1.0)
        assert len(store.runs("apps")) == 1 and store.runs("apps")[0].trigger == "scheduler"
        assert again.scheduler.get_job(job_id("apps")).next_run_time > datetime.now(timezone.utc)
        assert len(store.results("apps")) == 4


def test_failures_are_recorded_and_retried_with_backoff(db_url, files, tmp_path):
    source = tmp_path / "current.parquet"
    shutil.copy(files.current, source)
    store = MonitorStore(db_url)
    create_monitor(store, "flaky", files.model, reference=str(files.reference),
                   source=str(source), period_column=PERIOD)
    store.set_schedule("flaky", DAILY, "UTC")
    source.unlink()  # the data went missing after the monitor was set up
    with running(db_url, retries=2, backoff=0.5) as scheduler:
        scheduler.scheduler.modify_job(job_id("flaky"), next_run_time=datetime.now(timezone.utc))
        assert wait_for(lambda: len(store.runs("flaky")) == 3, timeout=60)
        time.sleep(2.5)  # the backoff would have fired again by now
        runs = store.runs("flaky")[::-1]
        assert [(r.attempt, r.trigger, r.status) for r in runs] == [
            (1, "scheduler", "failed"), (2, "retry", "failed"), (3, "retry", "failed")]
        assert all("does not exist" in r.error or "current.parquet" in r.error for r in runs)
        starts = [datetime.fromisoformat(r.started_at) for r in runs]
        ends = [datetime.fromisoformat(r.finished_at) for r in runs]
        assert starts[1] - ends[0] >= timedelta(seconds=0.5)  # backoff 0.5 s, then doubled
        assert starts[2] - ends[1] >= timedelta(seconds=1.0)
        assert scheduler.scheduler.get_job("retry:flaky") is None


def test_one_scheduler_per_store(scheduled):
    _store, url = scheduled
    with running(url) as first:
        with pytest.raises(StorageError, match="another scorecard scheduler is already running"):
            Scheduler(url).start()
    second = Scheduler(url)
    second.start()
    second.stop()


@pytest.mark.e2e
def test_scheduler_command_catches_up_and_stops_on_sigterm(tmp_path, files, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    env = {**os.environ, "SCORECARD_DB": url}
    monkeypatch.setenv("SCORECARD_DB", url)
    runner = CliRunner()
    for args in (["monitor", "create", "apps", "--model", str(files.model), "--reference",
                  str(files.reference), "--source", str(files.current), "--period-column", PERIOD],
                 ["schedule", "add", "apps", "--cron", "0 6 * * 1"]):
        assert runner.invoke(app, args).exit_code == 0
    listed = json.loads(runner.invoke(app, ["schedule", "list", "--json"]).stdout)
    upcoming = [datetime.fromisoformat(t) for t in listed[0]["next_run_times"]]
    assert [t.isoweekday() for t in upcoming] == [1, 1, 1] and upcoming[0].hour == 6
    store = MonitorStore(url)
    priming = Scheduler(url)
    priming.start()
    priming.stop()
    backdate(store, job_id("apps"), days=30)
    process = subprocess.Popen([sys.executable, "-m", "scorecard", "scheduler", "--sync-seconds",
                                "1"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: [r.status for r in store.runs("apps")] == ["succeeded"])
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "scheduler running on" in err and len(store.runs("apps")) == 1
