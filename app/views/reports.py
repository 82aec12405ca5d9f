"""Runs and reports: every run with its status and error, and the HTML drift report of any
monitor up to any period, for download."""

import pandas as pd
import streamlit as st

import display
import state

st.title("Runs and reports")
names = state.read(state.monitor_names)
if not names:
    st.info("No monitors yet, so no runs or reports: add a monitor to a saved model on the "
            "**Build** page or with `scorecard monitor create`.")
    st.stop()

st.header("Drift report (HTML)")
name = st.selectbox("Monitor", names, key="report_monitor")
periods = [p for p, _ in state.read(state.monitor_history, name)["history"]][::-1]
if not periods:
    st.info(f"Monitor {name!r} has no stored periods yet: run `scorecard monitor run {name}`.")
else:
    period = st.selectbox("Up to period", periods, key="report_period")
    st.download_button(f"Download the report up to {period}",
                       state.read(state.on_click, state.drift_report_html, name, period),
                       file_name=f"drift_{name}_{period}.html", mime="text/html",
                       key="report_download", on_click="ignore")
    st.caption("Written when you click (cached afterwards). Self-contained and offline: every "
               "stored period up to the chosen one, with PSI intervals, tests and bins (the same "
               "report as `scorecard monitor report`).")

st.header("Runs")
which = st.selectbox("Runs of", ["every monitor", *names], key="runs_of")
runs = state.read(state.runs, None if which == "every monitor" else which, 200)
failed = [r for r in runs if r.status == "failed"]
if failed:
    st.warning(f"{len(failed)} of the last {len(runs)} runs failed; the newest: run "
               f"#{failed[0].id} of {failed[0].monitor!r}: {failed[0].error}")
display.show_table(pd.DataFrame(
    [{"id": r.id, "monitor": r.monitor, "status": r.status, "trigger": r.trigger,
      "attempt": r.attempt, "started_at": r.started_at, "finished_at": r.finished_at,
      "periods": ", ".join(r.periods), "error": r.error or ""} for r in runs],
    columns=["id", "monitor", "status", "trigger", "attempt", "started_at", "finished_at",
             "periods", "error"]), key="runs")
