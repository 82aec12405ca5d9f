"""`scorecard scheduler`: APScheduler 3 running the schedules stored with the monitors.

The schedules table is what users edit (`scorecard schedule ...`); the scheduler copies it into
APScheduler's job store (a table in the same database) on start and every `sync_seconds`. Jobs
keep their next run time in that table, so runs missed while the scheduler was down are caught up
once (coalesced) on restart; each job runs at most one instance at a time; a failed run is
recorded and retried with exponential backoff. Job state is stored as JSON (never pickle) and
only this module's job function may be named in it. One scheduler per store: a second one exits.
"""

from __future__ import annotations

import fcntl
import json
import logging
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from apscheduler.job import Job
from apscheduler.jobstores.base import ConflictingIdError, JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.util import datetime_to_utc_timestamp
from sqlalchemy.exc import IntegrityError

from scorecard.exceptions import ScorecardError, StorageError
from scorecard.scheduling.cron import cron_trigger
from scorecard.scheduling.health import remove_heartbeat, write_heartbeat
from scorecard.scheduling.runner import run_monitor
from scorecard.storage import MonitorStore

log = logging.getLogger("scorecard.scheduler")
JOB_FUNC = "scorecard.scheduling.scheduler:scheduled_run"
JOB_TABLE = "apscheduler_jobs"
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
_PG_SCHEDULER_LOCK = 0x5C0_12F


class JsonJobStore(SQLAlchemyJobStore):
    """APScheduler's SQLAlchemy job store with JSON job state instead of pickle.

    A job's trigger is rebuilt from its kwargs (cron text and time zone) or its retry date, and
    its function must be JOB_FUNC, so a row in the database can never run arbitrary code.
    """

    @staticmethod
    def _encode(job: Job) -> bytes:
        state = job.__getstate__()
        if state["func"] != JOB_FUNC:
            raise ValueError(f"only {JOB_FUNC} jobs can be stored, not {state['func']!r}")
        trigger = state["trigger"]
        state["trigger"] = ({"date": trigger.run_date.isoformat()} if isinstance(trigger, DateTrigger)
                            else {"cron": state["kwargs"]["cron"],
                                  "timezone": state["kwargs"]["timezone"]})
        state["args"] = list(state["args"])
        state["next_run_time"] = (state["next_run_time"].isoformat()
                                  if state["next_run_time"] else None)
        return json.dumps(state, sort_keys=True).encode()

    def _reconstitute_job(self, job_state: bytes) -> Job:
        state = json.loads(job_state)
        if state.get("func") != JOB_FUNC:
            raise ValueError(f"refusing job {state.get('id')!r}: unexpected function")
        trigger = state["trigger"]
        state["trigger"] = (DateTrigger(datetime.fromisoformat(trigger["date"])) if "date" in trigger
                            else cron_trigger(trigger["cron"], trigger["timezone"]))
        state["args"] = tuple(state["args"])
        state["next_run_time"] = (datetime.fromisoformat(state["next_run_time"])
                                  if state["next_run_time"] else None)
        state["jobstore"] = self
        job = Job.__new__(Job)
        job.__setstate__(state)
        job._scheduler = self._scheduler
        job._jobstore_alias = self._alias
        return job

    def add_job(self, job: Job) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(self.jobs_t.insert().values(
                    id=job.id, next_run_time=datetime_to_utc_timestamp(job.next_run_time),
                    job_state=self._encode(job)))
        except IntegrityError:
            raise ConflictingIdError(job.id) from None

    def update_job(self, job: Job) -> None:
        with self.engine.begin() as conn:
            updated = conn.execute(self.jobs_t.update().where(self.jobs_t.c.id == job.id).values(
                next_run_time=datetime_to_utc_timestamp(job.next_run_time),
                job_state=self._encode(job))).rowcount
        if not updated:
            raise JobLookupError(job.id)

    def shutdown(self) -> None:
        """The engine belongs to the store, which disposes of it."""


def job_id(monitor: str) -> str:
    return f"monitor:{monitor}"


class Scheduler:
    """The long-running scheduler of one store."""

    def __init__(self, url: str | None = None, *, retries: int = 3, backoff: float = 60.0,
                 sync_seconds: float = 30.0, health_file: str | Path | None = None):
        if retries < 0 or backoff <= 0 or sync_seconds <= 0:
            raise ValueError("retries >= 0, backoff > 0 and sync_seconds > 0")
        self.store = MonitorStore(url)
        self.health_file = Path(health_file) if health_file else None
        self.retries, self.backoff, self.sync_seconds = retries, backoff, sync_seconds
        self.scheduler: BaseScheduler = BackgroundScheduler(
            jobstores={"default": JsonJobStore(engine=self.store.db.engine, tablename=JOB_TABLE),
                       "internal": MemoryJobStore()},
            job_defaults=JOB_DEFAULTS, timezone=timezone.utc)
        self._lock: Any = None
        self._stopped = threading.Event()

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> None:
        self._lock = _single_scheduler_lock(self.store)
        global _current
        _current = self
        self.scheduler.start(paused=True)
        self.sync()
        self.scheduler.add_job(self.sync, "interval", seconds=self.sync_seconds, id="sync",
                               jobstore="internal", replace_existing=True)
        self.scheduler.resume()
        log.info("scheduler started on %s", self.store.db.display_url)

    def request_stop(self) -> None:
        """Ask run_forever to stop (safe from a signal handler)."""
        self._stopped.set()

    def stop(self) -> None:
        self._stopped.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        if self.health_file:
            remove_heartbeat(self.health_file)
        _release(self._lock)
        self._lock = None

    def run_forever(self) -> None:
        self.start()
        try:
            self._stopped.wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    # -- schedules -> jobs ------------------------------------------------------------------------

    def sync(self) -> None:
        """Make the job store match the schedules table (added, changed, paused, removed);
        then write the heartbeat, if there is a health file."""
        try:
            wanted = {job_id(s.monitor): s for s in self.store.schedules()}
        except ScorecardError as exc:
            log.error("cannot read schedules: %s", exc)
            return
        self._sync_jobs(wanted)
        if self.health_file:
            try:
                write_heartbeat(self.health_file, store=self.store.db.display_url,
                                schedules=len(wanted))
            except ScorecardError as exc:
                log.error("cannot write the heartbeat: %s", exc)

    def _sync_jobs(self, wanted: dict) -> None:
        jobs = {j.id: j for j in self.scheduler.get_jobs(jobstore="default")}
        for jid, job in jobs.items():
            if jid.startswith("monitor:") and jid not in wanted:
                self.scheduler.remove_job(jid, jobstore="default")
        for jid, schedule in wanted.items():
            kwargs = {"monitor": schedule.monitor, "cron": schedule.cron,
                      "timezone": schedule.timezone}
            job = jobs.get(jid)
            if job is None or {k: job.kwargs.get(k) for k in kwargs} != kwargs:
                try:
                    trigger = cron_trigger(schedule.cron, schedule.timezone)
                except ScorecardError as exc:  # edited outside the CLI: skip it, keep the rest
                    log.error("schedule of %s is not valid: %s", schedule.monitor, exc)
                    continue
                self.scheduler.add_job(JOB_FUNC, trigger=trigger, id=jid, name=schedule.monitor,
                                       kwargs=kwargs, jobstore="default", replace_existing=True)
                job = self.scheduler.get_job(jid, jobstore="default")
            if schedule.paused and job.next_run_time is not None:
                job.pause()
            elif not schedule.paused and job.next_run_time is None:
                job.resume()

    # -- running ----------------------------------------------------------------------------------

    def run(self, monitor: str, attempt: int = 1, **schedule: str) -> None:
        trigger = "scheduler" if attempt == 1 else "retry"
        try:
            summary = run_monitor(self.store, monitor, trigger=trigger, attempt=attempt)
            log.info("monitor %s: wrote %s", monitor, summary.written)
        except Exception as exc:  # recorded by run_monitor; here we decide about a retry
            if attempt > self.retries:
                log.error("monitor %s failed (attempt %d, no retries left): %s", monitor,
                          attempt, exc)
                return
            delay = self.backoff * 2 ** (attempt - 1)
            when = datetime.now(timezone.utc) + timedelta(seconds=delay)
            log.warning("monitor %s failed (attempt %d): %s; retry in %.0f s", monitor, attempt,
                        exc, delay)
            self.scheduler.add_job(
                JOB_FUNC, trigger=DateTrigger(when), id=f"retry:{monitor}", name=monitor,
                kwargs={"monitor": monitor, "attempt": attempt + 1, **schedule},
                jobstore="default", replace_existing=True)


_current: Scheduler | None = None


def scheduled_run(monitor: str, attempt: int = 1, **schedule: str) -> None:
    """The job function stored in the job store (by name): run one monitor now."""
    if _current is None:
        raise RuntimeError("scheduled_run is called by a running scorecard scheduler")
    _current.run(monitor, attempt, **schedule)


def _single_scheduler_lock(store: MonitorStore) -> Any:
    """Hold a lock for the scheduler's lifetime; StorageError if another scheduler holds it."""
    busy = StorageError(f"another scorecard scheduler is already running on "
                        f"{store.db.display_url!r}; stop it first (one scheduler per store).")
    if store.db.dialect == "postgresql":
        conn = store.db.engine.connect()
        if not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"),
                            {"k": _PG_SCHEDULER_LOCK}).scalar():
            conn.close()
            raise busy
        conn.commit()
        return conn
    database = store.db.engine.url.database
    if store.db.dialect != "sqlite" or not database or database == ":memory:":
        return None
    handle = open(Path(database).with_name(Path(database).name + ".scheduler.lock"), "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise busy from None
    return handle


def _release(lock: Any) -> None:
    """Close the lock file, or drop the connection holding the advisory lock (not back to a pool)."""
    if isinstance(lock, sa.Connection):
        lock.invalidate()
    if lock is not None:
        lock.close()
