"""Atomic writes: non-regular targets refused, a killed writer's partial file is visibly named
and removed by the next write to the same target (issue 8 items 9 and 11)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from scorecard.exceptions import InputError
from scorecard.io import PARTIAL_MARK, write_atomic

WRITER = """
import sys, time
from scorecard.io import write_atomic

def slow(tmp):
    with open(tmp, "wb") as handle:
        handle.write(b"x" * 1_000_000)
        handle.flush()
        print("writing", flush=True)
        time.sleep(60)

write_atomic(sys.argv[1], slow)
"""


def test_a_killed_writer_leaves_a_named_partial_that_the_next_write_removes(tmp_path):
    target = tmp_path / "scored.csv"
    target.write_text("old")
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == b"writing"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    partials = [p for p in tmp_path.iterdir() if PARTIAL_MARK in p.name]
    assert len(partials) == 1 and partials[0].name.startswith("scored.csv.scorecard-partial-")
    assert not partials[0].name.startswith(".")  # visible, and obviously removable
    assert target.read_text() == "old"
    write_atomic(target, lambda tmp: tmp.write_text("new"))
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scored.csv"]


def test_partials_of_live_writers_and_other_targets_are_kept(tmp_path):
    live = tmp_path / f"a.csv{PARTIAL_MARK}{os.getpid()}-abcd"
    other = tmp_path / f"b.csv{PARTIAL_MARK}999999999-abcd"
    live.write_text("in progress")
    other.write_text("someone else's")
    write_atomic(tmp_path / "a.csv", lambda tmp: tmp.write_text("done"))
    assert live.exists() and other.exists()


def test_device_targets_are_never_replaced(monkeypatch):
    monkeypatch.setattr(os, "replace", lambda *a: pytest.fail("tried to replace a device"))
    for device in ("/dev/null", "/dev/full", "/dev/zero"):
        if os.path.exists(device):
            with pytest.raises(InputError, match="is a device"):
                write_atomic(device, lambda tmp: tmp.write_text("x"))


def test_a_target_that_turns_into_a_link_meanwhile_is_refused(tmp_path):
    target = tmp_path / "out.csv"

    def swap(tmp):
        tmp.write_text("data")
        os.symlink(tmp_path / "elsewhere", target)

    with pytest.raises(InputError, match="symbolic link"):
        write_atomic(target, swap)
    assert os.path.islink(target) and not any(PARTIAL_MARK in p.name for p in tmp_path.iterdir())


def test_write_errors_name_the_file_and_what_was_left(tmp_path):
    def fail(tmp):
        raise OSError(28, "No space left on device")

    with pytest.raises(InputError, match="No space left on device; nothing was written"):
        write_atomic(tmp_path / "x.csv", fail)
    assert list(tmp_path.iterdir()) == []
