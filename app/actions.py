"""Every action of the pages (outside Build) that writes to the store. Each checks the editor
role itself, so calling it directly, not only through its button, is guarded too."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

import auth
import state
from scorecard.exceptions import ScorecardError
from scorecard.scheduling.cron import next_run_times
from scorecard.storage import ScheduleRecord


def set_schedule(monitor: str, cron: str, timezone: str) -> ScheduleRecord:
    """Add or replace a monitor's schedule (InputError for a bad cron text or time zone)."""
    auth.require_editor("Scheduling a monitor")
    next_run_times(cron, timezone, n=1)  # validates the expression and the zone
    record = state.monitor_store().set_schedule(monitor, cron, timezone)
    state.invalidate_store()
    return record


def set_paused(monitor: str, paused: bool) -> ScheduleRecord:
    auth.require_editor("Pausing or resuming a schedule")
    record = state.monitor_store().set_paused(monitor, paused)
    state.invalidate_store()
    return record


def remove_schedule(monitor: str) -> None:
    auth.require_editor("Removing a schedule")
    state.monitor_store().remove_schedule(monitor)
    state.invalidate_store()


def save_iv_report(dataset: str, n_bins: int) -> int:
    """Store the IV report of a bundled dataset; its id (the same id if stored before)."""
    auth.require_editor("Saving a report")
    report = state.iv_report_for(dataset, n_bins).value
    report_id = state.store().save("iv", dataset, {"n_bins": n_bins, "level": report.level},
                                   report.to_dict())
    state.invalidate_store()
    return report_id


def save_scorecard(dataset: str, encoding: str) -> int:
    """Store a sample dataset's card (fitted on the page's 70% split) as a model in the store."""
    auth.require_editor("Saving a scorecard")
    fitted = state.scorecard_for(dataset, encoding).value
    model_id = state.monitor_store().save_model(fitted.model.spec_)
    state.invalidate_store()
    return model_id


def offer(label: str, key: str, action: Callable[..., object], *args: object, done: str,
          failed: str) -> None:
    """A button for editors (nobody else sees it) that runs action(*args); `done` is formatted
    with the result, `failed` prefixes the error."""
    if not auth.can_edit() or not st.button(label, key=key):
        return
    try:
        result = action(*args)
    except ScorecardError as exc:
        st.warning(f"{failed}: {exc}")
    else:
        st.success(done.format(result))
