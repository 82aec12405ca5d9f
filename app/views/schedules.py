"""Schedules: when each monitor runs next; editors create, pause, resume and remove them."""

import pandas as pd
import streamlit as st

import actions
import auth
import display
import state
from scorecard.exceptions import ScorecardError
from scorecard.scheduling.cron import next_run_times

st.title("Schedules")
if "schedule_done" in st.session_state:
    st.success(st.session_state.pop("schedule_done"))
names = state.read(state.monitor_names)
schedules = state.read(state.schedules)
if not names:
    st.info("No monitors to schedule yet: add a monitor on the **Build** page or with "
            "`scorecard monitor create`.")
    st.stop()


def upcoming(s) -> str:
    if s.paused:
        return "paused"
    times = next_run_times(s.cron, s.timezone, n=1)
    return times[0].isoformat(timespec="minutes") if times else "never"


if schedules:
    display.show_table(pd.DataFrame([{"monitor": s.monitor, "cron": s.cron,
                                      "timezone": s.timezone, "paused": s.paused,
                                      "next_run": upcoming(s), "updated_at": s.updated_at}
                                     for s in schedules]), key="schedules")
    st.caption("`scorecard scheduler` runs them (one scheduler per store).")
else:
    st.info("No schedules yet." + (" Add one below." if auth.can_edit() else ""))

if not auth.can_edit():
    st.caption("Viewers see schedules; an editor creates, pauses or removes them.")
    st.stop()


def act(action, *args, done: str) -> None:
    try:
        action(*args)
    except ScorecardError as exc:  # PermissionDenied included
        st.error(str(exc))
    else:
        st.session_state["schedule_done"] = done
        st.rerun()


st.header("Add or change a schedule")
with st.form("schedule_form"):
    monitor = st.selectbox("Monitor", names, key="schedule_monitor")
    cron = st.text_input("Cron", value="0 6 1 * *", key="schedule_cron",
                         help="minute hour day-of-month month day-of-week; e.g. 0 6 1 * * = "
                              "06:00 on the 1st of each month.")
    timezone = st.text_input("Time zone", value="UTC", key="schedule_timezone")
    if st.form_submit_button("Save schedule"):
        act(actions.set_schedule, monitor, cron.strip(), timezone.strip(),
            done=f"Scheduled {monitor!r}: {cron.strip()} ({timezone.strip()}).")

if schedules:
    st.header("Pause, resume or remove")
    scheduled = [s.monitor for s in schedules]
    target = st.selectbox("Schedule of", scheduled, key="schedule_target")
    paused = next(s.paused for s in schedules if s.monitor == target)
    left, right = st.columns(2)
    if left.button("Resume" if paused else "Pause", key="schedule_pause"):
        act(actions.set_paused, target, not paused,
            done=f"{'Resumed' if paused else 'Paused'} the schedule of {target!r}.")
    if right.button("Remove", key="schedule_remove", type="primary"):
        act(actions.remove_schedule, target, done=f"Removed the schedule of {target!r}.")
