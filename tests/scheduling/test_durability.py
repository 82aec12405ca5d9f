"""A run killed mid-write leaves the previous result; two runs of one key at once leave one.

Real processes on SQLite and on PostgreSQL (e2e): the killed one is SIGKILLed while its
replacing transaction is open (after the new bins are inserted, before COMMIT).
"""

import os
import shutil
import signal
import subprocess
import sys

import pandas as pd
import pytest

from scorecard.scheduling.runner import create_monitor, run_monitor
from scorecard.storage import MonitorStore
from scorecard.storage.monitors import KILLED

pytestmark = pytest.mark.e2e  # real processes
PERIOD = "application_month"
HOLD_IN_COMMIT = r"""
import sys, time
import sqlalchemy as sa
from scorecard.storage import MonitorStore
from scorecard.scheduling.runner import run_monitor

url, name, period = sys.argv[1:4]
store = MonitorStore(url)
seen = {"bins": False}

@sa.event.listens_for(store.db.engine, "before_cursor_execute")
def note(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip().upper().startswith("INSERT INTO RESULT_BINS"):
        seen["bins"] = True

@sa.event.listens_for(store.db.engine, "commit")
def hold(conn):
    if seen["bins"]:
        print("in-commit", flush=True)
        time.sleep(300)

run_monitor(store, name, period=period)
"""


@pytest.fixture
def own_source(db_url, files, tmp_path):
    """A monitor on a private copy of the current data, which the test may rewrite."""
    source = tmp_path / "current.parquet"
    shutil.copy(files.current, source)
    store = MonitorStore(db_url)
    create_monitor(store, "own", files.model, reference=str(files.reference), source=str(source),
                   period_column=PERIOD)
    return store, source, db_url


def test_killed_mid_write_keeps_the_previous_result(own_source):
    store, source, url = own_source
    run_monitor(store, "own")
    before, bins_before = store.history("own"), store.bins("own")
    frame = pd.read_parquet(source)
    frame.drop(frame.index[frame[PERIOD] == "2023-04"][::2]).to_parquet(source)  # new counts
    child = subprocess.Popen([sys.executable, "-c", HOLD_IN_COMMIT, url, "own", "2023-04"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "in-commit", child.stderr.read()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    assert store.history("own") == before
    pd.testing.assert_frame_equal(store.bins("own"), bins_before)
    latest = store.runs("own")[0]
    assert latest.status == "failed" and latest.error == KILLED
    rerun = run_monitor(store, "own", period="2023-04")  # the next run completes the work
    assert rerun.written[0][0] == "2023-04"
    assert store.results("own")[1].n_current < before[1][1]["n_current"]


def test_two_runs_of_one_key_at_once_store_one_result(own_source):
    store, _source, url = own_source
    env = {**os.environ, "SCORECARD_DB": url}
    command = [sys.executable, "-m", "scorecard", "monitor", "run", "own"]
    runs = [subprocess.Popen(command + extra, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
            for extra in ([], ["--period", "2023-04"])]  # both write 2023-04
    outputs = [p.communicate(timeout=300) for p in runs]
    assert [p.returncode for p in runs] == [0, 0], outputs
    assert [r.period for r in store.results("own")] == ["2023-03", "2023-04", "2023-05", "2023-06"]
    assert sorted(r.status for r in store.runs("own")) == ["succeeded"] * 2
    assert len(store.alerts("own")) == 1
    counts = store.bins("own").groupby("period").size()
    assert counts.nunique() == 1  # every period has one full set of bins, none doubled
