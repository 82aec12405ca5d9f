"""The scheduler's heartbeat: written at every sync, removed on stop; the probe command reads it."""

import json
import os
import time

import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.exceptions import InputError
from scorecard.scheduling.health import check_heartbeat, write_heartbeat
from scorecard.scheduling.scheduler import Scheduler


def test_heartbeat_is_healthy_only_while_fresh(tmp_path):
    path = tmp_path / "beat"
    assert not check_heartbeat(path, 60).ok and "not running" in check_heartbeat(path, 60).message
    write_heartbeat(path, store="sqlite:///x.db", schedules=2)
    fresh = check_heartbeat(path, 60)
    assert fresh.ok and "2 schedule(s)" in fresh.message
    beat = json.loads(path.read_text())
    path.write_text(json.dumps({**beat, "time": time.time() - 120}))
    stale = check_heartbeat(path, 60)
    assert not stale.ok and "120 s ago" in stale.message
    path.write_text("{not json")
    assert not check_heartbeat(path, 60).ok and "unreadable" in check_heartbeat(path, 60).message
    with pytest.raises(InputError, match="--max-age"):
        check_heartbeat(path, 0)


def test_scheduler_beats_at_each_sync_and_removes_the_beat_on_stop(tmp_path):
    path = tmp_path / "beat"
    scheduler = Scheduler(f"sqlite:///{tmp_path / 'store.db'}", health_file=path)
    scheduler.start()
    try:
        first = json.loads(path.read_text())
        assert first["pid"] == os.getpid() and first["schedules"] == 0
        time.sleep(0.05)
        scheduler.sync()
        assert json.loads(path.read_text())["time"] > first["time"]
    finally:
        scheduler.stop()
    assert not path.exists()


def test_probe_command_exit_codes(tmp_path, monkeypatch):
    path = tmp_path / "beat"
    monkeypatch.setenv("SCORECARD_SCHEDULER_HEALTH", str(path))
    runner = CliRunner()
    missing = runner.invoke(app, ["scheduler-health"])
    assert missing.exit_code == 1 and "unhealthy" in missing.stderr
    write_heartbeat(path, store="sqlite:///x.db", schedules=0)
    ok = runner.invoke(app, ["scheduler-health", "--max-age", "30"])
    assert ok.exit_code == 0 and "healthy" in ok.stdout
    bad = runner.invoke(app, ["scheduler-health", "--max-age", "-1"])
    assert bad.exit_code == 2 and "--max-age" in bad.stderr
