"""The scheduler's health signal: a heartbeat file, rewritten each time the scheduler has read
the schedules from the store, and the check a container health probe runs against it.

A fresh heartbeat means the process is alive, its APScheduler thread is running jobs and the
store answered; it is removed on a clean stop, so a stopped scheduler reads as unhealthy at once.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from scorecard.exceptions import InputError

HEALTH_ENV = "SCORECARD_SCHEDULER_HEALTH"


@dataclass(frozen=True)
class Health:
    ok: bool
    message: str


def write_heartbeat(path: str | Path, *, store: str, schedules: int) -> None:
    """Record that the scheduler read `schedules` schedules from `store` just now."""
    from scorecard.io import write_atomic  # lazily: the health probe should start fast

    beat = {"time": time.time(), "pid": os.getpid(), "store": store, "schedules": schedules}
    write_atomic(path, lambda tmp: tmp.write_text(json.dumps(beat), encoding="utf-8"))


def remove_heartbeat(path: str | Path) -> None:
    Path(path).unlink(missing_ok=True)


def check_heartbeat(path: str | Path, max_age: float) -> Health:
    """Healthy when the heartbeat at `path` is at most `max_age` seconds old."""
    if max_age <= 0:
        raise InputError(f"--max-age must be > 0 seconds, not {max_age}.")
    try:
        beat = json.loads(Path(path).read_text(encoding="utf-8"))
        when = float(beat["time"])
    except FileNotFoundError:
        return Health(False, f"no heartbeat at {str(path)!r}: the scheduler is not running "
                             "(or was started without this --health-file).")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Health(False, f"heartbeat {str(path)!r} is unreadable: {exc}")
    age = time.time() - when
    if age > max_age:
        return Health(False, f"last heartbeat {age:.0f} s ago (more than {max_age:g} s): the "
                             "scheduler is stuck or cannot read the store.")
    return Health(True, f"scheduler pid {beat.get('pid')} on {beat.get('store')}: "
                        f"{beat.get('schedules')} schedule(s), heartbeat {age:.0f} s ago")
